/**
 * Everything the editor knows about a document beyond its data: structural problems
 * (checkStructure) plus inferred shapes and shape/dtype errors (inferShapes), grouped by where
 * they show — on a node, on an edge, or on the graph as a whole.
 */
import type { GraphDocument } from '../../engine/graph/document';
import type { GraphError } from '../../engine/graph/errors';
import { inferShapes, type NodeInfo } from '../../engine/graph/infer';
import { checkStructure } from '../../engine/graph/structure';

/** How loudly a problem is shown: an error blocks training, a warning is work in progress. */
export type Severity = 'error' | 'warning';

/** The editor's view of a document's problems and shapes. */
export interface Validation {
  /** Inferred output types and parameter counts, for nodes whose inputs resolved. */
  readonly info: ReadonlyMap<string, NodeInfo>;
  /** Problems that name a node, by node id. */
  readonly byNode: ReadonlyMap<string, readonly GraphError[]>;
  /** Problems that name an edge, by edge id (they may also be listed on a node). */
  readonly byEdge: ReadonlyMap<string, readonly GraphError[]>;
  /** Problems about the graph as a whole (no loss, engine failures). */
  readonly general: readonly GraphError[];
  /** Every problem, structural first. */
  readonly all: readonly GraphError[];
}

/** An unconnected input is expected while a graph is being built, so it is a warning. */
export function severityOf(error: GraphError): Severity {
  return error.code === 'missing_input' || error.code === 'no_loss' ? 'warning' : 'error';
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/**
 * A message as shown on (or beside) its own node: without the leading node name the engine adds
 * for logs, since the node is right there. `Node "Dense 1": input "x" is not connected.` → `Input "x" is not connected.`
 */
export function messageOnNode(error: GraphError, node: { id: string; label?: string }): string {
  const label = node.label?.trim();
  const name = JSON.stringify(label ? label : node.id);
  for (const prefix of [`Node ${name}: `, `${name}: `]) {
    if (error.message.startsWith(prefix)) {
      const rest = error.message.slice(prefix.length);
      return rest.charAt(0).toUpperCase() + rest.slice(1);
    }
  }
  return error.message;
}

/** Runs both checkers; never throws (an engine failure becomes a general error). */
export function validate(doc: GraphDocument): Validation {
  const all: GraphError[] = [...checkStructure(doc, { requireLoss: true })];
  let info: ReadonlyMap<string, NodeInfo> = new Map();
  try {
    const inferred = inferShapes(doc);
    info = inferred.nodes;
    all.push(...inferred.errors);
  } catch (e) {
    all.push({ code: 'shape', message: `Shape inference failed: ${e instanceof Error ? e.message : String(e)}` });
  }
  const byNode = new Map<string, GraphError[]>();
  const byEdge = new Map<string, GraphError[]>();
  const general: GraphError[] = [];
  for (const error of all) {
    if (error.node !== undefined) push(byNode, error.node, error);
    if (error.edge !== undefined) push(byEdge, error.edge, error);
    if (error.node === undefined && error.edge === undefined) general.push(error);
  }
  return { info, byNode, byEdge, general, all };
}

// Documents are immutable, so a document's validation never changes: cache it by identity.
const cache = new WeakMap<GraphDocument, Validation>();

/** validate(), computed once per document object. */
export function validationOf(doc: GraphDocument): Validation {
  let result = cache.get(doc);
  if (result === undefined) {
    result = validate(doc);
    cache.set(doc, result);
  }
  return result;
}
