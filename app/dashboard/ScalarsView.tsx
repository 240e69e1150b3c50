/** TensorBoard's Scalars tab: one chart per quantity, every visible run overlaid, training solid and validation dashed. */
import { memo, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { getNodeSpec } from '../../engine/graph/nodes';
import { Chart } from '../charts/Chart';
import type { ChartMarker, Curve } from '../charts/chartData';
import { formatClock, formatSeconds } from '../charts/chartScale';
import { useThrottled } from '../hooks/useThrottled';
import { describeChange } from '../training/RunHistory';
import { useDashboard, useDashboardStore, useRuns } from './DashboardContext';
import { runColour, type Run } from './runs';
import { trainingCurve, validationCurve, xAtStep, type Scalar } from './scalarSeries';
import type { XAxis } from './viewStore';

/** Points drawn per curve: the cards are wider than the training panel. */
const MAX_DRAWN = 600;

interface ChartSpec {
  readonly key: string;
  readonly title: string;
  readonly scalar: Scalar;
  readonly domain?: readonly [number, number];
}

/** Every visible run's training and validation curve of one scalar, whole (the chart smooths and thins). */
function curvesFor(runs: readonly Run[], spec: ChartSpec, axis: XAxis): Curve[] {
  const out: Curve[] = [];
  for (const run of runs) {
    const train = trainingCurve(run.points, spec.scalar, axis, run.created);
    if (train.length) out.push({ id: `${run.id}:train`, label: `${run.name} · training`, colour: runColour(run), points: train });
    const val = validationCurve(run.validation, run.points, spec.scalar, axis, run.created);
    if (val.length) out.push({ id: `${run.id}:val`, label: `${run.name} · validation`, colour: runColour(run), dashed: true, points: val });
  }
  return out;
}

/** Where each visible run was forked, and what changed while it trained (hot edits, roll backs). */
function markersFor(runs: readonly Run[], axis: XAxis): ChartMarker[] {
  return runs.flatMap((run) => [
    ...(run.parent ? [{ x: xAtStep(run.points, run.parent.step, axis, run.created), label: `${run.name} forked at step ${run.parent.step}` }] : []),
    ...(run.changes ?? []).map((c) => ({ x: xAtStep(run.points, c.step, axis, run.created), label: `${run.name}: ${describeChange(c)}` })),
  ]);
}

const X_FORMAT: Record<XAxis, (x: number) => string> = { step: (x) => String(x), relative: formatSeconds, wall: formatClock };
const X_LABEL: Record<XAxis, string> = { step: 'Step', relative: 'Relative', wall: 'Wall' };

export function ScalarControls() {
  const view = useDashboardStore();
  const { smoothing, logY, xAxis } = useDashboard(useShallow((s) => ({ smoothing: s.smoothing, logY: s.logY, xAxis: s.xAxis })));
  return (
    <div className="dash-controls" role="group" aria-label="Chart settings">
      <label className="dash-control">
        <span>Smoothing</span>
        <input
          type="range"
          min={0}
          max={0.99}
          step={0.01}
          value={smoothing}
          aria-label="Smoothing"
          onChange={(e) => view.getState().patch({ smoothing: Number(e.target.value) })}
        />
        <output className="num">{smoothing.toFixed(2)}</output>
      </label>
      <div className="segmented" role="radiogroup" aria-label="Y axis">
        {([false, true] as const).map((log) => (
          <button
            key={String(log)}
            type="button"
            role="radio"
            aria-checked={logY === log}
            className={logY === log ? 'is-on' : ''}
            onClick={() => view.getState().patch({ logY: log })}
          >
            {log ? 'Log' : 'Linear'}
          </button>
        ))}
      </div>
      <div className="segmented" role="radiogroup" aria-label="X axis">
        {(['step', 'relative', 'wall'] as const).map((x) => (
          <button
            key={x}
            type="button"
            role="radio"
            aria-checked={xAxis === x}
            className={xAxis === x ? 'is-on' : ''}
            onClick={() => view.getState().patch({ xAxis: x })}
          >
            {X_LABEL[x]}
          </button>
        ))}
      </div>
    </div>
  );
}

interface ScalarChartProps {
  readonly spec: ChartSpec;
  readonly runs: readonly Run[];
  readonly markers: readonly ChartMarker[];
  readonly xAxis: XAxis;
  readonly smoothing: number;
  readonly logY: boolean;
  readonly live: boolean;
}

const ScalarChart = memo(function ScalarChart({ spec, runs, markers, xAxis, smoothing, logY, live }: ScalarChartProps) {
  const curves = useMemo(() => curvesFor(runs, spec, xAxis), [runs, spec, xAxis]);
  // A learning rate or a speed is read as it is: smoothing would blur a schedule's steps.
  const weight = spec.scalar.kind === 'lr' || spec.scalar.kind === 'stepsPerSecond' ? 0 : smoothing;
  return (
    <Chart
      title={spec.title}
      className="dash-card chart-card"
      curves={curves}
      smoothing={weight}
      logY={logY}
      formatX={X_FORMAT[xAxis]}
      markers={markers}
      live={live}
      maxPoints={MAX_DRAWN}
      {...(spec.domain && { yDomain: spec.domain })}
    />
  );
});

export function ScalarsView() {
  const allRuns = useRuns((s) => s.runs);
  const runs = useThrottled(allRuns, 250);
  const { smoothing, logY, xAxis } = useDashboard(useShallow((s) => ({ smoothing: s.smoothing, logY: s.logY, xAxis: s.xAxis })));
  const visible = useMemo(() => runs.filter((r) => r.visible), [runs]);
  const live = visible.some((r) => r.state === 'running');
  const markers = useMemo(() => markersFor(visible, xAxis), [visible, xAxis]);
  const specs = useMemo<ChartSpec[]>(() => {
    const metricNodes = new Map<string, { label: string; kind: string }>();
    for (const r of visible) {
      for (const n of r.doc.nodes) {
        const spec = getNodeSpec(n.type);
        if (spec?.role === 'metric' && !metricNodes.has(n.id)) metricNodes.set(n.id, { label: n.label ?? n.id, kind: spec.label });
      }
    }
    return [
      { key: 'loss', title: 'Loss', scalar: { kind: 'loss' } },
      ...[...metricNodes].map(([node, m]): ChartSpec => ({
        key: `m:${node}`,
        title: metricNodes.size > 1 ? `${m.kind} (${m.label})` : m.kind,
        scalar: { kind: 'metric', node },
        domain: [0, 1],
      })),
      { key: 'lr', title: 'Learning rate', scalar: { kind: 'lr' } },
      { key: 'grad', title: 'Gradient norm', scalar: { kind: 'gradNorm' } },
      { key: 'rate', title: 'Steps per second', scalar: { kind: 'stepsPerSecond' } },
    ];
  }, [visible]);

  if (!runs.length)
    return <p className="dash-empty muted">Train a graph: its loss, accuracy, learning rate, gradient norm and speed are charted here, run by run.</p>;
  return (
    <div className="chart-grid-cards">
      {specs.map((spec) => (
        <ScalarChart key={spec.key} spec={spec} runs={visible} markers={markers} xAxis={xAxis} smoothing={smoothing} logY={logY} live={live} />
      ))}
    </div>
  );
}
