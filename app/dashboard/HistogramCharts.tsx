/**
 * TensorBoard's two views of a tensor over training: Histograms (one ridge per sampled step, older
 * ones behind) and Distributions (percentile bands against step).
 */
import { memo, useMemo } from 'react';
import { Chart } from '../charts/Chart';
import type { ChartBand, Curve } from '../charts/chartData';
import { formatValue } from '../charts/chartScale';
import { DISTRIBUTION_LABELS, DISTRIBUTION_QUANTILES, distributionOf, type HistogramSample } from '../charts/distribution';
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

/** The bands, widest first: min–max, ±1½σ, ±1σ, ±½σ (indices into DISTRIBUTION_QUANTILES), each over the last. */
const BANDS: readonly ChartBand[] = [
  { lower: 'q0', upper: 'q8', opacity: 0.18 },
  { lower: 'q1', upper: 'q7', opacity: 0.3 },
  { lower: 'q2', upper: 'q6', opacity: 0.45 },
  { lower: 'q3', upper: 'q5', opacity: 0.65 },
];

/**
 * Distributions, drawn by the page's one chart (charts/Chart.tsx): x = step; nested bands between the
 * DISTRIBUTION_QUANTILES and the median as a line. The readout gives every quantile at a step and the
 * downloads write them all.
 */
export const DistributionBands = memo(function DistributionBands({
  samples,
  label,
  heading,
  totalSteps,
  live,
}: {
  samples: readonly HistogramSample[];
  label: string;
  heading: string;
  /** The run's length in steps: the x axis settles on it (0: unknown). */
  totalSteps: number;
  /** The run is training (the chart's frame then moves rarely). */
  live: boolean;
}) {
  const curves = useMemo((): Curve[] => {
    const rows = samples.map((s) => ({ step: s.step, q: distributionOf(s) })).filter((r) => r.q.every(Number.isFinite));
    // Highest first: the readout lists max … min, top to bottom as they are drawn.
    return DISTRIBUTION_QUANTILES.map((_q, k) => ({
      id: `q${k}`,
      label: DISTRIBUTION_LABELS[k]!,
      colour: 'var(--hist-new)',
      ...(k === 4 ? {} : { edge: true }),
      points: rows.map((r) => ({ x: r.step, step: r.step, value: r.q[k]! })),
    })).reverse();
  }, [samples]);
  const steps = curves[0]!.points.length;
  return (
    <Chart
      title={`${label} distribution`}
      heading={heading}
      summary={`median and bands (min–max, ±1½σ, ±1σ, ±½σ) over ${steps} sampled step${steps === 1 ? '' : 's'}`}
      curves={curves}
      bands={BANDS}
      logY={false}
      live={live}
      {...(totalSteps > 0 ? { totalSteps } : {})}
      className="chart distribution-chart"
    />
  );
});
