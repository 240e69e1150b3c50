/** Options of the sequence datasets: a synthetic task with its length, size and seed; a text corpus (built in or an uploaded .txt) with its context. */
import type { DatasetConfig } from '../../engine/graph/training';
import type { UploadSummary } from '../../workers/datasetTypes';
import { NumberInput, SelectInput } from './DataFields';

type Set = (dataset: DatasetConfig) => string | undefined;
type TaskConfig = Extract<DatasetConfig, { kind: 'sequence' }>;
type TextConfig = Extract<DatasetConfig, { kind: 'text' }>;

const TASKS = [
  ['copy', 'Copy (repeat the digits)'],
  ['reverse', 'Reverse the digits'],
  ['sort', 'Sort the digits'],
  ['add', 'Add two numbers'],
  ['parens', 'Balanced parentheses? (y/n)'],
] as const satisfies readonly (readonly [TaskConfig['task'], string])[];

const whole = (v: number | undefined, min: number, max: number, what: string) =>
  v === undefined ? 'required' : !Number.isInteger(v) || v < min || v > max ? `${what}: a whole number from ${min} to ${max.toLocaleString('en')}` : undefined;

export function SequenceTaskOptions({ cfg, set }: { cfg: TaskConfig; set: Set }) {
  const lengthLabel = cfg.task === 'add' ? 'Digits per number' : cfg.task === 'parens' ? 'Pairs of parentheses' : 'Digits';
  return (
    <>
      <SelectInput label="Task" value={cfg.task} options={TASKS} onChange={(task) => set({ ...cfg, task })} />
      <div className="field-row">
        <NumberInput
          label={lengthLabel}
          value={cfg.length}
          step="1"
          min={1}
          max={64}
          onCommit={(v) => whole(v, 1, 64, 'length') ?? set({ ...cfg, length: v! })}
        />
        <NumberInput
          label="Sequences"
          value={cfg.size}
          step="1"
          min={1}
          max={1_000_000}
          onCommit={(v) => whole(v, 1, 1_000_000, 'sequences') ?? set({ ...cfg, size: v! })}
        />
        <NumberInput
          label="Seed"
          value={cfg.seed}
          step="1"
          placeholder="run's"
          onCommit={(v) =>
            v === undefined
              ? set({ kind: cfg.kind, task: cfg.task, length: cfg.length, size: cfg.size })
              : (whole(v, -(2 ** 31), 2 ** 31 - 1, 'seed') ?? set({ ...cfg, seed: v }))
          }
        />
      </div>
      <p className="data-hint">
        Each example reads prompt=answer; the loss counts only the answer (label −100 over the prompt). Train a causal model: it must not see the next token.
      </p>
    </>
  );
}

export function TextOptions({ cfg, summary, set }: { cfg: TextConfig; summary: UploadSummary | null | undefined; set: Set }) {
  const sources = [
    ['builtin', 'Built in: State of the Union addresses, 1790–1831'],
    ['upload', 'Your .txt file'],
  ] as const;
  return (
    <>
      <SelectInput
        label="Text"
        value={cfg.source}
        options={sources}
        onChange={(source) => set(source === 'builtin' ? { kind: 'text', source, context: cfg.context } : { ...cfg, source })}
      />
      {cfg.source === 'upload' && summary?.text && (
        <p className="upload-info">
          {summary.name} · {summary.text.characters.toLocaleString('en')} characters · {summary.text.distinct} distinct · {summary.text.encoding}
        </p>
      )}
      <NumberInput
        label="Context (characters per sample)"
        value={cfg.context}
        step="1"
        min={1}
        max={1024}
        onCommit={(v) => whole(v, 1, 1024, 'context') ?? set({ ...cfg, context: v! })}
      />
    </>
  );
}
