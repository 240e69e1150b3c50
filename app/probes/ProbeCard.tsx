/** One probe: a node's (or edge's) tensor at the current step — value or gradient — as statistics, histogram and a shape-fitting view. */
import { memo, useState } from 'react';
import type { ProbeReading, TensorSummary } from '../../workers/observeTypes';
import { formatValue } from '../charts/chartScale';
import { useDashboardStore } from '../dashboard/DashboardContext';
import type { Probe } from '../dashboard/viewStore';
import { formatType } from '../format/tensors';
import { useThrottled } from '../hooks/useThrottled';
import { useEditor } from '../store/context';
import { AttentionProbe } from './AttentionProbe';
import { MiniHistogram } from './MiniHistogram';
import { TensorViewCanvas } from './TensorViewCanvas';

function Stats({ s }: { s: TensorSummary['stats'] }) {
  const cells: [string, string, boolean?][] = [
    ['min', formatValue(s.min)],
    ['max', formatValue(s.max)],
    ['mean', formatValue(s.mean)],
    ['std', formatValue(s.std)],
    ['zeros', s.zeros.toLocaleString('en-US')],
    ['NaN', s.nan.toLocaleString('en-US'), s.nan > 0],
    ['Inf', s.inf.toLocaleString('en-US'), s.inf > 0],
    ['count', s.count.toLocaleString('en-US')],
  ];
  return (
    <dl className="probe-stats">
      {cells.map(([k, v, bad]) => (
        <div key={k} className={bad ? 'is-bad' : undefined}>
          <dt>{k}</dt>
          <dd aria-label={k}>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Redraws of a probe at most this often. */
const PROBE_REDRAW_MS = 200;

/** `reading` is the latest from the worker; the card shows it throttled, `lag` ms after its neighbour above. */
export const ProbeCard = memo(function ProbeCard({ probe, reading: live, lag = 0 }: { probe: Probe; reading: ProbeReading | undefined; lag?: number }) {
  const reading = useThrottled(live, PROBE_REDRAW_MS, lag);
  const view = useDashboardStore();
  const [what, setWhat] = useState<'value' | 'grad'>('value');
  const tensor = what === 'value' ? reading?.value : reading?.grad;
  const attention = useEditor((s) => s.doc.nodes.find((n) => n.id === probe.target.node)?.type === 'MultiHeadAttention');
  const shown = probe.target.variable ? probe.target.variable.slice(probe.target.variable.lastIndexOf('/') + 1) : 'output';
  return (
    <section className="probe" aria-label={`Probe ${probe.title}`}>
      <header className="probe-head">
        <span className="probe-dot" aria-hidden="true" />
        <h3 className="probe-title" title={probe.title}>
          {probe.title}
        </h3>
        <span className="probe-step muted">{reading ? `step ${reading.step}` : '…'}</span>
        <button type="button" className="btn btn-icon btn-ghost" aria-label={`Close probe ${probe.title}`} onClick={() => view.getState().closeProbe(probe.id)}>
          <span aria-hidden="true">×</span>
        </button>
      </header>
      <div className="probe-controls">
        {probe.variables.length > 0 && (
          <select
            className="input"
            aria-label="Tensor"
            value={probe.target.variable ?? ''}
            onChange={(e) => view.getState().retarget(probe.id, e.target.value || undefined)}
          >
            <option value="">output</option>
            {probe.variables.map((v) => (
              <option key={v} value={v}>
                {v.slice(v.lastIndexOf('/') + 1)}
              </option>
            ))}
          </select>
        )}
        <div className="segmented" role="radiogroup" aria-label="Value or gradient">
          {(['value', 'grad'] as const).map((w) => (
            <button key={w} type="button" role="radio" aria-checked={what === w} className={what === w ? 'is-on' : ''} onClick={() => setWhat(w)}>
              {w === 'value' ? 'Value' : 'Gradient'}
            </button>
          ))}
        </div>
        {tensor && <span className="probe-shape mono">{formatType({ shape: tensor.shape, dtype: 'f32' })}</span>}
      </div>
      {reading?.error ? (
        <p className="probe-message">{reading.error}</p>
      ) : !tensor ? (
        <p className="probe-message muted">{reading ? (what === 'grad' ? (reading.gradError ?? 'no gradient') : 'no value') : 'Reading…'}</p>
      ) : (
        <>
          <Stats s={tensor.stats} />
          <MiniHistogram
            edges={tensor.histogram.edges}
            counts={tensor.histogram.counts}
            label={`${probe.title} ${shown} ${what === 'value' ? 'value' : 'gradient'}`}
          />
          <TensorViewCanvas view={tensor.view} label={`${shown} ${what === 'value' ? 'value' : 'gradient'}`} />
        </>
      )}
      {attention && !probe.target.variable && <AttentionProbe node={probe.target.node} title={probe.title} />}
    </section>
  );
});
