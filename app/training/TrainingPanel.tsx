/** Dataset, optimizer and run controls; progress; live curves. Edits go to the document's training config. */
import { useMemo, type ReactNode } from 'react';
import { useShallow } from 'zustand/shallow';
import { getNodeSpec } from '../../engine/graph/nodes';
import type { TrainingConfig } from '../../engine/graph/training';
import { useEditor, useEditorStore } from '../store/context';
import { Curve } from './LossChart';
import { NumberField } from './NumberField';
import { RunControls } from './RunControls';
import { RunHistory, describeChange } from './RunHistory';
import { ScheduleFields } from './ScheduleFields';
import { useTraining } from './TrainingContext';
import { useLiveSession } from './useLiveSession';
import { useTrainingCommands } from './useTrainingCommands';
import './training.css';

const OPTIMIZERS = [
  ['sgd', 'SGD'],
  ['adam', 'Adam'],
  ['adamw', 'AdamW'],
  ['rmsprop', 'RMSprop'],
  ['adagrad', 'Adagrad'],
] as const;

/** Writes a change to the document's training settings; returns why it was refused, if it was. */
export type SetTraining = (patch: Partial<TrainingConfig>) => string | undefined;

/** The training settings, run controls and curves; `dataset` renders the Dataset section at the top. */
export function TrainingPanel({ dataset }: { dataset: (set: SetTraining) => ReactNode }) {
  const store = useEditorStore();
  const training = useEditor((s) => s.doc.training);
  const commands = useTrainingCommands();
  useLiveSession(commands.sync);
  const set: SetTraining = (patch) => {
    const r = store.getState().setTraining(patch);
    return r.ok ? undefined : r.reason;
  };

  return (
    <div className="training">
      {dataset(set)}
      <NumberField
        label="Validation split"
        value={training.validationSplit}
        step="0.05"
        min={0}
        max={0.9}
        hint="Share of the data held out, never trained on: its loss (the orange curve) shows how the model does on data it has not seen."
        onCommit={(v) => (v === undefined ? 'required' : set({ validationSplit: v }))}
      />
      <div className="field">
        <label htmlFor="train-optimizer">Optimizer</label>
        <select
          id="train-optimizer"
          value={training.optimizer.type}
          onChange={(e) => set({ optimizer: { type: e.target.value } as TrainingConfig['optimizer'] })}
        >
          {OPTIMIZERS.map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="field-row">
        <NumberField label="Learning rate" value={training.lr} onCommit={(v) => (v === undefined ? 'required' : set({ lr: v }))} />
        <NumberField label="Batch size" value={training.batchSize} step="1" min={1} onCommit={(v) => (v === undefined ? 'required' : set({ batchSize: v }))} />
      </div>
      <ScheduleFields schedule={training.schedule} set={set} />
      <div className="field-row">
        <NumberField label="Epochs" value={training.epochs} step="1" min={1} onCommit={(v) => (v === undefined ? 'required' : set({ epochs: v }))} />
        <NumberField label="Steps" value={training.steps} step="1" min={1} onCommit={(v) => set({ steps: v })} />
        <NumberField label="Seed" value={training.seed} step="1" onCommit={(v) => (v === undefined ? 'required' : set({ seed: v }))} />
      </div>
      <p className="field-hint" id="train-length-hint">
        An epoch is one pass over the training split, one step one batch. Steps, when set, overrides epochs. Learning rate, schedule, optimizer settings and run
        length change a running run at its next step.
      </p>
      <RunControls commands={commands} />
      <TrainingCurves />
      <RunHistory commands={commands} />
    </div>
  );
}

/** The loss curve and one accuracy curve per Accuracy node: re-rendered only when points arrive. */
function TrainingCurves() {
  // The node list, not a list derived in the selector: a selector runs at every render and every store change.
  const nodes = useEditor((s) => s.doc.nodes);
  const metricIds = useMemo(() => nodes.filter((n) => getNodeSpec(n.type)?.role === 'metric').map((n) => n.id), [nodes]);
  const { points, validation, running, totalSteps, changes } = useTraining(
    useShallow((s) => ({
      points: s.points,
      validation: s.validation,
      running: s.status.state === 'running',
      totalSteps: s.status.totalSteps,
      changes: s.changes,
    })),
  );
  const markers = useMemo(() => changes.map((c) => ({ x: c.step, label: describeChange(c) })), [changes]);
  return (
    <>
      <Curve title="Loss" points={points} validation={validation} running={running} totalSteps={totalSteps} markers={markers} />
      {metricIds.map((id, i) => (
        <Curve
          key={id}
          title={`Accuracy (${id})`}
          metric={id}
          points={points}
          validation={validation}
          offset={i + 1}
          running={running}
          totalSteps={totalSteps}
          markers={markers}
        />
      ))}
    </>
  );
}
