/** Session state of training (never saved, never undone): status, curves, errors. */
import { createStore } from 'zustand/vanilla';
import type { GraphDocument } from '../../engine/graph/document';
import type {
  BackendInfo,
  CheckpointInfo,
  MetricPoint,
  RunChange,
  RunInfo,
  TrainError,
  TrainEvent,
  TrainStatus,
  UpdateReport,
  ValidationPoint,
} from '../../workers/types';
import type { WorkerFailure } from '../../workers/client';
import type { ClassifierReading, ParamHistogram, ProbeReading } from '../../workers/observeTypes';
import type { HistogramSample } from '../charts/distribution';
import { thinBySteps } from '../charts/thin';

/** Histograms kept per tensor: beyond this, samples are thinned by the same rule as the curves. */
export const MAX_HISTOGRAMS = 60;
/**
 * Training points kept of a run's curve, the one history of it: the training panel draws it, the
 * dashboard's run record holds the same arrays and stores them as they are. Beyond this, only steps on a
 * doubling stride are kept (evenly spread over the whole run, the first and newest always kept), so an
 * hour of a fast model stays a few megabytes and each update copies a bounded list (TensorBoard likewise
 * samples its scalars). Validation points are one per epoch and kept whole.
 */
export const MAX_POINTS = 10_000;

/** `points` plus `added`, thinned by the page's one rule (app/charts/thin.ts) from `stride` on, to at most `max`. */
export function appendSampled(
  points: readonly MetricPoint[],
  stride: number,
  added: readonly MetricPoint[],
  max: number,
): { points: MetricPoint[]; stride: number } {
  const thinned = thinBySteps([...points, ...added], max, { stride });
  return { points: thinned.items, stride: thinned.stride };
}

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
    next[key] = { ...series, samples: thinBySteps([...series.samples, { step, min: t.min, max: t.max, counts: t.counts }], MAX_HISTOGRAMS).items };
  }
  return next;
}

export interface TrainingState {
  readonly status: TrainStatus;
  readonly points: readonly MetricPoint[];
  /** Steps kept in `points` are multiples of this (see appendSampled). */
  readonly pointStride: number;
  readonly validation: readonly ValidationPoint[];
  readonly backend: BackendInfo | undefined;
  /** The last training error (NaN, data, compile), shown until the next run. */
  readonly error: TrainError | undefined;
  /** Set when the worker crashed or hung; the panel offers a restart. */
  readonly failure: WorkerFailure | undefined;
  /** True while a compile or command is in flight. */
  readonly busy: boolean;
  readonly observed: Observations;
  /** The run the worker is training (run_started), undefined before its first step. */
  readonly run: RunInfo | undefined;
  /** What changed during the current run, in order (markers on the charts). */
  readonly changes: readonly RunChange[];
  /** The session's snapshots, oldest first. */
  readonly checkpoints: readonly CheckpointInfo[];
  /** The last edit the worker could not apply to the run (a restart is needed, or the graph has errors). */
  readonly refused: UpdateReport | undefined;
  /** The document the worker's session holds (opened or last updated), undefined when none. */
  readonly compiled: GraphDocument | undefined;
  setCompiled(doc: GraphDocument | undefined): void;
  apply(e: TrainEvent): void;
  /** Several events in one update (one render): what the worker sends at each flush. */
  applyAll(events: readonly TrainEvent[]): void;
  clear(): void;
  patch(p: Partial<Pick<TrainingState, 'backend' | 'error' | 'failure' | 'busy' | 'status' | 'refused'>>): void;
}

/** The fields one event changes. */
function withEvent(s: TrainingState, e: TrainEvent): Partial<TrainingState> {
  switch (e.type) {
    case 'metrics': {
      // Late points of a run the page has closed (events and replies travel on different ports).
      if (e.run !== undefined && e.run !== s.run?.id) return {};
      const { points, stride } = appendSampled(s.points, s.pointStride, e.points, MAX_POINTS);
      return { points, pointStride: stride };
    }
    case 'validation':
      return e.run !== undefined && e.run !== s.run?.id ? {} : { validation: [...s.validation, e.point] };
    case 'status':
      return { status: e.status };
    case 'error':
      return { error: e.error };
    case 'histograms':
      return { observed: { ...s.observed, histograms: addHistograms(s.observed.histograms, e.step, e.tensors) } };
    case 'probes':
      return { observed: { ...s.observed, probes: { ...s.observed.probes, ...Object.fromEntries(e.readings.map((r) => [r.key, r])) } } };
    case 'gradients':
      return { observed: { ...s.observed, edgeGradients: { step: e.step, rms: e.rms } } };
    case 'classifier':
      return { observed: { ...s.observed, classifier: e.reading } };
    case 'run_started': {
      // A fork continues its parent's curves up to the checkpoint; a fresh run starts empty.
      const upTo = (p: { step: number }) => p.step <= e.run.startStep;
      return { run: e.run, changes: [], points: s.points.filter(upTo), validation: s.validation.filter(upTo), refused: undefined };
    }
    case 'run_changed': {
      if (e.run !== s.run?.id) return {};
      if (e.change.kind !== 'rollback') return { changes: [...s.changes, e.change] };
      const upTo = (p: { step: number }) => p.step <= e.change.step;
      return { changes: [...s.changes.filter(upTo), e.change], points: s.points.filter(upTo), validation: s.validation.filter(upTo) };
    }
    case 'run_ended':
      return {};
    case 'checkpoints':
      return { checkpoints: e.checkpoints };
    default:
      return e satisfies never;
  }
}

export const IDLE: TrainStatus = { state: 'idle', step: 0, epoch: 0, totalSteps: 0, stepsPerSecond: 0 };

export function createTrainingStore() {
  return createStore<TrainingState>()((set) => ({
    status: IDLE,
    points: [],
    pointStride: 1,
    validation: [],
    backend: undefined,
    error: undefined,
    failure: undefined,
    busy: false,
    observed: NO_OBSERVATIONS,
    run: undefined,
    changes: [],
    checkpoints: [],
    refused: undefined,
    compiled: undefined,
    setCompiled: (compiled) => set({ compiled }),
    apply: (e) => set((s) => withEvent(s, e)),
    applyAll: (events) => {
      if (events.length) set((s) => events.reduce<Partial<TrainingState>>((acc, e) => ({ ...acc, ...withEvent({ ...s, ...acc }, e) }), {}));
    },
    clear: () =>
      set({
        points: [],
        pointStride: 1,
        validation: [],
        error: undefined,
        status: IDLE,
        observed: NO_OBSERVATIONS,
        run: undefined,
        changes: [],
        refused: undefined,
      }),
    patch: (p) => set(p),
  }));
}

export type TrainingStore = ReturnType<typeof createTrainingStore>;

/** Seconds left at the current speed, or undefined when unknown. */
export function secondsLeft(s: TrainStatus): number | undefined {
  if (!s.stepsPerSecond || !s.totalSteps) return undefined;
  return Math.max(0, (s.totalSteps - s.step) / s.stepsPerSecond);
}
