/** The learning-rate schedule: its kind and the numbers that kind needs, each explained. */
import type { ScheduleConfig, TrainingConfig } from '../../engine/graph/training';
import { NumberField } from './NumberField';

const KINDS = [
  ['constant', 'Constant', 'The learning rate stays as set.'],
  ['step', 'Step decay', 'Multiplied by γ every N steps.'],
  ['exponential', 'Exponential', 'Multiplied by γ over every N steps, smoothly.'],
  ['cosine', 'Cosine', 'Falls along a half cosine to the minimum over N steps.'],
] as const;

export function ScheduleFields({ schedule, set }: { schedule: ScheduleConfig; set: (patch: Partial<TrainingConfig>) => string | undefined }) {
  const put = (patch: Record<string, unknown>) => set({ schedule: { ...schedule, ...patch } as ScheduleConfig });
  const hint = KINDS.find(([k]) => k === schedule.type)?.[2];
  return (
    <>
      <div className="field">
        <label htmlFor="train-schedule">Learning-rate schedule</label>
        <select
          id="train-schedule"
          value={schedule.type}
          aria-describedby="train-schedule-hint"
          onChange={(e) => {
            const type = e.target.value as ScheduleConfig['type'];
            const defaults: Record<ScheduleConfig['type'], Record<string, unknown>> = {
              constant: {},
              step: { stepSize: 1000 },
              exponential: {},
              cosine: { totalSteps: 10_000 },
            };
            set({ schedule: { type, warmupSteps: schedule.warmupSteps, ...defaults[type] } as ScheduleConfig });
          }}
        >
          {KINDS.map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
        <p id="train-schedule-hint" className="field-hint">
          {hint} Changes apply to a running run at its next step.
        </p>
      </div>
      <div className="field-row">
        {schedule.type === 'step' && (
          <>
            <NumberField
              label="Decay every"
              hint="in steps"
              value={schedule.stepSize}
              step="1"
              min={1}
              onCommit={(v) => (v === undefined ? 'required' : put({ stepSize: v }))}
            />
            <NumberField label="γ (factor)" value={schedule.gamma} onCommit={(v) => (v === undefined ? 'required' : put({ gamma: v }))} />
          </>
        )}
        {schedule.type === 'exponential' && (
          <>
            <NumberField
              label="Decay period"
              hint="in steps"
              value={schedule.decaySteps}
              step="1"
              min={1}
              onCommit={(v) => (v === undefined ? 'required' : put({ decaySteps: v }))}
            />
            <NumberField label="γ (factor)" value={schedule.gamma} onCommit={(v) => (v === undefined ? 'required' : put({ gamma: v }))} />
          </>
        )}
        {schedule.type === 'cosine' && (
          <>
            <NumberField
              label="Anneal over"
              hint="in steps"
              value={schedule.totalSteps}
              step="1"
              min={1}
              onCommit={(v) => (v === undefined ? 'required' : put({ totalSteps: v }))}
            />
            <NumberField label="Minimum rate" value={schedule.minLr} min={0} onCommit={(v) => (v === undefined ? 'required' : put({ minLr: v }))} />
          </>
        )}
        <NumberField
          label="Warm-up"
          hint="steps ramping up from 0"
          value={schedule.warmupSteps}
          step="1"
          min={0}
          onCommit={(v) => put({ warmupSteps: v ?? 0 })}
        />
      </div>
    </>
  );
}
