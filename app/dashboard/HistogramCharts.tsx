/**
 * TensorBoard's two views of a tensor over training: Histograms (one ridge per sampled step, older
 * ones behind) and Distributions (percentile bands against step).
 */
import { memo, useMemo } from 'react';
import { formatValue, niceTicks } from '../charts/chartScale';
import { distributionOf, type HistogramSample } from '../charts/distribution';
import { ridgeGeometry } from './ridgeGeometry';

const W = 300;

/** Ridges: x = value, each sample's counts drawn as an outline offset by its order; newest at the front. */
export const HistogramRidges = memo(function HistogramRidges({ samples, label }: { samples: readonly HistogramSample[]; label: string }) {
  const H = 150;
  const geometry = useMemo(() => ridgeGeometry(samples, W, H), [samples]);
  if (!geometry) return <p className="chart-empty muted">No samples yet</p>;
  const labelled = new Set([0, Math.floor((geometry.paths.length - 1) / 2), geometry.paths.length - 1]);
  return (
    <svg
      className="histogram-ridges"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`${label} histograms over ${geometry.paths.length} steps`}
      data-steps={geometry.paths.map((p) => p.step).join(',')}
    >
      {geometry.paths.map((p) => (
        <path
          key={p.step}
          d={p.d}
          transform={p.transform}
          className="ridge"
          style={{ fill: `color-mix(in srgb, var(--hist-new) ${Math.round(p.t * 100)}%, var(--hist-old))`, stroke: 'var(--surface)' }}
        />
      ))}
      {geometry.paths.map(
        (p, k) =>
          labelled.has(k) && (
            <text key={`s${p.step}`} x={W - 4} y={p.base} textAnchor="end" className="ridge-step">
              {p.step}
            </text>
          ),
      )}
      {geometry.ticks.map((t) => (
        <text key={t} x={geometry.sx(t)} y={H - 2} textAnchor="middle" className="ridge-tick">
          {formatValue(t)}
        </text>
      ))}
    </svg>
  );
});

const BAND_OPACITY = [0.18, 0.3, 0.45, 0.65];

/** Bands: x = step; nested areas between the DISTRIBUTION_QUANTILES (min–max, ±2σ, ±1σ, ±½σ) and the median. */
export const DistributionBands = memo(function DistributionBands({ samples, label }: { samples: readonly HistogramSample[]; label: string }) {
  const H = 150;
  const PADL = 44;
  const geometry = useMemo(() => {
    const rows = samples.map((s) => ({ step: s.step, q: distributionOf(s) })).filter((r) => r.q.every(Number.isFinite));
    if (!rows.length) return undefined;
    const x0 = rows[0]!.step;
    const x1 = rows.length > 1 ? rows[rows.length - 1]!.step : x0 + 1;
    let lo = Math.min(...rows.map((r) => r.q[0]!));
    let hi = Math.max(...rows.map((r) => r.q[8]!));
    if (hi === lo) [lo, hi] = [lo - 1, hi + 1];
    const sx = (x: number) => PADL + ((x - x0) / (x1 - x0 || 1)) * (W - PADL - 6);
    const sy = (y: number) => 6 + (1 - (y - lo) / (hi - lo)) * (H - 26);
    const band = (a: number, b: number) => {
      const top = rows.map((r) => `${sx(r.step).toFixed(1)},${sy(r.q[b]!).toFixed(1)}`);
      const bottom = rows.map((r) => `${sx(r.step).toFixed(1)},${sy(r.q[a]!).toFixed(1)}`).reverse();
      return `M${[...top, ...bottom].join('L')}Z`;
    };
    const bands = [band(0, 8), band(1, 7), band(2, 6), band(3, 5)];
    const median = `M${rows.map((r) => `${sx(r.step).toFixed(1)},${sy(r.q[4]!).toFixed(1)}`).join('L')}`;
    return { bands, median, sy, sx, yTicks: niceTicks(lo, hi, 4), xTicks: niceTicks(x0, x1, 3), single: rows.length === 1 };
  }, [samples]);
  if (!geometry) return <p className="chart-empty muted">No samples yet</p>;
  return (
    <svg className="distribution-bands" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${label} distribution over steps`}>
      {geometry.yTicks.map((t) => (
        <g key={t} className="chart-grid">
          <line x1={PADL} x2={W - 6} y1={geometry.sy(t)} y2={geometry.sy(t)} />
          <text x={PADL - 4} y={geometry.sy(t)} dy="0.32em" textAnchor="end">
            {formatValue(t)}
          </text>
        </g>
      ))}
      {geometry.bands.map((d, i) => (
        <path key={i} d={d} fill="var(--hist-new)" fillOpacity={BAND_OPACITY[i]} stroke={geometry.single ? 'var(--hist-new)' : 'none'} />
      ))}
      <path d={geometry.median} fill="none" stroke="var(--hist-new)" strokeWidth={1.5} />
      {geometry.xTicks.map((t) => (
        <text key={`x${t}`} x={geometry.sx(t)} y={H - 4} textAnchor="middle" className="ridge-tick">
          {t}
        </text>
      ))}
    </svg>
  );
});
