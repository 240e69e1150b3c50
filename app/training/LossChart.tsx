/**
 * Training and validation curves on shared axes (recharts). While training, recharts draws the
 * frame (axes, grid) and only redraws it when the curve leaves it (curveFrame.ts); the lines
 * themselves are drawn each second by a small component that uses the chart's own scales, so a
 * redraw costs a few milliseconds instead of a full recharts update. Paused or done, the chart
 * holds the data and recharts draws the lines, with its tooltip.
 */
import { memo, useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis, useXAxisScale, useYAxisScale } from 'recharts';
import type { MetricPoint, ValidationPoint } from '../../workers/types';
import { ChartDownloads } from '../charts/ChartDownloads';
import type { ChartSeries } from '../charts/series';
import { useThrottled } from '../hooks/useThrottled';
import { curveFrame, linePath, type CurveFrame, type CurveRow } from './curveFrame';

/** Points drawn per curve: enough for a 300-pixel-wide chart. */
const MAX_POINTS = 300;
/** Validation points are drawn as dots while there are few of them. */
const MAX_DOTS = 40;
/** How often a chart redraws while training, and how far apart the panel's charts redraw. */
const REDRAW_MS = 1000;
const STAGGER_MS = 250;
const TRAIN_COLOUR = 'var(--accent)';
const VALIDATION_COLOUR = 'var(--warning, #d97706)';

/** Short axis labels: 0.25, 1.5e+6, 3e-5. */
const compact = (v: number) => (v !== 0 && (Math.abs(v) >= 1e4 || Math.abs(v) < 1e-2) ? v.toExponential(0) : String(Number(v.toPrecision(3))));

function thin<T>(xs: readonly T[]): T[] {
  if (xs.length <= MAX_POINTS) return [...xs];
  const stride = xs.length / MAX_POINTS;
  const out = Array.from({ length: MAX_POINTS }, (_v, i) => xs[Math.floor(i * stride)]!);
  out.push(xs[xs.length - 1]!);
  return out;
}

/** The rows the live lines draw: read by LiveLines without re-rendering the chart around them. */
class RowsSource {
  private rows: readonly CurveRow[] = [];
  private readonly listeners = new Set<() => void>();
  readonly get = () => this.rows;
  readonly subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };
  set(rows: readonly CurveRow[]): void {
    this.rows = rows;
    for (const l of this.listeners) l();
  }
}

export interface CurveProps {
  readonly title: string;
  readonly points: readonly MetricPoint[];
  readonly validation: readonly ValidationPoint[];
  /** Which value to plot: the loss, or a metric node's id. */
  readonly metric?: string;
  /** The chart's place in the panel: each redraws STAGGER_MS after the one before, in its own task. */
  readonly offset?: number;
  /** While training, lines are drawn over a fixed frame; otherwise recharts draws them. */
  readonly running?: boolean;
  /** The run's length in steps, when known: the x axis then settles on it early. */
  readonly totalSteps?: number;
  /** Steps where the run changed (a hot edit, a roll back), drawn as vertical lines. */
  readonly markers?: readonly ChartMarker[];
}

/** A vertical line on a curve at `step`, with what happened there. */
export interface ChartMarker {
  readonly step: number;
  readonly label: string;
}

const NO_MARKERS: readonly ChartMarker[] = [];

export const Curve = memo(function Curve({ title, points: live, validation: liveValidation, metric, offset = 0, running = false, totalSteps, markers = NO_MARKERS }: CurveProps) {
  // Metrics arrive up to 10 times a second and validation once per epoch: the lines are redrawn
  // once a second, each chart in its own task.
  const liveData = useMemo(() => ({ points: live, validation: liveValidation }), [live, liveValidation]);
  const { points, validation } = useThrottled(liveData, REDRAW_MS, offset * STAGGER_MS);
  const rows = useMemo(() => {
    const pick = (p: MetricPoint | ValidationPoint) => (metric ? p.metrics[metric] : p.loss);
    const byStep = new Map<number, CurveRow>();
    for (const p of thin(points)) byStep.set(p.step, { step: p.step, train: pick(p) });
    for (const v of validation) byStep.set(v.step, { ...(byStep.get(v.step) ?? { step: v.step }), validation: pick(v) });
    return [...byStep.values()].sort((a, b) => a.step - b.step);
  }, [points, validation, metric]);
  // Losses span many decades (the 2-layer example falls from 1e7 to 1e-7): log scale when it can be.
  const logScale = !metric && rows.length > 0 && rows.every((d) => (d.train ?? 1) > 0 && (d.validation ?? 1) > 0);
  const computed = curveFrame(rows, { logScale, unitRange: !!metric, ...(totalSteps ? { totalSteps } : {}) });
  // The same numbers keep the same object, so the chart around the lines is not redrawn.
  const frameKey = computed ? `${computed.x.join()}|${computed.y.join()}` : '';
  const frame = useMemo(() => computed, [frameKey]);
  const source = useMemo(() => new RowsSource(), []);
  useEffect(() => source.set(rows), [source, rows]);
  // The number beside the title is live; only the plot is throttled.
  const last = live[live.length - 1];
  const lastValue = last && (metric ? last.metrics[metric] : last.loss);
  const figure = useRef<HTMLElement>(null);
  // Downloads carry the whole history, not the thinned points drawn; built only when asked for.
  const downloadSeries = () => curveSeries(live, liveValidation, metric);
  return (
    <figure className="chart" aria-label={`${title} chart`} ref={figure}>
      <figcaption>
        <span>{title}</span>
        <span className="chart-caption-end">
          <output aria-label={`latest ${title.toLowerCase()}`}>{lastValue === undefined ? '—' : lastValue.toPrecision(4)}</output>
          {rows.length > 0 && <ChartDownloads title={title} series={downloadSeries} chart={figure} />}
        </span>
      </figcaption>
      <Plot frame={frame} rows={running ? NO_ROWS : rows} live={running ? source : undefined} logScale={logScale} dots={validation.length <= MAX_DOTS} markers={markers} />
      <p className="chart-legend">
        <span className="chart-key chart-key-train">training</span>
        <span className="chart-key chart-key-validation">validation</span>
      </p>
    </figure>
  );
});

/** A curve's training and validation points as the chart downloads write them (value as drawn: no smoothing). */
export function curveSeries(points: readonly MetricPoint[], validation: readonly ValidationPoint[], metric?: string): ChartSeries[] {
  const series = (id: string, label: string, colour: string, from: readonly (MetricPoint | ValidationPoint)[], dashed: boolean): ChartSeries => ({
    id,
    label,
    colour,
    dashed,
    points: from.flatMap((p) => {
      const v = metric ? p.metrics[metric] : p.loss;
      return v === undefined ? [] : [{ step: p.step, x: p.step, raw: v, y: v }];
    }),
  });
  return [series('train', 'training', TRAIN_COLOUR, points, false), series('validation', 'validation', VALIDATION_COLOUR, validation, true)];
}

// Recharts re-renders and re-syncs its store whenever a prop's identity changes: constant props are hoisted.
const NO_ROWS: CurveRow[] = [];
const MARGIN = { top: 4, right: 8, bottom: 0, left: 0 };
const TICK = { fontSize: 11 };
const TOOLTIP_STYLE = { background: 'var(--surface)', border: '1px solid var(--border)', fontSize: 12 };
const DOT = { r: 2 };
const CHART_SIZE = { width: '100%', height: '100%' };
const MARKER_LABEL = { value: '◆', position: 'insideTopLeft' as const, fontSize: 9, fill: 'var(--text-muted)' };

interface PlotProps {
  readonly frame: CurveFrame | undefined;
  /** Drawn by recharts (paused, done). */
  readonly rows: readonly CurveRow[];
  /** Drawn by LiveLines (training). */
  readonly live: RowsSource | undefined;
  readonly logScale: boolean;
  readonly dots: boolean;
  readonly markers: readonly ChartMarker[];
}

/** The recharts chart: redrawn when its frame changes or training starts or stops, not on every new point. */
const Plot = memo(function Plot({ frame, rows, live, logScale, dots, markers }: PlotProps) {
  return (
    <div className="chart-body">
      <LineChart data={rows as CurveRow[]} margin={MARGIN} responsive style={CHART_SIZE}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="step" type="number" domain={frame?.x as [number, number] | undefined} allowDataOverflow tick={TICK} stroke="var(--text-muted)" />
        <YAxis type="number" tick={TICK} width={52} tickFormatter={compact} stroke="var(--text-muted)" scale={logScale ? 'log' : 'auto'} domain={frame?.y as [number, number] | undefined} allowDataOverflow />
        {!live && <Tooltip contentStyle={TOOLTIP_STYLE} />}
        <Line type="linear" dataKey="train" name="training" stroke={TRAIN_COLOUR} dot={false} isAnimationActive={false} connectNulls />
        <Line type="linear" dataKey="validation" name="validation" stroke={VALIDATION_COLOUR} dot={dots ? DOT : false} isAnimationActive={false} connectNulls />
        {markers.map((m) => <ReferenceLine key={`${m.step}:${m.label}`} x={m.step} stroke="var(--text-muted)" strokeDasharray="2 3" ifOverflow="hidden" label={MARKER_LABEL} />)}
        {live && <LiveLines source={live} dots={dots} />}
      </LineChart>
    </div>
  );
});

/** The training and validation lines drawn with the chart's scales, re-rendered alone when rows change. */
function LiveLines({ source, dots }: { source: RowsSource; dots: boolean }) {
  const rows = useSyncExternalStore(source.subscribe, source.get);
  const sx = useXAxisScale();
  const sy = useYAxisScale();
  if (!sx || !sy) return null;
  const x = (v: number) => sx(v) as number | undefined;
  const y = (v: number) => sy(v) as number | undefined;
  return (
    <g className="live-lines">
      <path d={linePath(rows, 'train', x, y)} fill="none" stroke={TRAIN_COLOUR} strokeWidth={1} />
      <path d={linePath(rows, 'validation', x, y)} fill="none" stroke={VALIDATION_COLOUR} strokeWidth={1} />
      {dots &&
        rows.map((r) => {
          const [px, py] = r.validation !== undefined && Number.isFinite(r.validation) ? [x(r.step), y(r.validation)] : [undefined, undefined];
          return px !== undefined && py !== undefined && Number.isFinite(px) && Number.isFinite(py) ? <circle key={r.step} cx={px} cy={py} r={2} fill={VALIDATION_COLOUR} /> : null;
        })}
    </g>
  );
}
