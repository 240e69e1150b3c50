import type { TensorStats } from './types';

/** Statistics over the finite values, with NaN and ±Inf counted apart. */
export function tensorStats(data: ArrayLike<number>): TensorStats {
  let [min, max, sum, sumSq, zeros, nan, inf, n] = [Infinity, -Infinity, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (Number.isNaN(v)) nan++;
    else if (!Number.isFinite(v)) inf++;
    else {
      n++;
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
      sumSq += v * v;
      if (v === 0) zeros++;
    }
  }
  const mean = n ? sum / n : NaN;
  const std = n ? Math.sqrt(Math.max(0, sumSq / n - mean * mean)) : NaN;
  return { count: data.length, min: n ? min : NaN, max: n ? max : NaN, mean, std, zeros, nan, inf };
}

/** Equal-width bins over [min, max] of the finite values (one bin when all are equal). */
export function histogram(data: ArrayLike<number>, bins: number, stats = tensorStats(data)): { edges: Float32Array; counts: Uint32Array } {
  const counts = new Uint32Array(bins);
  const edges = new Float32Array(bins + 1);
  if (!(stats.count - stats.nan - stats.inf)) return { edges, counts };
  const lo = stats.min;
  const width = (stats.max - lo) / bins || 1;
  for (let k = 0; k <= bins; k++) edges[k] = lo + k * width;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) continue;
    counts[Math.min(bins - 1, Math.floor((v - lo) / width))]!++;
  }
  return { edges, counts };
}

/** At most `max` values, evenly strided over the data. */
export function downsample(data: ArrayLike<number>, max: number): Float32Array {
  if (data.length <= max) return Float32Array.from(data);
  const out = new Float32Array(max);
  const stride = data.length / max;
  for (let i = 0; i < max; i++) out[i] = data[Math.floor(i * stride)]!;
  return out;
}
