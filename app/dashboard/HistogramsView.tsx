/** Histograms and Distributions tabs: every parameter of the live run, its values beside its gradients. */
import { startTransition, useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useTraining } from '../training/TrainingContext';
import type { HistorySeries } from '../training/trainingStore';
import { useDashboard, useDashboardStore } from './DashboardContext';
import { DistributionBands, HistogramRidges } from './HistogramCharts';
import { useThrottled } from '../hooks/useThrottled';

export function HistogramInterval() {
  const view = useDashboardStore();
  const every = useDashboard((s) => s.histogramEvery);
  return (
    <label className="dash-control">
      <span>Sample every</span>
      <input
        className="input num-input"
        type="number"
        min={1}
        step={1}
        value={every}
        aria-label="Histogram interval in steps"
        onChange={(e) => {
          const v = Math.round(Number(e.target.value));
          if (Number.isFinite(v) && v >= 1) view.getState().patch({ histogramEvery: v });
        }}
      />
      <span>steps</span>
    </label>
  );
}

export function HistogramsView({ mode }: { mode: 'histograms' | 'distributions' }) {
  const live = useTraining(useShallow((s) => s.observed.histograms));
  // Lagged so it redraws in its own task, after the probes that sample at the same time.
  const histograms = useThrottled(live, 300, 120);
  const tensors = useMemo(() => {
    const byName = new Map<string, { value?: HistorySeries; grad?: HistorySeries }>();
    for (const s of Object.values(histograms)) byName.set(s.name, { ...byName.get(s.name), [s.what]: s });
    return [...byName];
  }, [histograms]);
  if (!tensors.length) {
    return (
      <p className="dash-empty muted">
        Train (or step) the graph with this tab open: the histogram of every parameter and of its gradient is sampled every few steps.
      </p>
    );
  }
  return (
    <div className="tensor-cards">
      {tensors.map(([name, { value, grad }], k) => (
        <section key={name} className="dash-card tensor-card" aria-label={`${name} ${mode}`}>
          <h4 className="dash-card-title mono">{name}</h4>
          <div className="tensor-pair">
            <TensorChart mode={mode} heading="value" label={`${name} value`} series={value} missing="—" order={2 * k} />
            <TensorChart mode={mode} heading="gradient" label={`${name} gradient`} series={grad} missing="no gradient" order={2 * k + 1} />
          </div>
        </section>
      ))}
    </div>
  );
}

/** Each chart redraws this much later than the one before it, so that a sample's redraws are short tasks, not one long one. */
const STAGGER_MS = 12;

/** One tensor's histograms (ridges in a figure of their own) or distribution (the page's chart, captioned by `heading`). */
function TensorChart({
  mode,
  heading,
  label,
  series: latest,
  missing,
  order,
}: {
  mode: 'histograms' | 'distributions';
  heading: string;
  label: string;
  series: HistorySeries | undefined;
  missing: string;
  /** Its place among the charts: the `order`-th redraws STAGGER_MS × order after the first. */
  order: number;
}) {
  const lag = Math.min(STAGGER_MS * order, 240);
  const series = useThrottled(latest, 0, lag);
  // Mounted in turn too: eight charts built in one task made one long task when the tab opened.
  const [mounted, setMounted] = useState(lag === 0);
  useEffect(() => {
    if (mounted) return;
    const timer = setTimeout(() => startTransition(() => setMounted(true)), lag);
    return () => clearTimeout(timer);
  }, [mounted, lag]);
  const totalSteps = useTraining((s) => s.status.totalSteps);
  const live = useTraining((s) => s.status.state === 'running');
  if (!mounted) return <figure className="tensor-chart-pending" aria-busy="true" />;
  if (series && mode === 'distributions')
    return <DistributionBands samples={series.samples} label={label} heading={heading} totalSteps={totalSteps} live={live} />;
  return (
    <figure>
      <figcaption>{heading}</figcaption>
      {series ? <HistogramRidges samples={series.samples} label={label} /> : <p className="muted small">{missing}</p>}
    </figure>
  );
}
