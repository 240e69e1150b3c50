/** Kernels that make values: full, constant (written once at prepare), random_uniform, and stop_gradient (a copy). */
import { lowbias32 } from '../../../ops/random';
import { sizeOf } from '../../../ops/shape';
import type { DType } from '../../../ops/types';
import type { WgslKernelTable } from '../kernel';
import { toI32 } from '../../cpu/kernels/storage';
import { gpuData } from '../storage';
import { inputsNamed, lit, perElement, u } from '../wgsl';

/** lowbias32 in WGSL: u32 multiplication wraps, as Math.imul does. */
const HASH = `
fn lowbias32(v: u32) -> u32 {
  var x = v;
  x ^= x >> 16u;
  x *= 0x7feb352du;
  x ^= x >> 15u;
  x *= 0x846ca68bu;
  x ^= x >> 16u;
  return x;
}`;

/** The scalar counter as a u32: truncated toward zero then wrapped (JavaScript's Math.trunc(c) >>> 0). */
function counterAsU32(dtype: DType): string {
  if (dtype === 'f32') return 'bitcast<u32>(i32(trunc(x0[0])))';
  if (dtype === 'i32') return 'bitcast<u32>(x0[0])';
  return 'x0[0]';
}

export const SOURCE_KERNELS = {
  /** Every element = value converted to dtype. */
  full: ({ attrs, out }) => ({ dispatches: [perElement([], [], out.dtype, sizeOf(out.shape), `  out[i] = ${lit(attrs.value, attrs.dtype)};`)] }),

  /** The literal values, row-major, converted to dtype (i32 by the cast rule): uploaded once, never recomputed. */
  constant: ({ attrs }) => ({ data: gpuData(attrs.dtype, attrs.dtype === 'i32' ? attrs.values.map(toI32) : attrs.values) }),

  /** Element i = hash32(seed, counter, i) >> 8 / 2^24 with hash32 = lowbias32(i ^ lowbias32(counter ^ lowbias32(seed))). */
  random_uniform: ({ inputs, attrs, out }) => {
    const c = inputs[0]!;
    const body = `  let h = lowbias32(i ^ lowbias32(${counterAsU32(c.dtype)} ^ ${u(lowbias32(attrs.seed))}));
  out[i] = f32(h >> 8u) / 16777216.0;`;
    return { dispatches: [perElement(inputsNamed([c.dtype]), [0], 'f32', sizeOf(out.shape), body, HASH)] };
  },

  /** An exact copy (only the gradient rule differs). */
  stop_gradient: ({ inputs, out }) => ({
    dispatches: [perElement(inputsNamed([inputs[0]!.dtype]), [0], out.dtype, sizeOf(out.shape), '  out[i] = x0[i];')],
  }),
} satisfies Partial<WgslKernelTable>;
