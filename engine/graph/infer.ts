import type { TensorType } from '../ops/types';
import type { GraphDocument } from './document';
import type { GraphError } from './errors';
import { lowerDocument, typeEmitter, type Lowered } from './lower';

/** What shape inference tells the editor about one node. */
export interface NodeInfo {
  /** Output types by port name (batch dim first, using the training batch size). */
  readonly outputs: Readonly<Record<string, TensorType>>;
  /** Number of trainable scalars the node owns (none while its Trainable switch is off). */
  readonly paramCount: number;
  /** Number of parameter scalars its Trainable switch freezes (running statistics are neither). */
  readonly frozenParamCount: number;
}

/** Per-node types and parameter counts, plus shape/dtype errors naming their nodes. Cheap enough for every edit. */
export function inferShapes(doc: GraphDocument): { nodes: Map<string, NodeInfo>; errors: readonly GraphError[] } {
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
  return { nodes: nodeInfos(lowered), errors: lowered.errors };
}

/** Per-node output types and parameter counts from a type-level lowering (inferShapes, inferWithMemory). */
export function nodeInfos(lowered: Lowered<TensorType>): Map<string, NodeInfo> {
  const params = new Map<string, number>();
  const frozen = new Map<string, number>();
  for (const v of lowered.variables) {
    if (!v.request.trainable) continue;
    const counts = v.frozen ? frozen : params;
    counts.set(v.node, (counts.get(v.node) ?? 0) + v.request.shape.reduce((a, d) => a * d, 1));
  }
  const nodes = new Map<string, NodeInfo>();
  for (const [id, outputs] of lowered.outputs) nodes.set(id, { outputs, paramCount: params.get(id) ?? 0, frozenParamCount: frozen.get(id) ?? 0 });
  return nodes;
}
