import type { Attrs, Op, TensorType } from '../../ops/types';

/** Kernel variants a backend picks (per adapter); each kernel reads the ones it has. */
export interface KernelOptions {
  /** 'workgroup': tiles staged in workgroup memory (discrete GPUs); 'register': 4×4 register tiles, no barriers (default). */
  readonly matmul?: 'workgroup' | 'register';
}

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
