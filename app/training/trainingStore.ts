/** Session state of training (never saved, never undone): status, curves, errors. */
import { createStore } from 'zustand/vanilla';
import type { BackendInfo, MetricPoint, TrainError, TrainEvent, TrainStatus, ValidationPoint } from '../../workers/types';
import type { WorkerFailure } from '../../workers/client';
import type { ClassifierReading, ParamHistogram, ProbeReading } from '../../workers/observeTypes';
import { appendBounded, type HistogramSample } from '../dashboard/distribution';

/** Histograms kept per tensor: older samples are thinned evenly beyond this. */
export const MAX_HISTOGRAMS = 60;

/** One parameter's (or gradient's) histograms over steps. */
export interface HistorySeries {
  readonly name: string;
  readonly node: string;
  readonly what: ParamHistogram['what'];
  readonly samples: readonly HistogramSample[];
}

/** What the observer sent for the dashboard and probes (see workers/observe.ts). */
export interface Observations {
  /** By `${variable}|${value or grad}`, in the order first seen. */
  readonly histograms: Readonly<Record<string, HistorySeries>>;
  /** Latest reading per open probe key. */
  readonly probes: Readonly<Record<string, ProbeReading>>;
  /** RMS gradient per edge source `${node}.${port}`, at `step`. */
  readonly edgeGradients: { readonly step: number; readonly rms: Readonly<Record<string, number>> } | undefined;
  readonly classifier: ClassifierReading | undefined;
}

const NO_OBSERVATIONS: Observations = { histograms: {}, probes: {}, edgeGradients: undefined, classifier: undefined };

function addHistograms(prev: Observations['histograms'], step: number, tensors: readonly ParamHistogram[]): Observations['histograms'] {
  const next: Record<string, HistorySeries> = { ...prev };
  for (const t of tensors) {
    const key = `${t.name}|${t.what}`;
    const series = next[key] ?? { name: t.name, node: t.node, what: t.what, samples: [] };
    next[key] = { ...series, samples: appendBounded(series.samples, { step, min: t.min, max: t.max, counts: t.counts }, MAX_HISTOGRAMS) };
  }
  return next;
}

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
  readonly observed: Observations;
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
    observed: NO_OBSERVATIONS,
    apply(e) {
      switch (e.type) {
        case 'metrics': set((s) => ({ points: [...s.points, ...e.points] })); break;
        case 'validation': set((s) => ({ validation: [...s.validation, e.point] })); break;
        case 'status': set({ status: e.status }); break;
        case 'error': set({ error: e.error }); break;
        case 'histograms': set((s) => ({ observed: { ...s.observed, histograms: addHistograms(s.observed.histograms, e.step, e.tensors) } })); break;
        case 'probes': set((s) => ({ observed: { ...s.observed, probes: { ...s.observed.probes, ...Object.fromEntries(e.readings.map((r) => [r.key, r])) } } })); break;
        case 'gradients': set((s) => ({ observed: { ...s.observed, edgeGradients: { step: e.step, rms: e.rms } } })); break;
        case 'classifier': set((s) => ({ observed: { ...s.observed, classifier: e.reading } })); break;
        default: e satisfies never;
      }
    },
    clear: () => set({ points: [], validation: [], error: undefined, status: IDLE, observed: NO_OBSERVATIONS }),
    patch: (p) => set(p),
  }));
}

export type TrainingStore = ReturnType<typeof createTrainingStore>;

/** Seconds left at the current speed, or undefined when unknown. */
export function secondsLeft(s: TrainStatus): number | undefined {
  if (!s.stepsPerSecond || !s.totalSteps) return undefined;
  return Math.max(0, (s.totalSteps - s.step) / s.stepsPerSecond);
}
