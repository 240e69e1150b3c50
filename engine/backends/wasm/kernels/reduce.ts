/**
 * sum, mean and max over axes that are adjacent once size-1 dims are ignored (over the batch, over
 * the last axis …), seen as [outer, len, inner]; other axis sets fall back to the JS reference.
 */
import { normalizeAxes } from '../../../ops/shape';
import type { Shape, TensorType } from '../../../ops/types';
import type { WasmKernel, WasmKernelTable } from '../kernel';

/** [outer, len, inner] for reducing `axes` of `shape`, or undefined when they are not adjacent. */
export function adjacentBlocks(shape: Shape, rawAxes: readonly number[]): [number, number, number] | undefined {
  const axes = normalizeAxes(rawAxes, shape.length);
  if (axes.length === 0) return undefined;
  const real = shape.map((d, i) => ({ d, reduced: axes.includes(i) })).filter(({ d }) => d !== 1);
  const size = (rs: typeof real) => rs.reduce((n, r) => n * r.d, 1);
  const first = real.findIndex((r) => r.reduced);
  if (first < 0) return [size(real), 1, 1];
  const end = real.findIndex((r, i) => i > first && !r.reduced);
  const last = end < 0 ? real.length : end;
  if (!real.slice(last).every((r) => !r.reduced)) return undefined;
  return [size(real.slice(0, first)), size(real.slice(first, last)), size(real.slice(last))];
}

type ReduceAttrs = { readonly axes: readonly number[] };
const accepts = ([x]: readonly TensorType[], { axes }: ReduceAttrs, out: TensorType) =>
  x!.dtype === 'f32' && out.dtype === 'f32' && adjacentBlocks(x!.shape, axes) !== undefined;

function sum<O extends 'sum' | 'mean'>(mean: boolean): WasmKernel<O> {
  return {
    accepts,
    run(ctx, [x], { axes }, out) {
      const [outer, len, inner] = adjacentBlocks(x!.shape, axes)!;
      ctx.k.sum_f32(x!.ptr, out.ptr, outer, len, inner, mean ? 1 / len : 1);
    },
  };
}

export const REDUCE_KERNELS: WasmKernelTable = {
  sum: sum(false),
  mean: sum(true),
  max: {
    accepts,
    run(ctx, [x], { axes }, out) {
      const [outer, len, inner] = adjacentBlocks(x!.shape, axes)!;
      ctx.k.max_f32(x!.ptr, out.ptr, outer, len, inner);
    },
  },
};
