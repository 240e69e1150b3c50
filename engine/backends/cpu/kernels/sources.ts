/** Kernels that make values: full, constant, random_uniform, and stop_gradient (a copy). */
import { sizeOf } from '../../../ops/shape';
import { uniform01 } from '../../../ops/random';
import type { CpuKernelTable } from '../kernel';
import { storeAs, toDtype, toI32 } from './storage';

export const SOURCE_KERNELS = {
  /** Every element = value converted to dtype. */
  full: (_inputs, { value, dtype }, out, ctx) => ctx.alloc(dtype, sizeOf(out.shape)).fill(toDtype(value, dtype)),

  /** The literal values, row-major, converted to dtype (i32 by the cast rule). */
  constant: (_inputs, { values, dtype }, _out, ctx) => storeAs(ctx, dtype, dtype === 'i32' ? values.map(toI32) : values),

  /** Element i = uniform01(seed, counter, i), counter = input 0 truncated to an integer, as u32. */
  random_uniform: (inputs, { seed }, out, ctx) => {
    const counter = Math.trunc(inputs[0]!.data[0]!) >>> 0;
    const o = ctx.alloc('f32', sizeOf(out.shape));
    for (let i = 0; i < o.length; i++) o[i] = uniform01(seed, counter, i);
    return o;
  },

  /** An exact copy (only the gradient rule differs). */
  stop_gradient: (inputs, _attrs, out, ctx) => {
    const o = ctx.alloc(out.dtype, inputs[0]!.data.length);
    o.set(inputs[0]!.data);
    return o;
  },
} satisfies Partial<CpuKernelTable>;
