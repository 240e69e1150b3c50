/** Training and validation curves on shared axes (recharts), downsampled to stay cheap to draw. */
import { memo, useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { MetricPoint, ValidationPoint } from '../../workers/types';
import { useThrottled } from '../dashboard/useThrottled';

const MAX_POINTS = 400;

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
}

export const Curve = memo(function Curve({ title, points: live, validation: liveValidation, metric }: CurveProps) {
  // Metrics arrive up to 10 times a second and validation once per epoch (many times a second for
  // tiny epochs): redrawing recharts at most ~3 times a second keeps the page responsive.
  const points = useThrottled(live, 300);
  const validation = useThrottled(liveValidation, 300);
  const data = useMemo(() => {
    const pick = (p: MetricPoint | ValidationPoint) => (metric ? p.metrics[metric] : p.loss);
    const rows = new Map<number, { step: number; train?: number; validation?: number }>();
    for (const p of thin(points)) rows.set(p.step, { step: p.step, train: pick(p) });
    for (const v of validation) rows.set(v.step, { ...(rows.get(v.step) ?? { step: v.step }), validation: pick(v) });
    return [...rows.values()].sort((a, b) => a.step - b.step);
  }, [points, validation, metric]);
  // Losses span many decades (the 2-layer example falls from 1e7 to 1e-7): log scale when it can be.
  const logScale = !metric && data.length > 0 && data.every((d) => (d.train ?? 1) > 0 && (d.validation ?? 1) > 0);
  const last = points[points.length - 1];
  const lastValue = last && (metric ? last.metrics[metric] : last.loss);
  return (
    <figure className="chart" aria-label={`${title} chart`}>
      <figcaption>
        <span>{title}</span>
        <output aria-label={`latest ${title.toLowerCase()}`}>{lastValue === undefined ? '—' : lastValue.toPrecision(4)}</output>
      </figcaption>
      <div className="chart-body">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} tick={{ fontSize: 11 }} stroke="var(--text-muted)" />
            <YAxis tick={{ fontSize: 11 }} width={52} tickFormatter={compact} stroke="var(--text-muted)" scale={logScale ? 'log' : 'auto'} domain={metric ? [0, 1] : ['auto', 'auto']} allowDataOverflow={false} />
            <Tooltip contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', fontSize: 12 }} />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            <Line type="monotone" dataKey="train" name="training" stroke="var(--accent)" dot={false} isAnimationActive={false} connectNulls />
            <Line type="monotone" dataKey="validation" name="validation" stroke="var(--warning, #d97706)" dot={{ r: 2 }} isAnimationActive={false} connectNulls />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
});
