/**
 * Models from other frameworks, opened from the Open button: an ONNX file (with its weights), a
 * Keras `model.to_json()` architecture, a Caffe .prototxt net. The worker runs the engine's
 * importers (workers/importModels.ts); here the document is laid out with the canvas's
 * auto-layout (ELK) and sent through the one document gate (openDocumentText), so the same limits
 * and checks apply as to any opened file. Either the whole model opens or nothing changes.
 */
import type { GraphDocument } from '../../engine/graph/document';
import { quote } from '../../engine/graph/limits';
import type { ImportedModelFile, ImportKind } from '../../workers/importModels';
import { layoutPositions } from '../layout/autoLayout';
import { openDocumentText } from './documentFile';

export type { ImportKind };

/** A model ready to load (ONNX brings weights as a safetensors file), or a message for the person who opened it. */
export type ImportRead = { ok: true; doc: GraphDocument; weights?: Uint8Array; notice: string } | { ok: false; message: string };

/** File types the Open button offers besides Wiregrad's own. */
export const IMPORT_ACCEPT = '.onnx,.prototxt,.pbtxt';

/**
 * Which importer a file needs, or undefined for Wiregrad's own files: by extension (.onnx,
 * .prototxt / .pbtxt), and for .json by content (a Keras model's top-level class_name; a Wiregrad
 * document has format "wiregrad.graph").
 */
export function importKindOf(fileName: string, bytes: Uint8Array): ImportKind | undefined {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.onnx')) return 'onnx';
  if (lower.endsWith('.prototxt') || lower.endsWith('.pbtxt')) return 'caffe';
  if (!lower.endsWith('.json')) return undefined;
  // The start is enough: Keras writes class_name and config at the top level, Wiregrad its format tag.
  const head = new TextDecoder().decode(bytes.subarray(0, 4096));
  if (/"format"\s*:\s*"wiregrad\.graph"/.test(head)) return undefined;
  return /"class_name"\s*:\s*"(Sequential|Functional|Model)"/.test(head) ? 'keras' : undefined;
}

/** The worker's import through layout and the document gate; never throws. */
export async function readImportedModel(imported: ImportedModelFile, fileName: string, canvas?: { width: number; height: number }): Promise<ImportRead> {
  if (!imported.ok) return imported;
  const read = openDocumentText(imported.docText, quote(fileName));
  if (!read.ok) return read;
  let doc = read.doc;
  try {
    const positions = await layoutPositions(doc, {}, canvas);
    doc = { ...doc, nodes: doc.nodes.map((n) => ({ ...n, position: positions[n.id] ?? n.position })) };
  } catch {
    // The importer's own layered placement stands.
  }
  const notice = imported.weights
    ? `Imported ${fileName} (${doc.nodes.length} nodes, with a target input and an MSE loss added so it can train).`
    : `Imported ${fileName} (${doc.nodes.length} nodes; architecture only, so the layers start from their initializers).`;
  return { ok: true, doc, ...(imported.weights ? { weights: imported.weights } : {}), notice };
}
