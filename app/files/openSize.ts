/**
 * The size check on a file the user opens, before the page reads it whole: a graph file may be as
 * large as a document may be (DOCUMENT_LIMITS.bytes), a model file (a zip) or another framework's
 * model (ONNX, Keras, Caffe) as large as a model file may be (MODEL_FILE_BYTES). The
 * first bytes and the name tell which. A weights file (.safetensors) is checked the same way before
 * "Load weights" reads it: no larger than a model file may be.
 */
import { DOCUMENT_LIMITS, MODEL_FILE_BYTES, quote } from '../../engine/graph/limits';
import { importKindOf } from './importModel';
import { isZip } from './modelFile';

/** How many leading bytes openSizeProblem needs to tell a graph from a model. */
export const OPEN_HEAD_BYTES = 4096;

const mib = (n: number) => `${(n / 2 ** 20).toFixed(n < 10 * 2 ** 20 ? 1 : 0)} MiB`;

/** Why a file of `size` bytes beginning with `head` cannot be opened, or undefined when its size is fine. */
export function openSizeProblem(fileName: string, size: number, head: Uint8Array): string | undefined {
  const model = isZip(head) || importKindOf(fileName, head) !== undefined;
  const limit = model ? MODEL_FILE_BYTES : DOCUMENT_LIMITS.bytes;
  if (size <= limit) return undefined;
  return `Could not open ${quote(fileName)}: it is ${mib(size)}, over the ${mib(limit)} ${model ? 'a model file' : 'a graph file'} may be.`;
}

/** Why a weights file (.safetensors) of `size` bytes cannot be loaded, or undefined when its size is fine. */
export function weightsSizeProblem(fileName: string, size: number): string | undefined {
  if (size <= MODEL_FILE_BYTES) return undefined;
  return `Could not load weights from ${quote(fileName)}: it is ${mib(size)}, over the ${mib(MODEL_FILE_BYTES)} a weights file may be.`;
}
