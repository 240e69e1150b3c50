/** Conversions between stored element types and the float64 scratch that heavy kernels compute in. */
import type { DType } from '../../../ops/types';
import type { Data, KernelContext } from '../kernel';

/** The data as a Float64Array (a copy unless it already is one), so hot loops see a single array type. */
export function asFloat64(data: Data): Float64Array {
  return data instanceof Float64Array ? data : Float64Array.from(data);
}

/**
 * A number converted to i32 by the cast rule (engine/ops/types.ts): truncated toward zero, saturated
 * to [-2^31, 2^31 - 1], NaN → 0. What WGSL's i32(f32) and most hardware do (a typed-array store wraps instead).
 */
export function toI32(value: number): number {
  if (value !== value) return 0;
  if (value >= 2147483647) return 2147483647;
  if (value <= -2147483648) return -2147483648;
  return Math.trunc(value);
}

/** A number as a value of dtype: bool is x != 0 as 0/1, i32 by the cast rule (toI32). */
export function toDtype(value: number, dtype: DType): number {
  if (dtype === 'bool') return value !== 0 ? 1 : 0;
  if (dtype === 'i32') return toI32(value);
  return value;
}

/** Fresh storage of dtype holding `values` converted to that dtype. */
export function storeAs(ctx: KernelContext, dtype: DType, values: ArrayLike<number>): Data {
  const out = ctx.alloc(dtype, values.length);
  if (dtype === 'bool') {
    for (let i = 0; i < values.length; i++) out[i] = values[i] !== 0 ? 1 : 0;
  } else {
    // Typed-array stores round to f32 or truncate (wrapping) to i32, which is exactly the conversion.
    out.set(values);
  }
  return out;
}
