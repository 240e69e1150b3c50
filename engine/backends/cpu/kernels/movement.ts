/** Data movement: every output element is a copy of one input element (or a zero of padding). */
import { normalizeAxis, sizeOf, stridesOf } from '../../../ops/shape';
import type { CpuKernelTable, Data, KernelContext } from '../kernel';
import type { TensorType } from '../../../ops/types';
import { broadcastStrides, copyStrided } from './strided';

function copyOf(data: Data, out: TensorType, ctx: KernelContext): Data {
  const o = ctx.alloc(out.dtype, data.length);
  o.set(data);
  return o;
}

export const MOVEMENT_KERNELS = {
  /** Row-major order is unchanged: a copy. */
  reshape: (inputs, _attrs, out, ctx) => copyOf(inputs[0]!.data, out, ctx),

  /** out[t] = in[t permuted back]: read the input with its strides permuted. */
  transpose: (inputs, { perm }, out, ctx) => {
    const x = inputs[0]!;
    const o = ctx.alloc(out.dtype, sizeOf(out.shape));
    const strides = stridesOf(x.shape);
    copyStrided(
      out.shape,
      o,
      stridesOf(out.shape),
      0,
      x.data,
      perm.map((p) => strides[p]!),
      0,
    );
    return o;
  },

  /** Read the input with stride 0 along stretched dims. */
  broadcast_to: (inputs, _attrs, out, ctx) => {
    const x = inputs[0]!;
    const o = ctx.alloc(out.dtype, sizeOf(out.shape));
    copyStrided(out.shape, o, stridesOf(out.shape), 0, x.data, broadcastStrides(x.shape, out.shape), 0);
    return o;
  },

  /** Each input fills its band [offset, offset + size) of the axis, block by block. */
  concat: (inputs, { axis }, out, ctx) => {
    const a = normalizeAxis(axis, out.shape.length);
    const outer = sizeOf(out.shape.slice(0, a));
    const inner = sizeOf(out.shape.slice(a + 1));
    const outChunk = out.shape[a]! * inner;
    const o = ctx.alloc(out.dtype, sizeOf(out.shape));
    let offset = 0;
    for (const x of inputs) {
      const chunk = x.shape[a]! * inner;
      for (let p = 0; p < outer; p++) o.set(x.data.subarray(p * chunk, (p + 1) * chunk), p * outChunk + offset);
      offset += chunk;
    }
    return o;
  },

  /** out[t] = in[t + begin]. */
  slice: (inputs, { begin }, out, ctx) => {
    const x = inputs[0]!;
    const o = ctx.alloc(out.dtype, sizeOf(out.shape));
    const strides = stridesOf(x.shape);
    const start = begin.reduce((s, b, d) => s + b * strides[d]!, 0);
    copyStrided(out.shape, o, stridesOf(out.shape), 0, x.data, strides, start);
    return o;
  },

  /** out[t + before] = in[t]; the rest stays zero. */
  pad: (inputs, { pads }, out, ctx) => {
    const x = inputs[0]!;
    const o = ctx.alloc(out.dtype, sizeOf(out.shape));
    const outStrides = stridesOf(out.shape);
    const start = pads.reduce((s, [before], d) => s + before * outStrides[d]!, 0);
    copyStrided(x.shape, o, outStrides, start, x.data, stridesOf(x.shape), 0);
    return o;
  },
} satisfies Partial<CpuKernelTable>;
