/** Training and validation curves on shared axes (recharts), downsampled to stay cheap to draw. */
import { memo, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { MetricPoint, ValidationPoint } from '../../workers/types';
import { useThrottled } from '../dashboard/useThrottled';

/** Points drawn per curve: enough for a 300-pixel-wide chart, few enough to redraw in a few milliseconds. */
const MAX_POINTS = 300;
/** Validation points are drawn as dots while there are few of them. */
const MAX_DOTS = 40;
/** How often a chart redraws while training, and how far apart the panel's charts redraw. */
const REDRAW_MS = 1000;
const STAGGER_MS = 250;

/** Short axis labels: 0.25, 1.5e+6, 3e-5. */
const compact = (v: number) => (v !== 0 && (Math.abs(v) >= 1e4 || Math.abs(v) < 1e-2) ? v.toExponential(0) : String(Number(v.toPrecision(3))));

function thin<T>(xs: readonly T[]): T[] {
  if (xs.length <= MAX_POINTS) return [...xs];
  const stride = xs.length / MAX_POINTS;
  const out = Array.from({ length: MAX_POINTS }, (_v, i) => xs[Math.floor(i * stride)]!);
  out.push(xs[xs.length - 1]!);
  return out;
}

export interface CurveProps {
  readonly title: string;
  readonly points: readonly MetricPoint[];
  readonly validation: readonly ValidationPoint[];
  /** Which value to plot: the loss, or a metric node's id. */
  readonly metric?: string;
  /** The chart's place in the panel: each redraws STAGGER_MS after the one before, in its own task. */
  readonly offset?: number;
}

export const Curve = memo(function Curve({ title, points: live, validation: liveValidation, metric, offset = 0 }: CurveProps) {
  // Metrics arrive up to 10 times a second and validation once per epoch (many times a second for
  // tiny epochs): redrawing recharts twice a second, each chart in its own task, keeps every main
  // thread task short while training.
  const liveData = useMemo(() => ({ points: live, validation: liveValidation }), [live, liveValidation]);
  const { points, validation } = useThrottled(liveData, REDRAW_MS, offset * STAGGER_MS);
  const data = useMemo(() => {
    const pick = (p: MetricPoint | ValidationPoint) => (metric ? p.metrics[metric] : p.loss);
    const rows = new Map<number, Row>();
    for (const p of thin(points)) rows.set(p.step, { step: p.step, train: pick(p) });
    for (const v of validation) rows.set(v.step, { ...(rows.get(v.step) ?? { step: v.step }), validation: pick(v) });
    return [...rows.values()].sort((a, b) => a.step - b.step);
  }, [points, validation, metric]);
  // Losses span many decades (the 2-layer example falls from 1e7 to 1e-7): log scale when it can be.
  const logScale = !metric && data.length > 0 && data.every((d) => (d.train ?? 1) > 0 && (d.validation ?? 1) > 0);
  // The number beside the title is live; only the plot is throttled.
  const last = live[live.length - 1];
  const lastValue = last && (metric ? last.metrics[metric] : last.loss);
  return (
    <figure className="chart" aria-label={`${title} chart`}>
      <figcaption>
        <span>{title}</span>
        <output aria-label={`latest ${title.toLowerCase()}`}>{lastValue === undefined ? '—' : lastValue.toPrecision(4)}</output>
      </figcaption>
      <Plot data={data} logScale={logScale} unitRange={!!metric} dots={validation.length <= MAX_DOTS} />
      {/* A plain legend: recharts' own measures its text on every redraw. */}
      <p className="chart-legend">
        <span className="chart-key chart-key-train">training</span>
        <span className="chart-key chart-key-validation">validation</span>
      </p>
    </figure>
  );
});

type Row = { step: number; train?: number; validation?: number };

// Recharts re-renders and re-syncs its store whenever a prop's identity changes: constant props are hoisted.
const MARGIN = { top: 4, right: 8, bottom: 0, left: 0 };
const TICK = { fontSize: 11 };
const UNIT_DOMAIN: [number, number] = [0, 1];
const AUTO_DOMAIN: [string, string] = ['auto', 'auto'];
const X_DOMAIN: [string, string] = ['dataMin', 'dataMax'];
const TOOLTIP_STYLE = { background: 'var(--surface)', border: '1px solid var(--border)', fontSize: 12 };
const DOT = { r: 2 };
const CHART_SIZE = { width: '100%', height: '100%' };

/** The recharts part, redrawn only when its (throttled) data changes, not on every live update of the curve above it. */
const Plot = memo(function Plot({ data, logScale, unitRange, dots }: { data: readonly Row[]; logScale: boolean; unitRange: boolean; dots: boolean }) {
  return (
    <div className="chart-body">
      <LineChart data={data as Row[]} margin={MARGIN} responsive style={CHART_SIZE}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="step" type="number" domain={X_DOMAIN} tick={TICK} stroke="var(--text-muted)" />
          <YAxis tick={TICK} width={52} tickFormatter={compact} stroke="var(--text-muted)" scale={logScale ? 'log' : 'auto'} domain={unitRange ? UNIT_DOMAIN : AUTO_DOMAIN} allowDataOverflow={false} />
          <Tooltip contentStyle={TOOLTIP_STYLE} />
          <Line type="monotone" dataKey="train" name="training" stroke="var(--accent)" dot={false} isAnimationActive={false} connectNulls />
          <Line type="monotone" dataKey="validation" name="validation" stroke="var(--warning, #d97706)" dot={dots ? DOT : false} isAnimationActive={false} connectNulls />
        </LineChart>
    </div>
  );
});
