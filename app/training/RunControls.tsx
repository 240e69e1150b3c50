/** Buttons, progress and errors: re-rendered by status events (10 a second), apart from the settings. */
import { useShallow } from 'zustand/shallow';
import { formatError } from '../../engine/graph/errors';
import { useEditor } from '../store/context';
import { useTraining } from './TrainingContext';
import { runAction } from './runAction';
import { secondsLeft } from './trainingStore';
import type { useTrainingCommands } from './useTrainingCommands';

function formatTime(s: number | undefined): string {
  if (s === undefined) return '—';
  if (s < 60) return `${Math.ceil(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.ceil(s % 60)} s`;
}

export function RunControls({ commands }: { commands: ReturnType<typeof useTrainingCommands> }) {
  const { status, backend, error, failure, busy, compiled, refused } = useTraining(
    useShallow((s) => ({ status: s.status, backend: s.backend, error: s.error, failure: s.failure, busy: s.busy, compiled: s.compiled, refused: s.refused })),
  );
  const doc = useEditor((s) => s.doc);
  const running = status.state === 'running';
  const progress = status.totalSteps ? status.step / status.totalSteps : 0;
  const action = runAction(status.state, compiled, doc);
  const why = action.kind === 'train' ? undefined : action.change.reasons.slice(0, 3).join('; ') + (action.change.reasons.length > 3 ? '; …' : '');
  return (
    <>
      <div className="run-buttons" role="group" aria-label="Run controls">
        <button type="button" className="primary" onClick={() => void commands.train()} disabled={running || busy || !!failure} title={why}>
          {running ? 'Training…' : action.label}
        </button>
        <button type="button" onClick={() => void commands.pause()} disabled={!running}>
          Pause
        </button>
        <button type="button" onClick={() => void commands.step()} disabled={running || busy || !!failure || action.kind === 'restart'}>
          Step
        </button>
        <button
          type="button"
          onClick={() => void commands.restart(false)}
          disabled={busy || !!failure || !compiled}
          title="Back to new weights: Train then starts a new run (this one stays in the dashboard's runs)"
        >
          Reset
        </button>
      </div>
      {!running && action.kind === 'resume' && action.change.kind === 'hot' && (
        <p className="run-note" role="note">
          Resume recompiles the graph and keeps every weight whose node and shape are unchanged: {why}.
        </p>
      )}
      {action.kind === 'restart' && action.label === 'Restart' && (
        <p className="run-note" role="note">
          This run cannot continue with {why}: Restart trains from new weights, as a new run.
        </p>
      )}
      {refused && (refused.applied === 'invalid' || running) && (
        <div className="run-note run-note-warning" role="status">
          {refused.applied === 'invalid'
            ? `Training goes on with the last graph that compiled: ${refused.errors[0] ? formatError(refused.errors[0]) : 'the graph has errors'}.`
            : `This run goes on with its previous settings: ${refused.change.reasons.join('; ')} needs a new run.`}
          {refused.applied === 'restart-needed' && (
            <button type="button" onClick={() => void commands.restart(true)}>
              Restart with it
            </button>
          )}
        </div>
      )}

      {/* Only the run state is announced: the step counter changes ten times a second. */}
      <div className="progress">
        <progress aria-label="Training progress" max={1} value={progress} />
        <p className="progress-text">
          <span>
            Step <output aria-label="step">{status.step}</output>
            {status.totalSteps ? ` / ${status.totalSteps}` : ''}
          </span>
          <span>{status.stepsPerSecond ? `${status.stepsPerSecond.toFixed(1)} steps/s` : ''}</span>
          <span>{running ? `${formatTime(secondsLeft(status))} left` : status.state}</span>
          <span className="visually-hidden" aria-live="polite">
            {status.state === 'idle' || status.state === 'error' ? '' : `Training ${status.state}`}
          </span>
        </p>
        {backend && (
          <p className="backend" aria-label="Backend">
            {backend.kind === 'webgpu' ? 'WebGPU' : 'CPU'} · {backend.device}
            {backend.fallbackReason ? ` (${backend.fallbackReason})` : ''}
          </p>
        )}
      </div>

      {failure && (
        <div className="train-error" role="alert">
          <p>{failure.message}. Your graph is safe.</p>
          <button type="button" onClick={commands.restartWorker}>
            Restart worker
          </button>
        </div>
      )}
      {error && (
        <p className="train-error" role="alert">
          {error.message}
        </p>
      )}
    </>
  );
}
