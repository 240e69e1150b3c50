/** Conversions between stored element types and the float64 scratch that heavy kernels compute in. */
import type { DType } from '../../../ops/types';
import type { Data, KernelContext } from '../kernel';

/** The data as a Float64Array (a copy unless it already is one), so hot loops see a single array type. */
export function asFloat64(data: Data): Float64Array {
  return data instanceof Float64Array ? data : Float64Array.from(data);
}

/** A number as dtype would store it: bool is x != 0 as 0/1, i32 truncates toward zero (wrapping like a store). */
export function toDtype(value: number, dtype: DType): number {
  if (dtype === 'bool') return value !== 0 ? 1 : 0;
  if (dtype === 'i32') return value | 0;
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
