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

/** A tensor reshaped for display: a bar chart, a heatmap, or a grid of small images. */
export type TensorView =
  | { readonly kind: 'scalar'; readonly value: number }
  | { readonly kind: 'bars'; readonly values: Float32Array; /** index of values[k] in the tensor */ readonly stride: number }
  | { readonly kind: 'heatmap'; readonly rows: number; readonly cols: number; readonly values: Float32Array }
  | { readonly kind: 'images'; readonly count: number; readonly height: number; readonly width: number; readonly values: Float32Array };

/** Most bars, heatmap side and images a view holds (strided beyond that). */
export const VIEW_LIMITS = { bars: 256, side: 64, images: 32, imageSide: 32 } as const;

const strided = (n: number, max: number) => {
  const keep = Math.min(n, max);
  return Array.from({ length: keep }, (_v, i) => Math.floor((i * n) / keep));
};

/**
 * The view that fits a tensor's shape: a vector as bars, a matrix as a heatmap (the first sample's
 * matrix for rank 3), rank 4 as images — `layout` 'nhwc' shows the first sample's channels as
 * feature maps, 'hwio' shows each output filter (input channel 0). Large dims are strided.
 */
export function tensorView(data: ArrayLike<number>, shape: readonly number[], layout: 'nhwc' | 'hwio' = 'nhwc'): TensorView {
  const dims = shape.filter((d, i) => d !== 1 || i === shape.length - 1);
  if (data.length === 1) return { kind: 'scalar', value: data[0]! };
  if (dims.length <= 1) {
    const idx = strided(data.length, VIEW_LIMITS.bars);
    return { kind: 'bars', values: Float32Array.from(idx, (i) => data[i]!), stride: data.length / idx.length };
  }
  if (shape.length === 4) {
    const [a, b, c, d] = shape as [number, number, number, number];
    // nhwc: image k = channel k of sample 0, pixel (y, x) at (y·W + x)·C + k.
    // hwio: image k = filter k at input channel 0, pixel (y, x) at ((y·W + x)·I)·O + k.
    const [height, width, count] = layout === 'nhwc' ? [b, c, d] : [a, b, d];
    const pixel = (y: number, x: number, k: number) => (layout === 'nhwc' ? (y * c + x) * d + k : (y * b + x) * c * d + k);
    const ks = strided(count, VIEW_LIMITS.images);
    const ys = strided(height, VIEW_LIMITS.imageSide);
    const xs = strided(width, VIEW_LIMITS.imageSide);
    const values = new Float32Array(ks.length * ys.length * xs.length);
    let o = 0;
    for (const k of ks) for (const y of ys) for (const x of xs) values[o++] = data[pixel(y, x, k)]!;
    return { kind: 'images', count: ks.length, height: ys.length, width: xs.length, values };
  }
  // Matrix: the last two dims of the first sample (rank 3: [batch, rows, cols]).
  const cols = shape[shape.length - 1]!;
  const rows = shape.length >= 2 ? shape[shape.length - 2]! : 1;
  const rs = strided(rows, VIEW_LIMITS.side);
  const cs = strided(cols, VIEW_LIMITS.side);
  const values = new Float32Array(rs.length * cs.length);
  let o = 0;
  for (const r of rs) for (const col of cs) values[o++] = data[r * cols + col]!;
  return { kind: 'heatmap', rows: rs.length, cols: cs.length, values };
}

/** Root mean square of the finite values (0 when there are none): a gradient's typical magnitude. */
export function rms(data: ArrayLike<number>): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (Number.isFinite(v)) {
      sum += v * v;
      n++;
    }
  }
  return n ? Math.sqrt(sum / n) : 0;
}
