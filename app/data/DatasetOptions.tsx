/** The options of each kind of dataset: size and noise, MNIST subset, scaling, CSV columns, image size. */
import type { DatasetConfig, Scaling } from '../../engine/graph/training';
import type { UploadSummary } from '../../workers/datasetTypes';
import { NumberInput, SelectInput } from './DataFields';

type Set = (dataset: DatasetConfig) => string | undefined;
const SCALINGS = [
  ['standardize', 'Standardize (mean 0, std 1)'],
  ['minmax', 'Min-max (0..1)'],
  ['none', 'None'],
] as const satisfies readonly (readonly [Scaling, string])[];

export function SyntheticOptions({ cfg, set }: { cfg: Extract<DatasetConfig, { noise: number }>; set: Set }) {
  return (
    <div className="field-row">
      <NumberInput label="Samples" value={cfg.size} step="1" min={1} onCommit={(v) => (v === undefined ? 'required' : set({ ...cfg, size: v }))} />
      <NumberInput label="Noise" value={cfg.noise} min={0} step="0.05" onCommit={(v) => (v === undefined ? 'required' : set({ ...cfg, noise: v }))} />
    </div>
  );
}

export function MnistOptions({ cfg, set }: { cfg: Extract<DatasetConfig, { kind: 'mnist' }>; set: Set }) {
  return (
    <NumberInput
      label="Digits used (blank: all 10,000)"
      value={cfg.subset}
      step="1"
      min={10}
      max={10000}
      placeholder="10000"
      onCommit={(v) => set(v === undefined ? { kind: 'mnist' } : { kind: 'mnist', subset: v })}
    />
  );
}

export function ScalingSelect({ value, onChange }: { value: Scaling; onChange: (s: Scaling) => void }) {
  return <SelectInput label="Feature scaling (from the training split)" value={value} options={SCALINGS} onChange={onChange} />;
}

export function CsvOptions({ cfg, summary, set }: { cfg: Extract<DatasetConfig, { kind: 'csv' }>; summary: UploadSummary; set: Set }) {
  const columns = summary.csv?.columns ?? [];
  const features = cfg.features.length ? cfg.features : columns.map((c) => c.name).filter((n) => n !== cfg.label);
  const toggle = (name: string, on: boolean) => {
    const next = columns.map((c) => c.name).filter((n) => n !== cfg.label && (n === name ? on : features.includes(n)));
    return set({ ...cfg, features: next.length === columns.length - 1 ? [] : next });
  };
  const missing = columns.filter((c) => c.missing > 0);
  return (
    <>
      <div className="field-row">
        <SelectInput
          label="Label column"
          value={cfg.label}
          options={columns.map((c) => [c.name, c.name] as const)}
          onChange={(label) => set({ ...cfg, label, features: cfg.features.filter((f) => f !== label) })}
        />
        <SelectInput
          label="Task"
          value={cfg.task}
          options={[
            ['class', 'Classes'],
            ['number', 'Number (regression)'],
          ]}
          onChange={(task) => set({ ...cfg, task })}
        />
      </div>
      <fieldset>
        <legend>Feature columns</legend>
        <div className="feature-list">
          {columns
            .filter((c) => c.name !== cfg.label)
            .map((c) => (
              <label key={c.name} title={`${c.name}: ${c.kind === 'numeric' ? 'numbers' : `text, ${c.values.length} values (one-hot)`}`}>
                <input type="checkbox" checked={features.includes(c.name)} onChange={(e) => toggle(c.name, e.target.checked)} />
                {c.name}
                {c.kind === 'categorical' ? ' (text)' : ''}
              </label>
            ))}
        </div>
      </fieldset>
      <ScalingSelect value={cfg.scaling} onChange={(scaling) => set({ ...cfg, scaling })} />
      {missing.length > 0 && (
        <p className="data-hint" role="note">
          Missing values:{' '}
          {missing.map((c) => `${c.name} ${c.missing} (line ${c.missingLines.join(', ')}${c.missing > c.missingLines.length ? ', …' : ''})`).join('; ')}. Rows
          missing a chosen column are left out.
        </p>
      )}
    </>
  );
}

export function ImageOptions({ cfg, set }: { cfg: Extract<DatasetConfig, { kind: 'images' }>; set: Set }) {
  return (
    <>
      <div className="field-row">
        <NumberInput label="Width" value={cfg.width} step="1" min={1} max={512} onCommit={(v) => (v === undefined ? 'required' : set({ ...cfg, width: v }))} />
        <NumberInput
          label="Height"
          value={cfg.height}
          step="1"
          min={1}
          max={512}
          onCommit={(v) => (v === undefined ? 'required' : set({ ...cfg, height: v }))}
        />
        <SelectInput
          label="Colour"
          value={cfg.color}
          options={[
            ['grayscale', 'Grayscale'],
            ['rgb', 'RGB'],
          ]}
          onChange={(color) => set({ ...cfg, color })}
        />
      </div>
    </>
  );
}
