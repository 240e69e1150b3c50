/** The Histograms view's geometry (HistogramCharts.tsx): each sample's outline and where it is drawn. */
import { niceTicks } from '../charts/chartScale';
import type { HistogramSample } from '../charts/distribution';

/**
 * One sample's outline in its own units — x: bin index (0 … n), y: count — drawn through a transform
 * (ridgeGeometry). Computed once per sample: a new sample moves the others' ridges (the value range and
 * the peak change) by their transforms alone, without rebuilding their paths.
 */
const outlines = new WeakMap<HistogramSample, string>();

export function ridgeOutline(s: HistogramSample): string {
  let d = outlines.get(s);
  if (d === undefined) {
    d = 'M0,0';
    s.counts.forEach((c, i) => (d += `L${i + 0.5},${c}`));
    d += `L${s.counts.length},0`;
    outlines.set(s, d);
  }
  return d;
}

/** The ridges' geometry in a W × H box: the SVG transform of each sample's outline, its baseline and step, and the value axis. */
export function ridgeGeometry(samples: readonly HistogramSample[], W: number, H: number) {
  const shown = samples.filter((s) => Number.isFinite(s.min) && Number.isFinite(s.max) && s.counts.length > 0);
  if (!shown.length) return undefined;
  const lo = Math.min(...shown.map((s) => s.min));
  let hi = Math.max(...shown.map((s) => s.max));
  if (hi === lo) hi = lo + 1;
  const binWidth = (s: HistogramSample) => (s.max - s.min || 1) / s.counts.length;
  // Density (count per unit value) so samples with different ranges compare fairly.
  const peak = Math.max(1, ...shown.map((s) => Math.max(...s.counts) / Math.max(1e-12, binWidth(s))));
  const ridge = 46;
  const gap = shown.length > 1 ? (H - ridge - 20) / (shown.length - 1) : 0;
  const scale = (W - 52) / (hi - lo);
  const sx = (v: number) => 8 + (v - lo) * scale;
  const paths = shown.map((s, k) => {
    const base = 6 + ridge + k * gap;
    const width = binWidth(s);
    // Bin i's centre (x = i + 0.5) at value s.min + (i + 0.5)·width; a count c at density c / width, `ridge` px at the peak.
    const transform = `matrix(${scale * width} 0 0 ${-ridge / (width * peak)} ${sx(s.min)} ${base})`;
    return { d: ridgeOutline(s), transform, base, step: s.step, t: shown.length > 1 ? k / (shown.length - 1) : 1 };
  });
  return { paths, ticks: niceTicks(lo, hi, 4), sx };
}
