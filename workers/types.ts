/** The messages between the page and the training worker: plain data only. */
import type { DocumentChange } from '../engine/graph/change';
import type { GraphDocument } from '../engine/graph/document';
import type { GraphError } from '../engine/graph/errors';
import type { TensorType } from '../engine/ops/types';
import type { ObserveEvent } from './observeTypes';

/** What compiling a document told us, per node and overall. */
export interface CompileReport {
  readonly ok: boolean;
  readonly errors: readonly GraphError[];
  readonly nodes: Readonly<Record<string, { readonly outputs: Readonly<Record<string, TensorType>>; readonly paramCount: number }>>;
  readonly paramCount: number;
  readonly backend: BackendInfo;
}

export interface BackendInfo {
  readonly kind: 'cpu' | 'webgpu';
  /** Adapter or device name shown to the user. */
  readonly device: string;
  /** Why WebGPU is not used, when it is not. */
  readonly fallbackReason?: string;
  /** WebGPU: the device's buffer limits, which the memory estimate is checked against (engine/graph/memory.ts). */
  readonly limits?: { readonly maxBufferSize: number; readonly maxStorageBufferBindingSize: number };
}

/** One logged training step. */
export interface MetricPoint {
  readonly step: number;
  readonly epoch: number;
  /** Milliseconds since training started. */
  readonly time: number;
  readonly loss: number;
  readonly lr: number;
  /** Global L2 norm of the parameter gradients at this step. */
  readonly gradNorm: number;
  /** Metric node id → value on this batch. */
  readonly metrics: Readonly<Record<string, number>>;
}

/** Loss and metrics over the whole validation split, after an epoch. */
export interface ValidationPoint {
  readonly step: number;
  readonly epoch: number;
  readonly loss: number;
  readonly metrics: Readonly<Record<string, number>>;
}

export type TrainState = 'idle' | 'running' | 'paused' | 'done' | 'error';

export interface TrainStatus {
  readonly state: TrainState;
  readonly step: number;
  readonly epoch: number;
  readonly totalSteps: number;
  readonly stepsPerSecond: number;
}

/** An error the user must see, attached to a node where one is at fault. */
export interface TrainError {
  readonly code: 'compile' | 'nan' | 'oom' | 'device_lost' | 'data' | 'internal';
  readonly message: string;
  readonly node?: string;
}

/** Which tensors a recompile kept (node id and shape unchanged) and which it initialised afresh. */
export interface CarryReport {
  readonly kept: readonly string[];
  readonly initialised: readonly string[];
  /** Trainable scalars kept, of all the new program's. */
  readonly keptParams: number;
  readonly totalParams: number;
}

/** One training run: from fresh (or checkpointed) weights until the user restarts or opens another graph. */
export interface RunInfo {
  readonly id: string;
  /** The document as the run began. */
  readonly doc: GraphDocument;
  /** The step it began at (0, or a checkpoint's step for a fork). */
  readonly startStep: number;
  /** The run and checkpoint step it was forked from. */
  readonly parent?: { readonly run: string; readonly step: number };
}

/** How a run changed while it lived: a hot edit, a live setting, a roll back to a checkpoint. */
export interface RunChange {
  /** The step at which the change applies (the next step is the first that sees it). */
  readonly step: number;
  readonly kind: 'live' | 'hot' | 'rollback';
  readonly reasons: readonly string[];
  /** For a hot edit: what was kept. */
  readonly carried?: CarryReport;
}

/** A snapshot of every variable (weights, optimizer state) the session keeps, by step. */
export interface CheckpointInfo {
  readonly run: string;
  readonly step: number;
  readonly epoch: number;
  readonly bytes: number;
}

/** When the session snapshots the weights, and how many snapshots it keeps (oldest dropped first). */
export interface CheckpointPolicy {
  /** Every this many steps; 0 = never (only the run's start is kept). */
  readonly everySteps: number;
  /** Most snapshots kept per session. */
  readonly keep: number;
}

/** What the worker did with an edited document (open/update in DESIGN.md's session protocol). */
export interface UpdateReport {
  /**
   * none: nothing the run reads changed; live: applied at the next step; hot: recompiled, tensors
   * carried over; restart-needed: only a new run can take it (nothing applied); invalid: the document
   * has errors, the run goes on with the last valid graph; no-session: nothing is open to update.
   */
  readonly applied: 'none' | 'live' | 'hot' | 'restart-needed' | 'invalid' | 'no-session';
  readonly change: DocumentChange;
  readonly errors: readonly GraphError[];
  readonly carried?: CarryReport;
}

/** Events streamed while training, batched and throttled to display rate. */
export type TrainEvent =
  /** `run`: the run they belong to (the page drops a closed run's late points). */
  | { readonly type: 'metrics'; readonly points: readonly MetricPoint[]; readonly run?: string }
  | { readonly type: 'run_started'; readonly run: RunInfo }
  | { readonly type: 'run_changed'; readonly run: string; readonly change: RunChange }
  | { readonly type: 'run_ended'; readonly run: string; readonly reason: 'restarted' | 'closed' | 'forked' }
  | { readonly type: 'checkpoints'; readonly checkpoints: readonly CheckpointInfo[] }
  | { readonly type: 'validation'; readonly point: ValidationPoint; readonly run?: string }
  | { readonly type: 'status'; readonly status: TrainStatus }
  | { readonly type: 'error'; readonly error: TrainError }
  | ObserveEvent;

/** A node's value or gradient summarised for display. */
export interface Inspection {
  readonly node: string;
  readonly what: 'value' | 'grad';
  readonly step: number;
  readonly shape: readonly number[];
  readonly stats: TensorStats;
  readonly histogram: { readonly edges: Float32Array; readonly counts: Uint32Array };
  /** At most `maxValues` values, evenly strided over the tensor. */
  readonly values: Float32Array;
}

export interface TensorStats {
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly std: number;
  readonly zeros: number;
  readonly nan: number;
  readonly inf: number;
}
