/**
 * Connecting two ports: the structural checks of addEdgeChecked, then shape inference on the
 * candidate document. A connection that introduces a shape or dtype error downstream is refused.
 */
import type { DocEdge, GraphDocument, PortRef } from '../../engine/graph/document';
import type { GraphError } from '../../engine/graph/errors';
import { addEdgeChecked, downstream, type Outcome } from './edits';
import { validationOf } from './validation';

const key = (e: GraphError) => `${e.code}\u0000${e.node ?? ''}\u0000${e.message}`;

/** The shape/dtype errors `next` has on nodes fed by `to` that `prev` did not have. */
function newShapeErrors(prev: GraphDocument, next: GraphDocument, to: string): GraphError[] {
  const before = new Set(validationOf(prev).all.map(key));
  const affected = downstream(next, to);
  return validationOf(next).all.filter(
    (e) => (e.code === 'shape' || e.code === 'dtype') && e.node !== undefined && affected.has(e.node) && !before.has(key(e)),
  );
}

/** Adds the edge from → to, or says why not (self-loop, cycle, port taken, incompatible shapes). */
export function connect(doc: GraphDocument, from: PortRef, to: PortRef): Outcome<{ doc: GraphDocument; edge: DocEdge }> {
  const added = addEdgeChecked(doc, from, to);
  if (!added.ok) return added;
  const [problem] = newShapeErrors(doc, added.doc, to.node);
  if (problem !== undefined) return { ok: false, reason: `Incompatible shapes: ${problem.message}` };
  return added;
}
