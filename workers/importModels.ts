/**
 * Models from other frameworks in the worker: an ONNX file (the document and its weights as a
 * safetensors file), a Keras model.to_json() or a Caffe .prototxt (the document alone), built by
 * the engine's importers off the page's main thread. The page gets the document as text and sends
 * it through its one document gate before anything is opened (app/files/importModel.ts).
 */
import { quote } from '../engine/graph/limits';
import { importCaffe } from '../engine/interchange/caffe/import';
import { ImportError } from '../engine/interchange/importDocument';
import { importKeras } from '../engine/interchange/keras/import';
import { importOnnx, onnxWeightsFile } from '../engine/interchange/onnx/import';

export type ImportKind = 'onnx' | 'keras' | 'caffe';

/** An imported model's document (as text, not yet trusted) and, for ONNX, its weights; or why it cannot be imported. */
export type ImportedModelFile =
  { readonly ok: true; readonly docText: string; readonly weights?: Uint8Array } | { readonly ok: false; readonly message: string };

const NAMES: Readonly<Record<ImportKind, string>> = { onnx: 'an ONNX model', keras: 'a Keras model', caffe: 'a Caffe net' };

/** The document of a model file of `kind`; never throws. */
export function importModelFile(kind: ImportKind, bytes: Uint8Array, fileName: string): ImportedModelFile {
  const where = `Could not import ${quote(fileName)} as ${NAMES[kind]}`;
  const name = fileName.replace(/\.(onnx|json|prototxt|pbtxt)$/i, '');
  try {
    if (kind === 'onnx') {
      // A target input and a loss make the imported model trainable as it opens.
      const imported = importOnnx(bytes, { name, trainingHead: true });
      const weights = Object.keys(imported.weights).length ? onnxWeightsFile(imported) : undefined;
      return { ok: true, docText: JSON.stringify(imported.doc), ...(weights ? { weights } : {}) };
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return { ok: false, message: `${where}: the file is not UTF-8 text.` };
    }
    const doc = kind === 'keras' ? importKeras(text, { name }) : importCaffe(text, { name });
    return { ok: true, docText: JSON.stringify(doc) };
  } catch (e) {
    if (e instanceof ImportError) return { ok: false, message: `${where}: ${e.message}.` };
    return { ok: false, message: `${where}: ${e instanceof Error ? e.message : String(e)}` };
  }
}
