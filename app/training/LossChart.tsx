/**
 * The training panel's curves: training and validation loss (or one metric) of the current run, drawn
 * by the page's one chart (app/charts/Chart.tsx), with its live-lines fast path while training.
 */
import { memo, useMemo } from 'react';
import type { MetricPoint, ValidationPoint } from '../../workers/types';
import { Chart } from '../charts/Chart';
import { smoothedSeries, type ChartMarker, type Curve as ChartCurve, type CurvePoint } from '../charts/chartData';
import type { ChartSeries } from '../charts/series';
import { useThrottled } from '../hooks/useThrottled';

/** How often a chart redraws while training, and how far apart the panel's charts redraw. */
const REDRAW_MS = 1000;
const STAGGER_MS = 250;
const TRAIN_COLOUR = 'var(--accent)';
const VALIDATION_COLOUR = 'var(--warning, #d97706)';

export interface CurveProps {
  readonly title: string;
  readonly points: readonly MetricPoint[];
  readonly validation: readonly ValidationPoint[];
  /** Which value to plot: the loss, or a metric node's id. */
  readonly metric?: string;
  /** The chart's place in the panel: each redraws STAGGER_MS after the one before, in its own task. */
  readonly offset?: number;
  /** While training, the chart's frame is rounded so that it changes rarely. */
  readonly running?: boolean;
  /** The run's length in steps, when known: the x axis then settles on it early. */
  readonly totalSteps?: number;
  /** Steps where the run changed (a hot edit, a roll back), drawn as vertical lines. */
  readonly markers?: readonly ChartMarker[];
}

const LEGEND = (
  <p className="chart-legend">
    <span className="chart-key chart-key-train">training</span>
    <span className="chart-key chart-key-validation">validation</span>
  </p>
);

export const Curve = memo(function Curve({
  title,
  points: live,
  validation: liveValidation,
  metric,
  offset = 0,
  running = false,
  totalSteps,
  markers,
}: CurveProps) {
  // Metrics arrive up to 10 times a second and validation once per epoch: the lines are redrawn
  // once a second, each chart in its own task.
  const liveData = useMemo(() => ({ points: live, validation: liveValidation }), [live, liveValidation]);
  const { points, validation } = useThrottled(liveData, REDRAW_MS, offset * STAGGER_MS);
  const curves = useMemo(() => trainingCurves(points, validation, metric), [points, validation, metric]);
  // Losses span many decades (the 2-layer example falls from 1e7 to 1e-7): log scale when it can be.
  const logY = !metric && curves.some((c) => c.points.length > 0) && curves.every((c) => c.points.every((p) => p.value > 0 || !Number.isFinite(p.value)));
  // The number beside the title is live; only the plot is throttled.
  const last = live[live.length - 1];
  const lastValue = last && (metric ? last.metrics[metric] : last.loss);
  const caption = <output aria-label={`latest ${title.toLowerCase()}`}>{lastValue === undefined ? '—' : lastValue.toPrecision(4)}</output>;
  return (
    <Chart
      title={title}
      curves={curves}
      logY={logY}
      {...(metric ? { yDomain: UNIT } : {})}
      live={running}
      roundX
      {...(totalSteps ? { totalSteps } : {})}
      {...(markers ? { markers } : {})}
      caption={caption}
      legend={LEGEND}
      download={() => curveSeries(live, liveValidation, metric)}
    />
  );
});

const UNIT = [0, 1] as const;

/** The training and validation curves of the loss or a metric, against the step; steps without the value are left out. */
export function trainingCurves(points: readonly MetricPoint[], validation: readonly ValidationPoint[], metric?: string): ChartCurve[] {
  const curve = (id: string, label: string, colour: string, from: readonly (MetricPoint | ValidationPoint)[], dashed: boolean): ChartCurve => ({
    id,
    label,
    colour,
    ...(dashed ? { dashed } : {}),
    points: valuesOf(from, metric),
  });
  return [curve('train', 'training', TRAIN_COLOUR, points, false), curve('validation', 'validation', VALIDATION_COLOUR, validation, true)];
}

/** The loss (or the metric) at each point that has it, against the step. */
function valuesOf(from: readonly (MetricPoint | ValidationPoint)[], metric: string | undefined): CurvePoint[] {
  const out: CurvePoint[] = [];
  for (const p of from) {
    const v = metric ? p.metrics[metric] : p.loss;
    if (v !== undefined) out.push({ x: p.step, step: p.step, value: v });
  }
  return out;
}

/** A curve's training and validation points as the chart downloads write them (every step, no smoothing). */
export function curveSeries(points: readonly MetricPoint[], validation: readonly ValidationPoint[], metric?: string): ChartSeries[] {
  return smoothedSeries(trainingCurves(points, validation, metric), 0);
}
