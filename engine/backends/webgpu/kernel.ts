import type { Attrs, Op, TensorType } from '../../ops/types';

/**
 * GEMM kernel variants (matmul and the convolutions as implicit GEMMs; kernels/gemm.ts):
 * 'register' 4×4 register tiles, no barriers · 'register_wide' 4×8 · 'workgroup' tiles staged in
 * workgroup memory (discrete GPUs) · 'splitk' one small block per workgroup, inner dimension split.
 */
export type MatmulVariant = 'register' | 'register_wide' | 'workgroup' | 'splitk';

/** A key-value store for measured choices (the worker can back it with IndexedDB); values are variant names. */
export interface TuneStore {
  get(key: string): string | undefined | Promise<string | undefined>;
  set(key: string, value: string): void | Promise<void>;
}

/** What one measurement found: the GEMM's key and ms per run of each variant tried. */
export interface TuneReport {
  readonly key: string;
  readonly ms: Readonly<Partial<Record<MatmulVariant, number>>>;
  readonly chosen: MatmulVariant;
}

/** Kernel variants a backend picks (per adapter); each kernel reads the ones it has. */
export interface KernelOptions {
  /** Force this GEMM variant everywhere (deterministic, nothing measured). */
  readonly matmul?: MatmulVariant;
  /** Measure GEMM variants when a graph is prepared (default true; false: a fixed rule picks). */
  readonly tune?: boolean;
  /** Persists measured choices per adapter and shape across backends and sessions (memory only when absent). */
  readonly tuneStore?: TuneStore;
  /** Measured choices of this backend by GEMM key (autotune.ts fills it, kernels read it). */
  readonly tuned?: Map<string, MatmulVariant>;
  /** Called after each measurement (logs, tests). */
  readonly onTune?: (report: TuneReport) => void;
  /**
   * The tuner's clock: runs one timed batch and says how many ms it took (performance.now around the
   * submit by default). Tests give a fake one, so no choice they check depends on the machine's load.
   */
  readonly clock?: TuneClock;
}

/** One timed batch of the tuner: `reps` runs of `variant` on the GEMM `key`. */
export interface TunedBatch {
  readonly key: string;
  readonly variant: MatmulVariant;
  readonly reps: number;
}

/** Runs `batch` (`run` submits it and resolves when the GPU is done) and returns its ms. */
export type TuneClock = (batch: TunedBatch, run: () => Promise<void>) => Promise<number>;

/** What a WGSL kernel knows about one graph node: its input types, attributes and inferred output type. */
export interface KernelArgs<O extends Op> {
  readonly inputs: readonly TensorType[];
  readonly attrs: Attrs<O>;
  readonly out: TensorType;
  readonly options?: KernelOptions;
}

/**
 * One compute dispatch. Binds the listed node inputs (by position, in binding order) read-only and
 * the node's output buffer last; runs `workgroups` workgroups (the executable spreads them over a
 * 2-D grid when there are more than one dimension allows; the shader sees a linear `wid`).
 */
export interface Dispatch {
  readonly code: string;
  readonly inputs: readonly number[];
  readonly workgroups: number;
  /**
   * u32 values the shader reads as `p.<name>` from a uniform buffer bound after the output, in
   * the order the shader's Params struct declares them: sizes passed this way instead of baked
   * into the code let one pipeline serve many shapes (pipeline compiles are slow on some adapters).
   */
  readonly params?: readonly number[];
}

/** Storage as the GPU holds it: 4 bytes per element, bool as u32 0/1. */
export type GpuData = Float32Array | Int32Array | Uint32Array;

/**
 * How a node is computed: dispatches in order (each sees the previous one's writes), or data
 * written once when the graph is prepared (a literal constant).
 */
export type KernelPlan = { readonly dispatches: readonly Dispatch[] } | { readonly data: GpuData };

/** A WGSL kernel: generates the code for one node; shapes are baked in, so code is per shape. */
export type WgslKernel<O extends Op> = (args: KernelArgs<O>) => KernelPlan;

/** One kernel per op; the mapped type makes a missing kernel a compile error. */
export type WgslKernelTable = { readonly [O in Op]: WgslKernel<O> };
