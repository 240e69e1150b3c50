/**
 * TensorBoard's scalar smoothing: an exponential moving average with the startup bias removed
 * (debiased like Adam's moments), so the first points are not dragged toward zero.
 */

/**
 * Smoothed copy of `values` with weight `weight` in [0, 1): s_k = m_k / (1 − weight^n),
 * m_k = weight·m_{k−1} + (1 − weight)·v_k over the n finite values seen so far.
 * Non-finite points (NaN, ±Inf) pass through unchanged and do not enter the average;
 * a constant series is returned as is (as TensorBoard does, to avoid rounding noise).
 */
export function smooth(values: readonly number[], weight: number): number[] {
  if (!(weight >= 0 && weight < 1)) throw new RangeError(`smoothing weight must be in [0, 1), got ${weight}`);
  const first = values[0];
  if (weight === 0 || values.every((v) => v === first)) return [...values];
  const out = new Array<number>(values.length);
  let last = 0;
  let seen = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * weight + (1 - weight) * v;
    seen++;
    out[i] = last / (1 - weight ** seen);
  }
  return out;
}
