/**
 * TensorBoard's "distributions" view from a histogram: the values at fixed percentiles (where a
 * normal distribution has its ±½σ, ±1σ and ±1½σ points, and the extremes), drawn as nested bands over steps.
 */

/** Basis points TensorBoard uses (as fractions): min, Φ(−1½), Φ(−1), Φ(−½), median, Φ(½), Φ(1), Φ(1½), max. */
export const DISTRIBUTION_QUANTILES = [0, 0.0668, 0.1587, 0.3085, 0.5, 0.6915, 0.8413, 0.9332, 1] as const;

/** What each of DISTRIBUTION_QUANTILES is called in a readout or a download. */
export const DISTRIBUTION_LABELS = ['min', '7% (−1½σ)', '16% (−1σ)', '31% (−½σ)', 'median', '69% (+½σ)', '84% (+1σ)', '93% (+1½σ)', 'max'] as const;

/** One histogram of one tensor at one step (equal-width bins over [min, max]). */
export interface HistogramSample {
  readonly step: number;
  readonly min: number;
  readonly max: number;
  /** counts[k] values fell in [min + k·w, min + (k+1)·w), w = (max − min) / counts.length. */
  readonly counts: readonly number[];
}

/**
 * The value below which a fraction `q` of the samples lie, interpolating linearly inside a bin
 * (values are taken as spread evenly across their bin). NaN for an empty histogram.
 */
export function histogramQuantile(h: HistogramSample, q: number): number {
  const total = h.counts.reduce((a, c) => a + c, 0);
  if (!total) return Number.NaN;
  if (q <= 0) return h.min;
  if (q >= 1) return h.max;
  const width = (h.max - h.min) / h.counts.length;
  const target = q * total;
  let below = 0;
  for (let k = 0; k < h.counts.length; k++) {
    const c = h.counts[k]!;
    if (below + c >= target && c > 0) return h.min + (k + (target - below) / c) * width;
    below += c;
  }
  return h.max;
}

/** The nine DISTRIBUTION_QUANTILES of a histogram. */
export function distributionOf(h: HistogramSample): number[] {
  return DISTRIBUTION_QUANTILES.map((q) => histogramQuantile(h, q));
}
