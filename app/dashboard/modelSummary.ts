/** Keras' model.summary() for a document: each node's output shape and its trainable and frozen parameter counts. */
import type { GraphDocument } from '../../engine/graph/document';
import { lowerDocument, typeEmitter } from '../../engine/graph/lower';
import { getNodeSpec } from '../../engine/graph/nodes';
import { topologicalOrder } from '../../engine/graph/structure';
import { formatType } from '../format/tensors';
import { displayName } from '../store/names';

export interface SummaryRow {
  readonly id: string;
  readonly name: string;
  /** The node type's label: "Dense". */
  readonly type: string;
  /** Output shapes by port, batch dim first: "[32, 16]" (ports named when there are several). */
  readonly output: string;
  readonly trainableParams: number;
  readonly frozenParams: number;
}

export interface ModelSummary {
  readonly rows: readonly SummaryRow[];
  readonly trainable: number;
  readonly frozen: number;
  /** Each node's variables by full name (`hidden1/kernel`), in creation order: what a probe can watch. */
  readonly variables: ReadonlyMap<string, readonly string[]>;
}

const size = (shape: readonly number[]) => shape.reduce((a, d) => a * d, 1);

/** The summary of `doc` in graph order (shape inference only: no memory, no maths). */
export function modelSummary(doc: GraphDocument): ModelSummary {
  const trainable = new Map<string, number>();
  const frozen = new Map<string, number>();
  const variables = new Map<string, string[]>();
  const lowered = lowerDocument(
    doc,
    {
      emitter: typeEmitter,
      input: (_field, shape, dtype) => ({ shape, dtype }),
      variable(name, req, frozenBySwitch) {
        const node = name.slice(0, name.lastIndexOf('/'));
        const counts = req.trainable && !frozenBySwitch ? trainable : frozen;
        counts.set(node, (counts.get(node) ?? 0) + size(req.shape));
        variables.set(node, [...(variables.get(node) ?? []), name]);
        return { shape: req.shape, dtype: 'f32' as const };
      },
      counter: () => ({ shape: [], dtype: 'i32' as const }),
    },
    { training: false, batchSize: doc.training.batchSize, seed: doc.training.seed },
  );
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const rows = topologicalOrder(doc).flatMap((id): SummaryRow[] => {
    const node = byId.get(id);
    if (!node) return [];
    const outs = Object.entries(lowered.outputs.get(id) ?? {});
    const output = outs.length === 0 ? '?' : outs.length === 1 ? formatType(outs[0]![1]) : outs.map(([p, t]) => `${p} ${formatType(t)}`).join(', ');
    return [
      {
        id,
        name: displayName(node),
        type: getNodeSpec(node.type)?.label ?? node.type,
        output,
        trainableParams: trainable.get(id) ?? 0,
        frozenParams: frozen.get(id) ?? 0,
      },
    ];
  });
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, n) => a + n, 0);
  return { rows, trainable: total(trainable), frozen: total(frozen), variables };
}
