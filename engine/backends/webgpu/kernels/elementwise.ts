/**
 * Elementwise kernels, one thread per output element, rendered from the expression table
 * (engine/compile/schedule/expressions.ts): binary arithmetic and comparisons with NumPy
 * broadcasting, unary maths, cast and where. Fused groups render the same entries (fused-elementwise.ts).
 */
import { COMPUTED_OPS, expressionOf, type ComputedOp, type ElementwiseOp } from '../../../compile/schedule/expressions';
import { sizeOf } from '../../../ops/shape';
import type { Op, Shape } from '../../../ops/types';
import { broadcastStrides } from '../../cpu/kernels/strided';
import type { WgslKernel } from '../kernel';
import { inputsNamed, offset, perElement, unravel } from '../wgsl';

/**
 * Index expressions reading each input as broadcast to `out` at flat output index `i`, plus the
 * statements computing output coordinates `c*` when some input needs them. An input with the
 * output's size reads at i (broadcasting that keeps the size moves no element); a scalar at 0.
 */
export function broadcastReads(inputs: readonly Shape[], out: Shape): { prelude: string; at: string[] } {
  const n = sizeOf(out);
  let needCoords = false;
  const at = inputs.map((s) => {
    if (sizeOf(s) === n) return 'i';
    if (sizeOf(s) === 1) return '0u';
    needCoords = true;
    return `(${offset('c', broadcastStrides(s, out))})`;
  });
  return { prelude: needCoords ? unravel('i', out, 'c') : '', at };
}

/** The single-op kernel of an entry: read each operand broadcast to the output, store the expression. */
function kernelOf(op: ElementwiseOp): WgslKernel<Op> {
  const e = expressionOf(op);
  return ({ inputs, attrs, out }) => {
    const { prelude, at } = broadcastReads(
      inputs.map((t) => t.shape),
      out.shape,
    );
    const reads = inputs.map((_t, k) => `  let a${k} = x${k}[${at[k]}];`).join('\n');
    const expr = e.wgsl(
      inputs.map((_t, k) => `a${k}`),
      attrs,
      { input: inputs[0]!.dtype, out: out.dtype },
    );
    const body = `${prelude}\n${reads}\n  out[i] = ${expr};`;
    return {
      dispatches: [
        perElement(
          inputsNamed(inputs.map((t) => t.dtype)),
          inputs.map((_t, k) => k),
          out.dtype,
          sizeOf(out.shape),
          body,
          e.helpers ?? '',
        ),
      ],
    };
  };
}

export const ELEMENTWISE_KERNELS = Object.fromEntries(COMPUTED_OPS.map((op) => [op, kernelOf(op)])) as { readonly [O in ComputedOp]: WgslKernel<O> };
