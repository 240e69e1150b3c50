import type { Graph, ValueId } from '../compile/graph';
import type { TensorType } from '../ops/types';
import type { Data } from './cpu/kernel';

export type { Data };

/** What one prepared graph computes on each run besides its retained outputs. */
export interface RunSpec {
  /** Values kept after a run so they can be read (loss, metrics, probes). Everything else may be freed or reused. */
  readonly outputs: readonly ValueId[];
  /** After computing everything, set variable `name` to `value` (all reads see the old values first). */
  readonly updates: readonly { readonly name: string; readonly value: ValueId }[];
  /**
   * Scalar values (one element each, f32 or i32 read as numbers) logged on EVERY run — the loss
   * and metrics of a training step. They are read back in batches by drainScalars(), never per run,
   * so a training loop needs no readback inside the step (WebGPU: a GPU ring buffer).
   */
  readonly scalars?: readonly ValueId[];
}

/** A graph prepared once (kernels chosen, memory planned) to run many times. */
export interface Executable {
  /** Compute the graph with these placeholder values (by input name), then apply the updates. */
  run(feeds: ReadonlyMap<string, Data>): void;
  /** A retained output of the last run. */
  read(value: ValueId): Promise<Data>;
  /**
   * The logged scalars (RunSpec.scalars, in that order) of every run since the previous drain,
   * oldest first, one Float32Array per run. Waits for those runs to finish on the device. No run
   * is ever dropped, however many happen between drains.
   */
  drainScalars(): Promise<Float32Array[]>;
  /**
   * How many NaN/Inf elements each retained output of the last run holds, counted on the device
   * (WebGPU tests bit patterns, as WGSL may assume finite maths) so only the counts are read back.
   */
  countNonFinite(values: readonly ValueId[]): Promise<number[]>;
  /** Resolves when every submitted run has finished on the device: backpressure, not a readback. */
  settled(): Promise<void>;
  dispose(): void;
}

/**
 * The narrow interface every backend implements (DESIGN.md): persistent variables, and graphs
 * prepared once then run many times. CPU is the reference; WebGPU is tested against it.
 */
export interface Backend {
  readonly kind: 'cpu' | 'webgpu';
  /** Human-readable device name, e.g. the adapter's vendor and architecture. */
  readonly device: string;
  createVariable(name: string, type: TensorType, init: Data): void;
  hasVariable(name: string): boolean;
  readVariable(name: string): Promise<Data>;
  writeVariable(name: string, data: Data): void;
  /** Free variable `name` (nothing if there is none); executables that read it must not run again. */
  deleteVariable(name: string): void;
  /** The names of every variable this backend holds. */
  variableNames(): string[];
  prepare(graph: Graph, spec: RunSpec): Promise<Executable>;
  dispose(): void;
}

/** A typed error from a backend, for the caller to show (NaN, out of memory, device lost …). */
export class BackendError extends Error {
  constructor(
    readonly code: 'feed' | 'variable' | 'oom' | 'device_lost' | 'validation' | 'limits' | 'unavailable',
    message: string,
    readonly node?: string,
  ) {
    super(message);
    this.name = 'BackendError';
  }
}
