/** Reading the files a person chose, after their sizes pass the limits, and handing them to the worker. */
import * as Comlink from 'comlink';
import type { DatasetConfig } from '../../engine/graph/training';
import type { TrainerClient } from '../../workers/client';
import type { UploadSummary } from '../../workers/datasetTypes';
import { uploadName, uploadProblem } from './uploadLimits';

/** Store the chosen files in the worker (IndexedDB) and return what they hold; throws a readable Error. */
export async function uploadFiles(client: TrainerClient, kind: 'csv' | 'images' | 'text', chosen: readonly File[]): Promise<UploadSummary> {
  const problem = uploadProblem(kind, chosen);
  if (problem) throw new Error(problem);
  const files = await Promise.all(chosen.map(async (f) => ({ path: f.webkitRelativePath || f.name, type: f.type, bytes: await f.arrayBuffer() })));
  const upload = { name: uploadName(kind, chosen), kind, files };
  return client.api.putUpload(
    Comlink.transfer(
      upload,
      files.map((f) => f.bytes),
    ),
  );
}

/** The dataset config for a fresh upload: CSV predicts its last column; images at 28×28 grayscale; text keeps its context. */
export function configFor(summary: UploadSummary, previous?: DatasetConfig): DatasetConfig {
  if (summary.kind === 'text') return { kind: 'text', source: 'upload', name: summary.name, context: previous?.kind === 'text' ? previous.context : 64 };
  if (summary.kind === 'images') {
    const keep = previous?.kind === 'images' ? previous : undefined;
    return { kind: 'images', name: summary.name, width: keep?.width ?? 28, height: keep?.height ?? 28, color: keep?.color ?? 'grayscale' };
  }
  const columns = summary.csv!.columns;
  const label = columns[columns.length - 1]!;
  // A text label, or a numeric one with few distinct values, names classes; anything else is a number.
  const task = label.kind === 'categorical' || label.values.length <= 20 ? 'class' : 'number';
  return { kind: 'csv', name: summary.name, features: [], label: label.name, task, scaling: 'standardize' };
}
