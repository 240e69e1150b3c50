/** Whether a parsed document can be shown at all: problems that would break the canvas refuse a load. */
import type { GraphDocument } from '../../engine/graph/document';
import type { GraphError, GraphErrorCode } from '../../engine/graph/errors';
import { checkStructure } from '../../engine/graph/structure';

// Other problems (bad params, cycles, missing inputs) load fine and show on their nodes.
const BLOCKING: ReadonlySet<GraphErrorCode> = new Set(['unknown_type', 'duplicate_id', 'dangling_edge', 'unknown_port', 'duplicate_edge']);

// Documents are immutable: a document checked when its file was read is not checked again when it
// loads, and its validation (validation.ts) reuses the same structural check.
const structures = new WeakMap<GraphDocument, readonly GraphError[]>();

/** checkStructure(doc) with a loss required, once per document object. */
export function structureErrors(doc: GraphDocument): readonly GraphError[] {
  let errors = structures.get(doc);
  if (errors === undefined) structures.set(doc, (errors = checkStructure(doc, { requireLoss: true })));
  return errors;
}

/** A sentence naming what makes `doc` impossible to open, or undefined when it can be opened. */
export function loadProblem(doc: GraphDocument): string | undefined {
  // A missing loss (the only difference requireLoss makes) is not blocking: the shared check serves.
  const blocking = structureErrors(doc).filter((e) => BLOCKING.has(e.code));
  if (blocking.length === 0) return undefined;
  const more = blocking.length > 1 ? ` (and ${blocking.length - 1} more problem${blocking.length > 2 ? 's' : ''})` : '';
  return `This graph cannot be opened: ${blocking[0].message}${more}`;
}
