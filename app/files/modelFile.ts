/**
 * Model files on the page (DESIGN.md, "Models leave the tab"): a `.wiregrad.zip` holds the graph
 * and its weights. The worker packs and unpacks the bytes (workers/modelFiles.ts); the page sends
 * the graph through the one document gate (openDocumentText) and hands the weights back to the
 * worker; these functions are the pure parts, and say in the user's words what happened.
 */
import { classifyChange } from '../../engine/graph/change';
import type { GraphDocument } from '../../engine/graph/document';
import { quote } from '../../engine/graph/limits';
import type { WeightMatch, WeightProblem } from '../../engine/interchange';
import type { UnpackedModelFile } from '../../workers/modelFiles';
import { slug } from '../store/names';
import { openDocumentText } from './documentFile';

/** What opening a model file gives: the document and its weights as a safetensors file for the worker, or why not. */
export type ModelRead = { ok: true; doc: GraphDocument; weights: Uint8Array; tensors: number } | { ok: false; message: string };

/** A zip's first bytes ("PK"): a model file, whatever its name says. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6);
}

/** "Two spirals classifier" → "two-spirals-classifier.wiregrad.zip". */
export function modelFileName(doc: GraphDocument): string {
  return `${slug(doc.meta.name || 'graph')}.wiregrad.zip`;
}

/** "Two spirals classifier" → "two-spirals-classifier.pytorch.zip". */
export function pytorchFileName(doc: GraphDocument): string {
  return `${slug(doc.meta.name || 'graph')}.pytorch.zip`;
}

/** "Two spirals classifier" → "two-spirals-classifier.onnx". */
export function onnxFileName(doc: GraphDocument): string {
  return `${slug(doc.meta.name || 'graph')}.onnx`;
}

/** A model file the worker unpacked: its graph through the one document gate, and its weights; never throws. */
export function readModelFile(unpacked: UnpackedModelFile, fileName: string): ModelRead {
  if (!unpacked.ok) return unpacked;
  const read = openDocumentText(unpacked.graphText, quote(fileName));
  if (!read.ok) return read;
  return { ok: true, doc: read.doc, weights: unpacked.weights, tensors: unpacked.tensors };
}

/**
 * Why the open run's weights cannot be saved (or exported) with the canvas's graph, or undefined
 * when they can: nothing compiled yet, or the canvas changed in a way the weights do not follow.
 */
export function weightsBlocker(compiled: GraphDocument | undefined, doc: GraphDocument): string | undefined {
  if (!compiled) return 'Nothing is trained yet: train the graph first.';
  const change = classifyChange(compiled, doc).kind;
  if (change === 'hot' || change === 'restart') return 'The graph changed since it was trained: train it again so the weights match.';
  return undefined;
}

/** How many problems without a node a notice lists before "and N more". */
const LISTED_UNEXPECTED = 5;

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * What loading weights did, as a notice: every tensor loaded, or the node of every mismatch. The
 * worker writes nothing when a tensor is shaped or typed wrong or none matched; otherwise it
 * writes the matched ones, and variables the file lacks keep their values.
 */
export function weightsNotice(match: WeightMatch, source: string): { kind: 'info' | 'error'; text: string } {
  const { matched, missing, unexpected, shapeMismatches, typeMismatches } = match;
  const named: readonly WeightProblem[] = [...shapeMismatches, ...typeMismatches, ...missing];
  if (!named.length && !unexpected.length) return { kind: 'info', text: `Loaded ${plural(matched.length, 'tensor')} from ${source}.` };
  const written = matched.length > 0 && !shapeMismatches.length && !typeMismatches.length;
  const head = written ? `Loaded ${matched.length} of ${plural(matched.length + missing.length, 'tensor')} from ${source}` : `Loaded no weights from ${source}`;
  const others = unexpected.slice(0, LISTED_UNEXPECTED).map((p) => p.message);
  if (unexpected.length > LISTED_UNEXPECTED) others.push(`and ${unexpected.length - LISTED_UNEXPECTED} more tensors match no variable`);
  const kept = written && missing.length ? ' The nodes without weights in the file keep theirs.' : '';
  return { kind: 'error', text: `${head}: ${[...named.map((p) => p.message), ...others].join('; ')}.${kept}` };
}
