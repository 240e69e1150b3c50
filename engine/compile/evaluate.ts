/**
 * Loss and metrics of a program over a set of samples (a validation split): inference in chunks,
 * reading back only the loss and metric nodes.
 */
import { gatherBatch, type Dataset } from '../data';
import type { GraphDocument } from '../graph/document';
import { getNodeSpec } from '../graph/nodes';
import type { Program } from './program';

/** Samples per forward pass: bounded memory, few readbacks. */
export const EVALUATE_CHUNK = 1024;

export interface Evaluation {
  /** The sum of the document's losses. */
  readonly loss: number;
  /** Metric node id → value. */
  readonly metrics: Readonly<Record<string, number>>;
}

/**
 * Averaging losses and metrics are weighted by chunk size, so the result is that of one pass over
 * all `indices`; a loss that sums over its batch is reported per training batch, on the scale of the
 * training curve.
 */
export async function evaluate(program: Program, doc: GraphDocument, dataset: Dataset, indices: Int32Array, chunk = EVALUATE_CHUNK): Promise<Evaluation> {
  const withRole = (role: string) => doc.nodes.filter((n) => getNodeSpec(n.type)?.role === role);
  const lossNodes = withRole('loss');
  const metricNodes = withRole('metric');
  const ids = [...lossNodes, ...metricNodes].map((n) => n.id);
  const sums: Record<string, number> = {};
  for (let start = 0; start < indices.length; start += chunk) {
    const part = indices.subarray(start, start + chunk);
    const out = await program.forward(gatherBatch(dataset, part), { nodes: ids });
    for (const n of [...lossNodes, ...metricNodes]) {
      const port = out.get(n.id);
      const v = port && Object.values(port)[0];
      // A loss that cannot be read would silently count as 0: say so instead.
      if (!v) throw new Error(`validation could not compute node ${n.id}`);
      const weight = getNodeSpec(n.type)?.sumsOverBatch ? doc.training.batchSize / indices.length : part.length / indices.length;
      sums[n.id] = (sums[n.id] ?? 0) + v.data[0]! * weight;
    }
  }
  return {
    loss: lossNodes.reduce((s, n) => s + (sums[n.id] ?? 0), 0),
    metrics: Object.fromEntries(metricNodes.filter((n) => n.id in sums).map((n) => [n.id, sums[n.id]!])),
  };
}
