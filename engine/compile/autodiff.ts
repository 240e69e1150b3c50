import { OpBuilder } from '../ops/builder';
import { OP_DEFS, type GradRule } from '../ops/defs';
import type { Op } from '../ops/types';
import { Graph, type ValueId } from './graph';

/**
 * Reverse-mode autodiff over a static graph: appends the backward ops to `graph` once and returns
 * d(loss)/d(v) for every value v on a path from some x in `wrt` to the loss (the wrt values
 * included; a wrt value the loss does not depend on is absent).
 * Only nodes on a path from some x to the loss get gradients, so unused branches cost nothing;
 * gradients meeting at a node (fan-out, shared parameters) are summed.
 */
export function gradients(graph: Graph, loss: ValueId, wrt: readonly ValueId[]): Map<ValueId, ValueId> {
  const n = loss + 1;
  // Forward reachability from wrt …
  const fromWrt = new Uint8Array(n);
  for (const w of wrt) if (w < n) fromWrt[w] = 1;
  for (let id = 0; id < n; id++) {
    if (!fromWrt[id] && graph.nodes[id]!.inputs.some((i) => fromWrt[i])) fromWrt[id] = 1;
  }
  // … intersected with backward reachability from the loss.
  const relevant = new Uint8Array(n);
  relevant[loss] = fromWrt[loss]!;
  for (let id = loss; id >= 0; id--) {
    if (!relevant[id]) continue;
    for (const i of graph.nodes[id]!.inputs) if (fromWrt[i]) relevant[i] = 1;
  }

  const b = new OpBuilder(graph);
  const grads = new Map<ValueId, ValueId>();
  const savedOrigin = graph.origin;
  if (relevant[loss]) grads.set(loss, b.onesLike(loss));

  for (let id = loss; id >= 0; id--) {
    const node = graph.nodes[id]!;
    const g = grads.get(id);
    if (!relevant[id] || g === undefined || node.kind !== 'op') continue;
    const rule = OP_DEFS[node.op].grad as GradRule<Op> | null;
    if (!rule) continue;
    graph.origin = node.origin;
    const inputGrads = rule(b, node.inputs, id, g, node.attrs);
    node.inputs.forEach((input, k) => {
      const gi = inputGrads[k];
      if (gi === null || gi === undefined || !relevant[input]) return;
      const prev = grads.get(input);
      grads.set(input, prev === undefined ? gi : b.add(prev, gi));
    });
  }
  graph.origin = savedOrigin;
  return grads;
}
