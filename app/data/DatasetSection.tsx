/**
 * The Dataset part of the training panel: choose a built-in set or upload your own (CSV, image folder, text),
 * set its options, see a preview, and match the graph's Input nodes to its fields.
 */
import { useState } from 'react';
import { useShallow } from 'zustand/shallow';
import type { DatasetConfig, TrainingConfig } from '../../engine/graph/training';
import { useEditor, useEditorStore } from '../store/context';
import { useTrainingHandle } from '../training/TrainingContext';
import { CsvOptions, ImageOptions, MnistOptions, ScalingSelect, SyntheticOptions } from './DatasetOptions';
import { SequenceTaskOptions, TextOptions } from './SequenceOptions';
import { DatasetPreview } from './DatasetPreview';
import { inputMismatches } from './inputFit';
import { configFor, uploadFiles } from './upload';
import { CsvUploadButton, ImageUploadButtons, TextUploadButton } from './UploadButtons';
import { errorMessage, useDatasetPreview, useUploadSummary } from './useDatasetInfo';
import './data.css';

type Kind = DatasetConfig['kind'];
const GROUPS: readonly (readonly [string, readonly (readonly [Kind, string])[]])[] = [
  [
    'Playground sets',
    [
      ['spirals', 'Two spirals'],
      ['xor', 'XOR'],
      ['circle', 'Circle'],
      ['gaussians', 'Two Gaussians'],
      ['plane', 'Plane (regression)'],
      ['multi_gaussian', 'Multi-Gaussian (regression)'],
      ['random', 'Random tensors'],
    ],
  ],
  [
    'Built in',
    [
      ['mnist', 'MNIST digits (10,000)'],
      ['iris', 'Iris flowers'],
    ],
  ],
  [
    'Sequences',
    [
      ['sequence', 'Sequence task (copy, sort, add…)'],
      ['text', 'Text, as characters'],
    ],
  ],
  [
    'Your data',
    [
      ['csv', 'CSV file…'],
      ['images', 'Image folder…'],
    ],
  ],
];

export function DatasetSection({ set }: { set: (patch: Partial<TrainingConfig>) => string | undefined }) {
  const editor = useEditorStore();
  const { client } = useTrainingHandle();
  const training = useEditor((s) => s.doc.training);
  const inputs = useEditor(useShallow((s) => s.doc.nodes.filter((n) => n.type === 'Input')));
  const cfg = training.dataset;
  const [choosing, setChoosing] = useState<'csv' | 'images' | undefined>(undefined);
  const [version, setVersion] = useState(0);
  const [upload, setUpload] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const uploadName = cfg.kind === 'csv' || cfg.kind === 'images' ? cfg.name : cfg.kind === 'text' && cfg.source === 'upload' ? cfg.name : undefined;
  const summary = useUploadSummary(uploadName, version);
  const stored = uploadName !== undefined && summary !== null;
  const { preview, error, loading } = useDatasetPreview(training, version);
  const setDataset = (dataset: DatasetConfig) => set({ dataset });
  const kind = choosing ?? cfg.kind;

  const pick = (k: Kind) => {
    setUpload({ busy: false });
    if (k === 'csv' || k === 'images') {
      setChoosing(k === cfg.kind ? undefined : k);
      return;
    }
    setChoosing(undefined);
    setDataset({ kind: k } as DatasetConfig);
  };

  const onFiles = (k: 'csv' | 'images' | 'text') => async (files: File[]) => {
    setUpload({ busy: true });
    try {
      const s = await uploadFiles(client(), k, files);
      const problem = setDataset(configFor(s, cfg));
      setUpload({ busy: false, ...(problem ? { error: problem } : {}) });
      setChoosing(undefined);
      setVersion((v) => v + 1);
    } catch (e) {
      setUpload({ busy: false, error: errorMessage(e) });
    }
  };

  const mismatches = preview && !loading && !choosing && preview.name === (uploadName ?? preview.name) ? inputMismatches(inputs, preview.fields) : [];
  const fixable = mismatches.filter((m) => m.fix);
  const fitInputs = () => {
    for (const m of fixable) editor.getState().updateParams(m.node, { shape: m.fix!.shape, dtype: m.fix!.dtype });
  };

  return (
    <section className="dataset" aria-label="Dataset">
      <div className="field">
        <label htmlFor="train-dataset">Dataset</label>
        <select id="train-dataset" value={kind} onChange={(e) => pick(e.target.value as Kind)}>
          {GROUPS.map(([group, items]) => (
            <optgroup key={group} label={group}>
              {items.map(([k, label]) => (
                <option key={k} value={k}>
                  {label}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </div>

      {!choosing && 'noise' in cfg && <SyntheticOptions cfg={cfg} set={setDataset} />}
      {!choosing && cfg.kind === 'mnist' && <MnistOptions cfg={cfg} set={setDataset} />}
      {!choosing && cfg.kind === 'iris' && <ScalingSelect value={cfg.scaling} onChange={(scaling) => setDataset({ ...cfg, scaling })} />}
      {!choosing && cfg.kind === 'sequence' && <SequenceTaskOptions cfg={cfg} set={setDataset} />}
      {!choosing && cfg.kind === 'text' && (
        <>
          <TextOptions cfg={cfg} summary={summary} set={setDataset} />
          {cfg.source === 'upload' && <TextUploadButton onFiles={onFiles('text')} busy={upload.busy} replace={stored} />}
        </>
      )}

      {kind === 'csv' && (
        <>
          {!choosing && cfg.kind === 'csv' && summary && (
            <p className="upload-info">
              {summary.name} · {summary.csv?.rows.toLocaleString('en')} rows · {summary.csv?.columns.length} columns
            </p>
          )}
          <CsvUploadButton onFiles={onFiles('csv')} busy={upload.busy} replace={!choosing && stored} />
          {choosing && <p className="data-hint">A header row names the columns; text columns are one-hot encoded. The file stays in this browser.</p>}
          {!choosing && cfg.kind === 'csv' && summary && <CsvOptions cfg={cfg} summary={summary} set={setDataset} />}
        </>
      )}
      {kind === 'images' && (
        <>
          {!choosing && cfg.kind === 'images' && summary?.images && (
            <p className="upload-info">
              {summary.name} · {summary.images.counts.reduce((a, b) => a + b, 0)} images · classes {summary.images.classNames.join(', ')}
            </p>
          )}
          <ImageUploadButtons onFiles={onFiles('images')} busy={upload.busy} />
          <p className="data-hint">One subfolder per class (pets/cat/1.png); loose files are labelled by their name up to the first “_” (cat_1.png).</p>
          {!choosing && cfg.kind === 'images' && <ImageOptions cfg={cfg} set={setDataset} />}
        </>
      )}
      {upload.busy && (
        <p className="data-hint" role="status">
          Reading the files…
        </p>
      )}
      {upload.error && (
        <p className="train-error" role="alert">
          {upload.error}
        </p>
      )}
      {!choosing && uploadName !== undefined && summary === null && (
        <p className="train-error" role="alert">
          The data “{uploadName}” this graph trains on is not stored in this browser (uploads stay where they were made). Upload it again to train.
        </p>
      )}

      {mismatches.length > 0 && (
        <div className="data-warning" role="note" aria-label="Inputs that do not fit the data">
          <ul>
            {mismatches.map((m) => (
              <li key={m.node}>{m.message}</li>
            ))}
          </ul>
          {fixable.length > 0 && (
            <button type="button" onClick={fitInputs}>
              Fit Input shapes to the data
            </button>
          )}
        </div>
      )}
      {!choosing && !(uploadName !== undefined && summary === null) && <DatasetPreview preview={preview} error={error} loading={loading} />}
    </section>
  );
}
