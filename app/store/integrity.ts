/** Whether a parsed document can be shown at all: problems that would break the canvas refuse a load. */
import type { GraphDocument } from '../../engine/graph/document';
import type { GraphErrorCode } from '../../engine/graph/errors';
import { checkStructure } from '../../engine/graph/structure';

// Other problems (bad params, cycles, missing inputs) load fine and show on their nodes.
const BLOCKING: ReadonlySet<GraphErrorCode> = new Set(['unknown_type', 'duplicate_id', 'dangling_edge', 'unknown_port', 'duplicate_edge']);

// Documents are immutable: a document checked when its file was read is not checked again when it loads.
const checked = new WeakMap<GraphDocument, { readonly problem: string | undefined }>();

/** A sentence naming what makes `doc` impossible to open, or undefined when it can be opened. */
export function loadProblem(doc: GraphDocument): string | undefined {
  let result = checked.get(doc);
  if (result === undefined) checked.set(doc, (result = { problem: findLoadProblem(doc) }));
  return result.problem;
}

function findLoadProblem(doc: GraphDocument): string | undefined {
  const blocking = checkStructure(doc, { requireLoss: false }).filter((e) => BLOCKING.has(e.code));
  if (blocking.length === 0) return undefined;
  const more = blocking.length > 1 ? ` (and ${blocking.length - 1} more problem${blocking.length > 2 ? 's' : ''})` : '';
  return `This graph cannot be opened: ${blocking[0].message}${more}`;
}
