/** The runs beside every dashboard tab: overlay toggles, colours, names (renamable), hyperparameters, delete. */
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useEditorStore } from '../store/context';
import { useRuns, useRunsStore } from './DashboardContext';
import { describeRun, runColour, type Run } from './runs';
import { useThrottled } from '../hooks/useThrottled';

const STATE_TEXT: Record<Run['state'], string> = { idle: 'idle', running: 'training', paused: 'paused', done: 'done', error: 'failed' };

function RunRow({ run, live }: { run: Run; live: boolean }) {
  const runs = useRunsStore();
  const editor = useEditorStore();
  const [editing, setEditing] = useState(false);
  const last = run.points[run.points.length - 1];
  return (
    <li className={`run-row${run.visible ? '' : ' is-hidden'}`}>
      <input
        type="checkbox"
        className="checkbox"
        checked={run.visible}
        onChange={(e) => runs.getState().setVisible(run.id, e.target.checked)}
        aria-label={`Show ${run.name}`}
        style={{ accentColor: runColour(run) }}
      />
      <span className="swatch" style={{ background: runColour(run) }} aria-hidden="true" />
      <div className="run-text">
        {editing ? (
          <input
            className="input run-name-input"
            defaultValue={run.name}
            aria-label={`New name for ${run.name}`}
            autoFocus
            onBlur={(e) => {
              runs.getState().rename(run.id, e.target.value);
              setEditing(false);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
              if (e.key === 'Escape') setEditing(false);
            }}
          />
        ) : (
          <span className="run-name" title={run.name}>
            {run.name}
          </span>
        )}
        <span className="run-meta" title={`${describeRun(run)} — ${new Date(run.created).toLocaleString()}`}>
          {describeRun(run)}
        </span>
        <span className="run-meta">
          {live ? <strong className="run-live">● {STATE_TEXT[run.state]}</strong> : STATE_TEXT[run.state]}
          {last ? ` · step ${last.step} · loss ${Number.isFinite(last.loss) ? last.loss.toPrecision(3) : last.loss}` : ''}
        </span>
      </div>
      <div className="run-actions">
        <button
          type="button"
          className="btn btn-icon btn-ghost"
          onClick={() => {
            const r = editor.getState().loadDocument(run.doc);
            editor.getState().notify(r.ok ? 'info' : 'error', r.ok ? `Opened the graph and settings ${run.name} trained (undo to go back)` : r.reason);
          }}
          aria-label={`Open the graph of ${run.name}`}
          title="Open the graph and settings this run trained"
        >
          <span aria-hidden="true">↺</span>
        </button>
        <button type="button" className="btn btn-icon btn-ghost" onClick={() => setEditing(true)} aria-label={`Rename ${run.name}`} title="Rename">
          <span aria-hidden="true">✎</span>
        </button>
        <button
          type="button"
          className="btn btn-icon btn-ghost"
          onClick={() => runs.getState().remove(run.id)}
          aria-label={`Delete ${run.name}`}
          title="Delete run"
          disabled={live && run.state === 'running'}
        >
          <span aria-hidden="true">🗑</span>
        </button>
      </div>
    </li>
  );
}

export function RunsList() {
  const { runs: current, live } = useRuns(useShallow((s) => ({ runs: s.runs, live: s.live })));
  // Runs change with every training event; the list redraws a few times a second.
  const runs = useThrottled(current, 300);
  return (
    <section className="runs" aria-labelledby="runs-title">
      <h3 id="runs-title" className="dash-subtitle">
        Runs <span className="muted">{runs.length}</span>
      </h3>
      {runs.length === 0 ? (
        <p className="muted small">Every training run appears here, kept across reloads. Train to start one.</p>
      ) : (
        <ul className="run-list" aria-label="Runs">
          {[...runs].reverse().map((r) => (
            <RunRow key={r.id} run={r} live={r.id === live} />
          ))}
        </ul>
      )}
    </section>
  );
}
