/** The worker's view of the current dataset: its preview, and the stored upload behind it. */
import { useEffect, useState } from 'react';
import type { TrainingConfig } from '../../engine/graph/training';
import type { DatasetPreview, UploadSummary } from '../../workers/datasetTypes';
import { useTrainingHandle } from '../training/TrainingContext';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).replace(/^Error: /, '');

/** Preview of the dataset `training` names; `version` forces a refresh (after an upload). */
export function useDatasetPreview(training: TrainingConfig, version: number): { preview?: DatasetPreview; error?: string; loading: boolean } {
  const { client } = useTrainingHandle();
  const [state, setState] = useState<{ preview?: DatasetPreview; error?: string; loading: boolean }>({ loading: true });
  const key = JSON.stringify([training.dataset, training.validationSplit, training.seed, version]);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      const [dataset, validationSplit, seed] = JSON.parse(key) as [TrainingConfig['dataset'], number, number];
      client()
        .api.previewDataset({ ...training, dataset, validationSplit, seed })
        .then(
          (preview) => live && setState({ preview, loading: false }),
          (e) => live && setState({ error: message(e), loading: false }),
        );
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // `training` is read through `key`, which holds every field the preview depends on.
  }, [key, client]);
  return state;
}

/** The stored upload named `name`: undefined while asking, null when this browser does not have it. */
export function useUploadSummary(name: string | undefined, version: number): UploadSummary | null | undefined {
  const { client } = useTrainingHandle();
  const [summary, setSummary] = useState<UploadSummary | null | undefined>(undefined);
  useEffect(() => {
    if (!name) return setSummary(undefined);
    let live = true;
    client()
      .api.describeUpload(name)
      .then(
        (s) => live && setSummary(s ?? null),
        () => live && setSummary(null),
      );
    return () => {
      live = false;
    };
  }, [name, version, client]);
  return summary;
}

export { message as errorMessage };
