/** Data movement, one thread per output element: each is a copy of one input element (or a zero of padding). */
import { normalizeAxis, sizeOf, stridesOf } from '../../../ops/shape';
import type { TensorType } from '../../../ops/types';
import type { Dispatch, KernelPlan, WgslKernelTable } from '../kernel';
import { inputsNamed, lit, offset, perElement, u, unravel } from '../wgsl';
import { broadcastReads } from './elementwise';

/** out[i] = x0[at(i)], where `prelude` computes what `at` needs from the output coordinates c*. */
function gatherCopy(x: TensorType, out: TensorType, prelude: string, at: string): KernelPlan {
  const body = `${prelude}\n  out[i] = x0[${at}];`;
  return { dispatches: [perElement(inputsNamed([x.dtype]), [0], out.dtype, sizeOf(out.shape), body)] };
}

export const MOVEMENT_KERNELS = {
  /** Row-major order is unchanged: a copy. */
  reshape: ({ inputs, out }) => gatherCopy(inputs[0]!, out, '', 'i'),

  /** out[c] = in[c permuted back]: read the input with its strides permuted. */
  transpose: ({ inputs, attrs: { perm }, out }) => {
    const x = inputs[0]!;
    const strides = stridesOf(x.shape);
    return gatherCopy(
      x,
      out,
      unravel('i', out.shape, 'c'),
      offset(
        'c',
        perm.map((p) => strides[p]!),
      ),
    );
  },

  /** Read the input with stride 0 along stretched dims. */
  broadcast_to: ({ inputs, out }) => {
    const { prelude, at } = broadcastReads([inputs[0]!.shape], out.shape);
    return gatherCopy(inputs[0]!, out, prelude, at[0]!);
  },

  /** One dispatch per input, each filling its band [offset, offset + size) of the axis, block by block. */
  concat: ({ inputs, attrs: { axis }, out }) => {
    const a = normalizeAxis(axis, out.shape.length);
    const inner = sizeOf(out.shape.slice(a + 1));
    const outChunk = out.shape[a]! * inner;
    let band = 0;
    const dispatches: Dispatch[] = [];
    inputs.forEach((x, k) => {
      const chunk = x.shape[a]! * inner;
      const body = `  out[(i / ${u(chunk)}) * ${u(outChunk)} + ${u(band)} + i % ${u(chunk)}] = x0[i];`;
      if (chunk > 0) dispatches.push(perElement(inputsNamed([x.dtype]), [k], out.dtype, sizeOf(x.shape), body));
      band += chunk;
    });
    return { dispatches };
  },

  /** out[c] = in[c + begin]. */
  slice: ({ inputs, attrs: { begin }, out }) => {
    const x = inputs[0]!;
    const strides = stridesOf(x.shape);
    const start = begin.reduce((s, b, d) => s + b * strides[d]!, 0);
    return gatherCopy(x, out, unravel('i', out.shape, 'c'), offset('c', strides, start));
  },

  /** out[c] = in[c - before] inside the input's box, else zero. */
  pad: ({ inputs, attrs: { pads }, out }) => {
    const x = inputs[0]!;
    const strides = stridesOf(x.shape);
    // c - before wraps to a huge u32 below the box, so one `<` per dim tests both sides.
    const lines = x.shape.map((_d, k) => `  let t${k} = c${k} - ${u(pads[k]![0])};`);
    const inside = x.shape.map((d, k) => `t${k} < ${u(d)}`).join(' && ') || 'true';
    const body = `${unravel('i', out.shape, 'c')}\n${lines.join('\n')}
  var v = ${lit(0, x.dtype)};
  if (${inside}) { v = x0[${offset('t', strides)}]; }
  out[i] = v;`;
    return { dispatches: [perElement(inputsNamed([x.dtype]), [0], out.dtype, sizeOf(out.shape), body)] };
  },
} satisfies Partial<WgslKernelTable>;
