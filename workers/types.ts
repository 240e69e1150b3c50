/** The messages between the page and the training worker: plain data only. */
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

/** Events streamed while training, batched and throttled to display rate. */
export type TrainEvent =
  | { readonly type: 'metrics'; readonly points: readonly MetricPoint[] }
  | { readonly type: 'validation'; readonly point: ValidationPoint }
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
