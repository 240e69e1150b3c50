/**
 * Elementwise kernels from the expression table (engine/compile/schedule/expressions.ts): binary
 * arithmetic and comparisons with NumPy broadcasting, unary maths, cast and where. The table's JS
 * maths gives each element; the output dtype's typed array stores it (rounding to f32, wrapping i32).
 * Fused groups evaluate the same entries (engine/backends/cpu/fused.ts).
 */
import { COMPUTED_OPS, expressionOf, type ComputedOp } from '../../../compile/schedule/expressions';
import { sizeOf } from '../../../ops/shape';
import type { Op } from '../../../ops/types';
import type { CpuKernel, CpuTensor, Data } from '../kernel';
import { broadcastStrides, RowWalker } from './strided';

export { pow } from '../../../compile/schedule/expressions';

type Scalar = (x: number, y: number, z: number) => number;

/** o[k + j] = f(x[bx + j·sx]) for j < n (a step of 0 repeats a broadcast value). */
function row1(f: Scalar, o: Data, k: number, n: number, x: Data, bx: number, sx: number): void {
  for (let j = 0; j < n; j++) o[k + j] = f(x[bx + j * sx]!, 0, 0);
}

/** o[k + j] = f(x[bx + j·sx], y[by + j·sy]) for j < n. */
function row2(f: Scalar, o: Data, k: number, n: number, x: Data, bx: number, sx: number, y: Data, by: number, sy: number): void {
  for (let j = 0; j < n; j++) o[k + j] = f(x[bx + j * sx]!, y[by + j * sy]!, 0);
}

/** o[k + j] = f(x, y, z at their steps) for j < n. */
function row3(
  f: Scalar,
  o: Data,
  k: number,
  n: number,
  x: Data,
  bx: number,
  sx: number,
  y: Data,
  by: number,
  sy: number,
  z: Data,
  bz: number,
  sz: number,
): void {
  for (let j = 0; j < n; j++) o[k + j] = f(x[bx + j * sx]!, y[by + j * sy]!, z[bz + j * sz]!);
}

/** The single-op kernel of an entry: each operand broadcast to the output, walked row by row. */
function kernelOf(op: ComputedOp): CpuKernel<Op> {
  const e = expressionOf(op);
  return (inputs: readonly CpuTensor[], attrs, out, ctx) => {
    const f = e.js(attrs, { input: inputs[0]!.dtype, out: out.dtype });
    const o = ctx.alloc(out.dtype, sizeOf(out.shape));
    // Equal shapes coalesce to one row of steps 1; a scalar operand to one row of step 0.
    const w = new RowWalker(
      out.shape,
      inputs.map((t) => broadcastStrides(t.shape, out.shape)),
    );
    const [a, b, c] = inputs.map((t) => t.data) as [Data, Data, Data];
    const [sa, sb, sc] = w.step as [number, number, number];
    for (let r = 0; r < w.count; r++, w.next()) {
      const k = r * w.length;
      if (e.arity === 1) row1(f, o, k, w.length, a, w.base[0]!, sa);
      else if (e.arity === 2) row2(f, o, k, w.length, a, w.base[0]!, sa, b, w.base[1]!, sb);
      else row3(f, o, k, w.length, a, w.base[0]!, sa, b, w.base[1]!, sb, c, w.base[2]!, sc);
    }
    return o;
  };
}

export const ELEMENTWISE_KERNELS = Object.fromEntries(COMPUTED_OPS.map((op) => [op, kernelOf(op)])) as { readonly [O in ComputedOp]: CpuKernel<O> };
