/**
 * Reductions (sum, mean, max over axes) and the along-one-axis ops (softmax, log_softmax, argmax).
 * Everything is viewed as [outer, len, inner]: reduce or normalise over the middle dim.
 */
import { normalizeAxes, normalizeAxis, sizeOf, stridesOf } from '../../../ops/shape';
import type { Shape, TensorType } from '../../../ops/types';
import type { CpuKernelTable, CpuTensor, Data, KernelContext } from '../kernel';
import { storeAs } from './storage';
import { copyStrided } from './strided';

/** A tensor's data seen as [outer, len, inner] with the middle dim the one(s) being reduced. */
interface Blocks {
  readonly data: Data;
  readonly outer: number;
  readonly len: number;
  readonly inner: number;
}

/** [outer, len, inner] around one axis. */
function aroundAxis(shape: Shape, axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis]!, sizeOf(shape.slice(axis + 1))];
}

/**
 * Blocks for reducing `axes` (normalised): direct when the reduced dims are adjacent once size-1
 * dims are ignored (sum over the last axis, over the batch axis, ...); otherwise transpose the
 * reduced dims to the end first.
 */
function reductionBlocks(x: CpuTensor, axes: readonly number[]): Blocks {
  const shape = x.shape;
  const real = shape.map((d, i) => ({ d, reduced: axes.includes(i) })).filter(({ d }) => d !== 1);
  const size = (rs: typeof real) => rs.reduce((n, r) => n * r.d, 1);
  const first = real.findIndex((r) => r.reduced);
  if (first < 0) return { data: x.data, outer: size(real), len: 1, inner: 1 }; // only size-1 dims reduced
  const end = real.findIndex((r, i) => i > first && !r.reduced);
  const last = end < 0 ? real.length : end;
  if (real.slice(last).every((r) => !r.reduced)) {
    return { data: x.data, outer: size(real.slice(0, first)), len: size(real.slice(first, last)), inner: size(real.slice(last)) };
  }
  const kept = shape.map((_d, i) => i).filter((i) => !axes.includes(i));
  const perm = [...kept, ...axes];
  const strides = stridesOf(shape);
  const permShape = perm.map((p) => shape[p]!);
  const data = new Float64Array(sizeOf(shape));
  copyStrided(
    permShape,
    data,
    stridesOf(permShape),
    0,
    x.data,
    perm.map((p) => strides[p]!),
    0,
  );
  const outer = sizeOf(kept.map((i) => shape[i]!));
  return { data, outer, len: outer === 0 ? 0 : data.length / outer, inner: 1 };
}

const SUM = 0,
  MEAN = 1,
  MAX = 2;

/** sum: Σ over axes; mean: Σ / count (NaN for zero elements); max: largest value, NaN propagating. */
function reduction(kind: number) {
  return (inputs: readonly CpuTensor[], attrs: { readonly axes: readonly number[] }, out: TensorType, ctx: KernelContext): Data => {
    const x = inputs[0]!;
    const axes = normalizeAxes(attrs.axes, x.shape.length);
    if (axes.length === 0) return storeAs(ctx, out.dtype, x.data);
    const { data: d, outer, len, inner } = reductionBlocks(x, axes);
    const acc = new Float64Array(outer * inner).fill(kind === MAX ? -Infinity : 0);
    for (let o = 0; o < outer; o++) {
      const rowBase = o * len * inner;
      if (inner === 1) {
        let s = acc[o]!;
        if (kind === MAX) for (let r = 0; r < len; r++) s = Math.max(s, d[rowBase + r]!);
        else for (let r = 0; r < len; r++) s += d[rowBase + r]!;
        acc[o] = s;
        continue;
      }
      const a = o * inner;
      for (let r = 0; r < len; r++) {
        const b = rowBase + r * inner;
        if (kind === MAX) for (let i = 0; i < inner; i++) acc[a + i] = Math.max(acc[a + i]!, d[b + i]!);
        else for (let i = 0; i < inner; i++) acc[a + i]! += d[b + i]!;
      }
    }
    if (kind === MEAN) for (let i = 0; i < acc.length; i++) acc[i]! /= len;
    return storeAs(ctx, out.dtype, acc);
  };
}

/** softmax: e^(x - max) / Σ e^(x - max); log_softmax: x - max - log Σ e^(x - max); along one axis. */
function softmax(log: boolean) {
  return (inputs: readonly CpuTensor[], attrs: { readonly axis: number }, out: TensorType, ctx: KernelContext): Data => {
    const x = inputs[0]!;
    const [outer, len, inner] = aroundAxis(x.shape, normalizeAxis(attrs.axis, x.shape.length));
    const d = x.data;
    const o = ctx.alloc(out.dtype, d.length);
    const e = new Float64Array(len);
    for (let p = 0; p < outer; p++) {
      for (let i = 0; i < inner; i++) {
        const base = p * len * inner + i;
        let m = -Infinity;
        for (let j = 0; j < len; j++) m = Math.max(m, d[base + j * inner]!);
        let s = 0;
        for (let j = 0; j < len; j++) s += e[j] = Math.exp(d[base + j * inner]! - m);
        if (log) {
          const shift = m + Math.log(s);
          for (let j = 0; j < len; j++) o[base + j * inner] = d[base + j * inner]! - shift;
        } else {
          for (let j = 0; j < len; j++) o[base + j * inner] = e[j]! / s;
        }
      }
    }
    return o;
  };
}

export const REDUCE_KERNELS = {
  sum: reduction(SUM),
  mean: reduction(MEAN),
  max: reduction(MAX),
  softmax: softmax(false),
  log_softmax: softmax(true),

  /** Index of the largest value along axis; the first one wins ties; the first NaN wins over numbers (as NumPy). */
  argmax: (inputs, { axis }, out, ctx) => {
    const x = inputs[0]!;
    const [outer, len, inner] = aroundAxis(x.shape, normalizeAxis(axis, x.shape.length));
    const d = x.data;
    const o = ctx.alloc('i32', sizeOf(out.shape));
    for (let p = 0; p < outer; p++) {
      for (let i = 0; i < inner; i++) {
        const base = p * len * inner + i;
        let best = d[base]!;
        let at = 0;
        for (let j = 1; j < len; j++) {
          const v = d[base + j * inner]!;
          if (v > best || (v !== v && best === best)) {
            best = v;
            at = j;
          }
        }
        o[p * inner + i] = at;
      }
    }
    return o;
  },
} satisfies Partial<CpuKernelTable>;
