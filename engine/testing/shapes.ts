/** Shapes a document's nodes produce, by shape inference alone (no kernels run): for tests of importers and builders. */
import type { GraphDocument } from '../graph/document';
import { lowerDocument, typeEmitter } from '../graph/lower';

/** Each node's first output shape at `batchSize`, in inference mode. */
export function outputShapes(doc: GraphDocument, batchSize = 2): Map<string, readonly number[]> {
  const lowered = lowerDocument(
    doc,
    {
      emitter: typeEmitter,
      input: (_f, shape, dtype) => ({ shape, dtype }),
      variable: (_n, req) => ({ shape: req.shape, dtype: 'f32' as const }),
      counter: () => ({ shape: [], dtype: 'i32' as const }),
    },
    { training: false, batchSize, seed: 0 },
  );
  return new Map([...lowered.outputs].map(([id, ports]) => [id, Object.values(ports)[0]!.shape]));
}
