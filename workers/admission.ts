/**
 * What the session checks before it takes a document: the memory it would need against the
 * backend's limits, the dataset's fields against what the graph reads, labels against the losses'
 * classes, the batch size against the training split. Each answer names what is at fault.
 */
import type { Program } from '../engine/compile/program';
import { bindingErrors, type Dataset } from '../engine/data';
import { checkDatasetLabels } from '../engine/data/labels';
import type { GraphDocument } from '../engine/graph/document';
import type { GraphError } from '../engine/graph/errors';
import { estimateMemory, memoryErrors, memoryLimitsFor } from '../engine/graph/memory';
import { validateDocument } from '../engine/graph/validate';
import type { BackendInfo, TrainError } from './types';

export function datasetBytes(ds: Dataset): number {
  return Object.values(ds.data).reduce((n, a) => n + a.byteLength, 0);
}

/** Why `doc` does not fit the backend's memory (engine/graph/memory.ts); `data`: the loaded dataset's bytes, when known. */
export function memoryRefusal(doc: GraphDocument, info: BackendInfo, data?: number): GraphError[] {
  return memoryErrors(doc, estimateMemory(doc, data === undefined ? {} : { datasetBytes: data }), memoryLimitsFor(info));
}

/** Why the compiled program cannot train on `ds` with this split (a missing field, another shape, a batch larger than the split). */
export function dataRefusal(program: Program, doc: GraphDocument, ds: Dataset, trainSamples: number): TrainError | undefined {
  for (const [field, type] of program.fields) {
    const spec = ds.fields[field];
    if (!spec) return { code: 'data', message: `the dataset "${ds.name}" has no field "${field}" (it has ${Object.keys(ds.fields).join(', ')})` };
    const need = type.shape.reduce((a, d) => a * d, 1);
    const have = spec.shape.reduce((a, d) => a * d, 1);
    if (need !== have || spec.dtype !== type.dtype) {
      return {
        code: 'data',
        message: `field "${field}" holds [${spec.shape.join(', ')}] ${spec.dtype} per sample but the graph reads [${type.shape.join(', ')}] ${type.dtype}`,
      };
    }
  }
  const batch = doc.training.batchSize;
  if (trainSamples < batch) {
    return {
      code: 'data',
      message: `the training split has ${trainSamples} samples, fewer than the batch size ${batch}: lower the batch size or the validation split`,
    };
  }
  return undefined;
}

/** Why an edit of the running session's document cannot be applied (empty when it can). */
export function updateRefusal(doc: GraphDocument, session: { info?: BackendInfo; dataset?: Dataset; trainSamples: number }): GraphError[] {
  const { info, dataset, trainSamples } = session;
  const memory = info ? memoryRefusal(doc, info, dataset && datasetBytes(dataset)) : [];
  if (memory.length) return memory;
  const { errors } = validateDocument(doc);
  const bound = errors.length || !dataset ? [] : bindingErrors(doc, dataset);
  if (errors.length || bound.length) return [...errors, ...bound];
  const label = dataset && checkDatasetLabels(doc, dataset);
  if (label) return [{ code: 'bad_label', node: label.node, message: label.message }];
  if (doc.training.batchSize > trainSamples) {
    return [{ code: 'schema', message: `the batch size ${doc.training.batchSize} is larger than the training split (${trainSamples} samples)` }];
  }
  return [];
}
