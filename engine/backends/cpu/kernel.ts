import type { Attrs, DType, Op, Shape, TensorType } from '../../ops/types';

/** Storage for one tensor: f32 values live in Float32Array (or Float64Array in reference mode). */
export type Data = Float32Array | Float64Array | Int32Array | Uint8Array;

/** A tensor as the CPU backend holds it: flat row-major data plus its type. */
export interface CpuTensor {
  readonly data: Data;
  readonly shape: Shape;
  readonly dtype: DType;
}

/** What a kernel may ask of the backend running it. */
export interface KernelContext {
  /** Fresh zero-filled storage for `size` elements of `dtype` (f32 → the backend's float array type). */
  alloc(dtype: DType, size: number): Data;
}

/**
 * A CPU kernel: computes the op's output data from its inputs. `out` is the output type that
 * the op's shape rule inferred; kernels may rely on inputs satisfying that rule.
 */
export type CpuKernel<O extends Op> = (inputs: readonly CpuTensor[], attrs: Attrs<O>, out: TensorType, ctx: KernelContext) => Data;

/** One kernel per op; the mapped type makes a missing kernel a compile error. */
export type CpuKernelTable = { readonly [O in Op]: CpuKernel<O> };
