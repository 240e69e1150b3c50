/**
 * Where a loss that went NaN or Inf came from. The program halts its updates at the bad step, so
 * its weights are those before it: replaying that step's batch reproduces the values where the
 * non-finite number first appeared, and the device counts them per node.
 */
import type { Program } from '../engine/compile/program';
import { gatherBatch, type Dataset } from '../engine/data';
import type { GraphDocument } from '../engine/graph/document';
import { topologicalOrder } from '../engine/graph/structure';
import type { TrainError } from './types';

/**
 * Replay step `step` (its batch's sample indices `idx`, when known), find the first node in graph
 * order whose output holds NaN or Inf, and leave the program ready to go on from before that step.
 */
export async function diagnoseNonFinite(
  program: Program,
  doc: GraphDocument,
  dataset: Dataset,
  step: number,
  loss: number,
  idx: Int32Array | undefined,
): Promise<TrainError> {
  if (idx) await program.replay(step, program.resident ? idx : gatherBatch(dataset, idx));
  const order = topologicalOrder(doc);
  const counts = await program.nonFiniteCounts(order);
  const node = order.find((id) => (counts.get(id) ?? 0) > 0);
  await program.resumeBefore(step);
  return {
    code: 'nan',
    message: `the loss became ${loss} at step ${step}${node ? `; the first non-finite value appears at node ${node}` : ''}. Training paused with the weights from before that step — lower the learning rate and resume`,
    ...(node ? { node } : {}),
  };
}
