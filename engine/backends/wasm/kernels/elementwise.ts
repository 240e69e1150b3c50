/**
 * Elementwise kernels on f32: binary arithmetic and comparisons with NumPy broadcasting (one SIMD
 * row per call: the RowWalker coalesces equal shapes into one row and a bias add into rows of bias),
 * where, and the cheap unary ops. Op codes match assembly/elementwise.ts.
 */
import type { Op, TensorType } from '../../../ops/types';
import { broadcastStrides, RowWalker } from '../../cpu/kernels/strided';
import type { WasmContext, WasmKernel, WasmKernelTable, WasmTensor } from '../kernel';
import type { KernelName } from '../threads';
import { PARALLEL_ELEMENTS, splitEvenly } from './split';

const ARITH = { add: 0, sub: 1, mul: 2, div: 3, minimum: 4, maximum: 5 } as const;
const COMPARE = { less: 6, less_equal: 7, greater: 8, greater_equal: 9, equal: 10, not_equal: 11 } as const;
const UNARY = { neg: 0, abs: 1, sqrt: 2, relu: 3, leaky_relu: 4 } as const;

const allF32 = (inputs: readonly TensorType[]) => inputs.every((t) => t.dtype === 'f32');

/** Pieces of n elements for the context's threads: one unless n is large; pieces start at multiples of 16 elements. */
function pieces(ctx: WasmContext, n: number): [number, number][] {
  if (ctx.pieces === 1 || n < PARALLEL_ELEMENTS) return [[0, n]];
  return splitEvenly(Math.ceil(n / 16), ctx.pieces).map(([a, b]) => [16 * a, Math.min(n, 16 * b)]);
}

/**
 * Runs kernel `name` (binary_f32 or compare_f32: op, o, x, sx, y, sy, n in byte offsets and element
 * steps) over every row of a broadcast binary op; one long row is split between threads.
 */
function binaryRows(ctx: WasmContext, name: KernelName, code: number, x: WasmTensor, y: WasmTensor, out: WasmTensor, outBytes: number): void {
  const w = new RowWalker(out.shape, [broadcastStrides(x.shape, out.shape), broadcastStrides(y.shape, out.shape)]);
  const [sx, sy] = w.step as [number, number];
  if (w.count === 1) {
    const [bx, by] = w.base as [number, number];
    const parts = pieces(ctx, w.length);
    ctx.parallel(parts.map(([a, b]) => [name, code, out.ptr + a * outBytes, x.ptr + 4 * (bx + a * sx), sx, y.ptr + 4 * (by + a * sy), sy, b - a]));
    return;
  }
  const row = ctx.k[name] as (...args: number[]) => void;
  for (let r = 0; r < w.count; r++, w.next()) {
    row(code, out.ptr + r * w.length * outBytes, x.ptr + 4 * w.base[0]!, sx, y.ptr + 4 * w.base[1]!, sy, w.length);
  }
}

function arith(code: number): WasmKernel<Op> {
  return { run: (ctx, [x, y], _attrs, out) => binaryRows(ctx, 'binary_f32', code, x!, y!, out, 4) };
}

function compare(code: number): WasmKernel<Op> {
  return { accepts: allF32, run: (ctx, [x, y], _attrs, out) => binaryRows(ctx, 'compare_f32', code, x!, y!, out, 1) };
}

function unary(code: number): WasmKernel<Op> {
  return {
    run: (ctx: WasmContext, [x], attrs, out) => {
      const n = out.shape.reduce((a, b) => a * b, 1);
      const alpha = (attrs as { alpha?: number }).alpha ?? 0;
      ctx.parallel(pieces(ctx, n).map(([a, b]) => ['unary_f32', code, out.ptr + 4 * a, x!.ptr + 4 * a, b - a, alpha]));
    },
  };
}

const table = <K extends string>(codes: Record<K, number>, make: (code: number) => WasmKernel<Op>) =>
  Object.fromEntries(Object.entries<number>(codes).map(([op, code]) => [op, make(code)])) as Record<K, WasmKernel<Op>>;

export const ELEMENTWISE_KERNELS: WasmKernelTable = {
  ...table(ARITH, arith),
  ...table(COMPARE, compare),
  ...table(UNARY, unary),
  /** 4-byte values (f32 or i32) picked by a bool condition. */
  where: {
    accepts: ([c, a], _attrs, out) => c!.dtype === 'bool' && a!.dtype !== 'bool' && out.dtype !== 'bool',
    run(ctx, [c, a, b], _attrs, out) {
      const w = new RowWalker(
        out.shape,
        [c!, a!, b!].map((t) => broadcastStrides(t.shape, out.shape)),
      );
      const [sc, sa, sb] = w.step as [number, number, number];
      for (let r = 0; r < w.count; r++, w.next()) {
        const [bc, ba, bb] = w.base as [number, number, number];
        ctx.k.where32(out.ptr + 4 * r * w.length, c!.ptr + bc, sc, a!.ptr + 4 * ba, sa, b!.ptr + 4 * bb, sb, w.length);
      }
    },
  },
};
