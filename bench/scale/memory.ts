/**
 * What a training step's tensors need at least, from the compiled graph alone (no backend): the
 * variables (weights, optimizer slots, the resident dataset) and inputs live all step, and each
 * op's value from the op that makes it to its last reader (or to the end, if the step keeps it).
 * The largest sum over the schedule is the floor any memory planner for that schedule must reach;
 * bench:scale sets the WebGPU backend's measured peak against it.
 */
import type { Data } from '../../engine/backends/backend';
import { compileTraining } from '../../engine/compile/compiler';
import { ancestors, type Graph, type ValueId } from '../../engine/compile/graph';
import type { GraphDocument } from '../../engine/graph/document';
import { sizeOf } from '../../engine/ops/shape';

/** Byte counts of one training step's tensors (4 bytes per element, as the GPU stores every dtype). */
export interface TensorBytes {
  /** Variables the step reads (weights, optimizer state, resident data) and its inputs: live the whole step. */
  readonly resident: number;
  /** The largest sum of simultaneously live tensors over the schedule, resident ones included. */
  readonly maxLive: number;
  /** Every tensor of the step at once (no buffer ever reused). */
  readonly total: number;
}

/** Live-tensor byte counts of the step in `graph` that computes `roots` (values kept after the step). */
export function liveTensorBytes(graph: Graph, roots: readonly ValueId[]): TensorBytes {
  const schedule = ancestors(graph, roots); // ids ascend: a topological order, the one the backends run
  const position = new Map(schedule.map((id, k) => [id, k]));
  const end = schedule.length - 1;
  const kept = new Set(roots);
  const lastUse = new Map<ValueId, number>();
  for (const id of schedule) for (const i of graph.nodes[id]!.inputs) lastUse.set(i, position.get(id)!);
  const bytes = (id: ValueId) => sizeOf(graph.nodes[id]!.type.shape) * 4;
  // delta[k]: bytes that become live at k; they stop being live after their last use.
  const delta = new Float64Array(schedule.length + 1);
  let resident = 0;
  let total = 0;
  const variables = new Set<string>(); // a variable read in several places is one buffer
  for (const id of schedule) {
    const node = graph.nodes[id]!;
    if (node.kind === 'variable') {
      if (variables.has(node.name)) continue;
      variables.add(node.name);
    }
    total += bytes(id);
    if (node.kind !== 'op') {
      resident += bytes(id);
      continue;
    }
    const k = position.get(id)!;
    const last = kept.has(id) ? end : Math.max(k, lastUse.get(id) ?? k);
    delta[k] += bytes(id);
    delta[last + 1] -= bytes(id);
  }
  let live = 0;
  let maxLive = 0;
  for (let k = 0; k < schedule.length; k++) {
    live += delta[k]!;
    maxLive = Math.max(maxLive, live);
  }
  return { resident, maxLive: resident + maxLive, total };
}

/** liveTensorBytes of the training step Program.create would compile for `doc` with `resident` data. */
export function trainingStepBytes(doc: GraphDocument, resident: Readonly<Record<string, Data>>): TensorBytes {
  const compiled = compileTraining(doc, { resident });
  const { outputs, updates, scalars = [] } = compiled.spec;
  return liveTensorBytes(compiled.graph, [...outputs, ...updates.map((u) => u.value), ...scalars]);
}
