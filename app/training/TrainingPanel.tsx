/** Dataset, optimizer and run controls; progress; live curves. Edits go to the document's training config. */
import { useState } from 'react';
import { useShallow } from 'zustand/shallow';
import type { TrainingConfig } from '../../engine/graph/training';
import { DatasetSection } from '../data/DatasetSection';
import { useEditor, useEditorStore } from '../store/context';
import { Curve } from './LossChart';
import { useTraining } from './TrainingContext';
import { secondsLeft } from './trainingStore';
import { useTrainingCommands } from './useTrainingCommands';
import './training.css';

const OPTIMIZERS = [['sgd', 'SGD'], ['adam', 'Adam'], ['adamw', 'AdamW'], ['rmsprop', 'RMSprop'], ['adagrad', 'Adagrad']] as const;

function NumberField({ label, value, onCommit, step = 'any', min }: { label: string; value: number | undefined; onCommit: (v: number | undefined) => string | undefined; step?: string; min?: number }) {
  const [text, setText] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const id = `train-${label.replace(/\W+/g, '-').toLowerCase()}`;
  const commit = (raw: string) => {
    const v = raw.trim() === '' ? undefined : Number(raw);
    const problem = v !== undefined && !Number.isFinite(v) ? 'enter a number' : onCommit(v);
    setError(problem);
    if (!problem) setText(undefined);
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="number" inputMode="decimal" step={step} min={min} value={text ?? (value ?? '')} aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => setText(e.target.value)} onBlur={(e) => commit(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && commit((e.target as HTMLInputElement).value)} />
      {error && <p id={`${id}-error`} className="field-error">{error}</p>}
    </div>
  );
}

function formatTime(s: number | undefined): string {
  if (s === undefined) return '—';
  if (s < 60) return `${Math.ceil(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.ceil(s % 60)} s`;
}

export function TrainingPanel() {
  const store = useEditorStore();
  const training = useEditor((s) => s.doc.training);
  const set = (patch: Partial<TrainingConfig>): string | undefined => {
    const r = store.getState().setTraining(patch);
    return r.ok ? undefined : r.reason;
  };

  return (
    <div className="training">
      <DatasetSection set={set} />
      <div className="field">
        <label htmlFor="train-optimizer">Optimizer</label>
        <select id="train-optimizer" value={training.optimizer.type} onChange={(e) => set({ optimizer: { type: e.target.value } as TrainingConfig['optimizer'] })}>
          {OPTIMIZERS.map(([k, label]) => <option key={k} value={k}>{label}</option>)}
        </select>
      </div>
      <div className="field-row">
        <NumberField label="Learning rate" value={training.lr} onCommit={(v) => (v === undefined ? 'required' : set({ lr: v }))} />
        <NumberField label="Batch size" value={training.batchSize} step="1" min={1} onCommit={(v) => (v === undefined ? 'required' : set({ batchSize: v }))} />
      </div>
      <div className="field-row">
        <NumberField label="Epochs" value={training.epochs} step="1" min={1} onCommit={(v) => (v === undefined ? 'required' : set({ epochs: v }))} />
        <NumberField label="Steps" value={training.steps} step="1" min={1} onCommit={(v) => set({ steps: v })} />
        <NumberField label="Seed" value={training.seed} step="1" onCommit={(v) => (v === undefined ? 'required' : set({ seed: v }))} />
      </div>
      <RunControls />
      <TrainingCurves />
    </div>
  );
}

/** Buttons, progress and errors: re-rendered by status events (10 a second), apart from the fields above. */
function RunControls() {
  const { status, backend, error, failure, busy } = useTraining(useShallow((s) => ({ status: s.status, backend: s.backend, error: s.error, failure: s.failure, busy: s.busy })));
  const commands = useTrainingCommands();
  const running = status.state === 'running';
  const progress = status.totalSteps ? status.step / status.totalSteps : 0;
  return (
    <>
      <div className="run-buttons" role="group" aria-label="Run controls">
        <button type="button" className="primary" onClick={() => void commands.train()} disabled={running || busy || !!failure}>{status.state === 'paused' ? 'Resume' : 'Train'}</button>
        <button type="button" onClick={() => void commands.pause()} disabled={!running}>Pause</button>
        <button type="button" onClick={() => void commands.step()} disabled={running || busy || !!failure}>Step</button>
        <button type="button" onClick={() => void commands.reset()} disabled={busy || !!failure}>Reset</button>
      </div>

      {/* Only the run state is announced: the step counter changes ten times a second. */}
      <div className="progress">
        <progress aria-label="Training progress" max={1} value={progress} />
        <p className="progress-text">
          <span>Step <output aria-label="step">{status.step}</output>{status.totalSteps ? ` / ${status.totalSteps}` : ''}</span>
          <span>{status.stepsPerSecond ? `${status.stepsPerSecond.toFixed(1)} steps/s` : ''}</span>
          <span>{running ? `${formatTime(secondsLeft(status))} left` : status.state}</span>
          <span className="visually-hidden" aria-live="polite">{status.state === 'idle' || status.state === 'error' ? '' : `Training ${status.state}`}</span>
        </p>
        {backend && <p className="backend" aria-label="Backend">{backend.kind === 'webgpu' ? 'WebGPU' : 'CPU'} · {backend.device}{backend.fallbackReason ? ` (${backend.fallbackReason})` : ''}</p>}
      </div>

      {failure && (
        <div className="train-error" role="alert">
          <p>{failure.message}. Your graph is safe.</p>
          <button type="button" onClick={commands.restartWorker}>Restart worker</button>
        </div>
      )}
      {error && <p className="train-error" role="alert">{error.message}</p>}
    </>
  );
}

/** The loss curve and one accuracy curve per Accuracy node: re-rendered only when points arrive. */
function TrainingCurves() {
  const metricIds = useEditor(useShallow((s) => s.doc.nodes.filter((n) => n.type === 'Accuracy').map((n) => n.id)));
  const { points, validation, running, totalSteps } = useTraining(useShallow((s) => ({ points: s.points, validation: s.validation, running: s.status.state === 'running', totalSteps: s.status.totalSteps })));
  return (
    <>
      <Curve title="Loss" points={points} validation={validation} running={running} totalSteps={totalSteps} />
      {metricIds.map((id, i) => <Curve key={id} title={`Accuracy (${id})`} metric={id} points={points} validation={validation} offset={i + 1} running={running} totalSteps={totalSteps} />)}
    </>
  );
}
