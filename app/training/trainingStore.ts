/** Session state of training (never saved, never undone): status, curves, errors. */
import { createStore } from 'zustand/vanilla';
import type { BackendInfo, MetricPoint, TrainError, TrainEvent, TrainStatus, ValidationPoint } from '../../workers/types';
import type { WorkerFailure } from '../../workers/client';

export interface TrainingState {
  readonly status: TrainStatus;
  readonly points: readonly MetricPoint[];
  readonly validation: readonly ValidationPoint[];
  readonly backend: BackendInfo | undefined;
  /** The last training error (NaN, data, compile), shown until the next run. */
  readonly error: TrainError | undefined;
  /** Set when the worker crashed or hung; the panel offers a restart. */
  readonly failure: WorkerFailure | undefined;
  /** True while a compile or command is in flight. */
  readonly busy: boolean;
  apply(e: TrainEvent): void;
  clear(): void;
  patch(p: Partial<Pick<TrainingState, 'backend' | 'error' | 'failure' | 'busy' | 'status'>>): void;
}

export const IDLE: TrainStatus = { state: 'idle', step: 0, epoch: 0, totalSteps: 0, stepsPerSecond: 0 };

export function createTrainingStore() {
  return createStore<TrainingState>()((set) => ({
    status: IDLE,
    points: [],
    validation: [],
    backend: undefined,
    error: undefined,
    failure: undefined,
    busy: false,
    apply(e) {
      switch (e.type) {
        case 'metrics': set((s) => ({ points: [...s.points, ...e.points] })); break;
        case 'validation': set((s) => ({ validation: [...s.validation, e.point] })); break;
        case 'status': set({ status: e.status }); break;
        case 'error': set({ error: e.error }); break;
        default: e satisfies never;
      }
    },
    clear: () => set({ points: [], validation: [], error: undefined, status: IDLE }),
    patch: (p) => set(p),
  }));
}

export type TrainingStore = ReturnType<typeof createTrainingStore>;

/** Seconds left at the current speed, or undefined when unknown. */
export function secondsLeft(s: TrainStatus): number | undefined {
  if (!s.stepsPerSecond || !s.totalSteps) return undefined;
  return Math.max(0, (s.totalSteps - s.step) / s.stepsPerSecond);
}
