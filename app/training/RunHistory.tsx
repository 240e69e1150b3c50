/** What happened to the current run (hot edits, live changes, roll backs) and the checkpoints to go back to or fork from. */
import { useShallow } from 'zustand/shallow';
import type { CarryReport, RunChange } from '../../workers/types';
import { useTraining, useTrainingHandle } from './TrainingContext';
import type { useTrainingCommands } from './useTrainingCommands';

const EVERY = [0, 50, 200, 1000, 5000] as const;

/** "kept 6 of 8 tensors, 98% of parameters". */
export function describeCarry(c: CarryReport): string {
  const tensors = c.kept.length + c.initialised.length;
  const share = c.totalParams ? Math.round((100 * c.keptParams) / c.totalParams) : 100;
  return `kept ${c.kept.length} of ${tensors} tensors, ${share}% of parameters`;
}

/** One line for a change marker. */
export function describeChange(c: RunChange): string {
  if (c.kind === 'rollback') return `rolled back to this step`;
  const what = c.kind === 'hot' ? 'graph changed' : 'settings changed';
  return `${what}: ${c.reasons.slice(0, 2).join('; ')}${c.reasons.length > 2 ? '; …' : ''}${c.carried ? ` — ${describeCarry(c.carried)}` : ''}`;
}

export function RunHistory({ commands }: { commands: ReturnType<typeof useTrainingCommands> }) {
  const { run, changes, checkpoints, busy } = useTraining(useShallow((s) => ({ run: s.run, changes: s.changes, checkpoints: s.checkpoints, busy: s.busy })));
  const { client } = useTrainingHandle();
  return (
    <section className="run-history" aria-label="Run history">
      {changes.length > 0 && (
        <ol className="run-changes" aria-label="Changes during this run">
          {changes.map((c, i) => (
            <li key={i}>
              <span className="run-step">step {c.step}</span> {describeChange(c)}
            </li>
          ))}
        </ol>
      )}
      <div className="field checkpoint-policy">
        <label htmlFor="train-checkpoints">Checkpoints</label>
        <select
          id="train-checkpoints"
          defaultValue={200}
          aria-describedby="train-checkpoints-hint"
          onChange={(e) => void client().api.setCheckpointPolicy({ everySteps: Number(e.target.value), keep: 8 })}
        >
          {EVERY.map((n) => (
            <option key={n} value={n}>
              {n === 0 ? 'only at the start' : `every ${n} steps`}
            </option>
          ))}
        </select>
        <p id="train-checkpoints-hint" className="field-hint">
          Snapshots of the weights and optimizer state, the last 8 kept in memory: roll back to one, or fork a new run from it with the settings above.
        </p>
      </div>
      {checkpoints.length > 0 && (
        <ul className="checkpoints" aria-label="Checkpoints">
          {[...checkpoints].reverse().map((c) => {
            const own = c.run === run?.id;
            return (
              <li key={`${c.run}:${c.step}`}>
                <span className="run-step">step {c.step}</span>
                {!own && <span className="muted"> (earlier run)</span>}
                <span className="checkpoint-actions">
                  {own && (
                    <button type="button" disabled={busy} onClick={() => void commands.rollback(c.step)} aria-label={`Roll back to step ${c.step}`}>
                      Roll back
                    </button>
                  )}
                  <button type="button" disabled={busy} onClick={() => void commands.fork(c.run, c.step)} aria-label={`Fork a new run from step ${c.step}`}>
                    Fork
                  </button>
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
