/**
 * Model files in the worker (DESIGN.md, "Models leave the tab"): a `.wiregrad.zip` holds the graph
 * and its weights (engine/interchange/modelFile.ts). Zip and safetensors bytes are handled here, off
 * the page's main thread; the page gets the graph's text back and sends it through its one
 * document gate before anything is opened.
 */
import type { GraphDocument } from '../engine/graph/document';
import { quote } from '../engine/graph/limits';
import { ModelFileError, packModel, unpackModel, writeSafetensors } from '../engine/interchange';

/** A model file's graph (as text, not yet trusted) and its weights as a safetensors file, or why it cannot be read. */
export type UnpackedModelFile =
  { readonly ok: true; readonly graphText: string; readonly weights: Uint8Array; readonly tensors: number } | { readonly ok: false; readonly message: string };

/** The model file of `doc` (stamped with when it was saved) and safetensors `weights`. */
export function packModelFile(doc: GraphDocument, weights: Uint8Array, now: Date = new Date()): Uint8Array {
  return packModel({ ...doc, meta: { ...doc.meta, modified: now.toISOString() } }, weights);
}

/** Unzip a model file with the engine's bounds; never throws. */
export function unpackModelFile(bytes: Uint8Array, fileName: string): UnpackedModelFile {
  const where = `Could not open ${quote(fileName)}`;
  try {
    const unpacked = unpackModel(bytes);
    // The tensors are checked views of the unzipped file: written again, they are the bytes loadWeights reads.
    const tensors = new Map([...unpacked.weights.tensors].map(([name, t]) => [name, { dtype: t.dtype, shape: t.shape, data: t.bytes }]));
    return { ok: true, graphText: unpacked.graphText, weights: writeSafetensors(tensors, unpacked.weights.metadata), tensors: tensors.size };
  } catch (e) {
    if (e instanceof ModelFileError) return { ok: false, message: `${where}: ${e.message}.` };
    return { ok: false, message: `${where}: ${e instanceof Error ? e.message : String(e)}` };
  }
}
