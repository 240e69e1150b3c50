/** A document's variables as safetensors specs (engine/interchange/weights.ts names and shapes). */
import type { GraphDocument } from '../engine/graph/document';
import { lowerDocument, typeEmitter } from '../engine/graph/lower';
import type { WeightSpec } from '../engine/interchange/weights';

/** Every variable the document declares (`<node>/<name>`, its node and shape), from shape inference alone. */
export function variableSpecs(doc: GraphDocument): WeightSpec[] {
  const lowered = lowerDocument(
    doc,
    {
      emitter: typeEmitter,
      input: (_field, shape, dtype) => ({ shape, dtype }),
      variable: (_name, req) => ({ shape: req.shape, dtype: 'f32' as const }),
      counter: () => ({ shape: [], dtype: 'i32' as const }),
    },
    { training: true, batchSize: doc.training.batchSize, seed: doc.training.seed },
  );
  return lowered.variables.map((v) => ({ name: v.name, node: v.node, shape: v.request.shape }));
}
