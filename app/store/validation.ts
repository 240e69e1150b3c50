/**
 * Everything the editor knows about a document beyond its data: structural problems
 * (checkStructure, shared with the load check in integrity.ts) plus inferred shapes and shape/dtype errors (inferShapes) and what training it
 * would take in memory against the backend's limits (engine/graph/memory.ts), grouped by where
 * they show — on a node, on an edge, or on the graph as a whole.
 */
import type { GraphDocument } from '../../engine/graph/document';
import type { GraphError } from '../../engine/graph/errors';
import type { NodeInfo } from '../../engine/graph/infer';
import { DEFAULT_MEMORY_LIMITS, inferWithMemory, memoryErrors, type MemoryEstimate, type MemoryLimits } from '../../engine/graph/memory';
import { structureErrors } from './integrity';

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
  /** Bytes a training step would take (undefined if estimating failed: that failure is in `general`). */
  readonly memory: MemoryEstimate | undefined;
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

/** Runs the checkers, memory against `limits`; never throws (an engine failure becomes a general error). */
export function validate(doc: GraphDocument, limits: MemoryLimits = DEFAULT_MEMORY_LIMITS): Validation {
  const all: GraphError[] = [...structureErrors(doc)];
  let info: ReadonlyMap<string, NodeInfo> = new Map();
  let memory: MemoryEstimate | undefined;
  try {
    // Shapes and the memory estimate from one lowering pass.
    const inferred = inferWithMemory(doc);
    info = inferred.nodes;
    all.push(...inferred.errors);
    memory = inferred.memory;
    all.push(...memoryErrors(doc, memory, limits));
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
  return { info, byNode, byEdge, general, all, memory };
}

// Documents are immutable, so a document's validation against given limits never changes: cache it
// by identity and the limits' values (callers build equal limits objects of their own).
const cache = new WeakMap<GraphDocument, Map<string, Validation>>();
/** The document validated last against each limits: a drop that only moved nodes reuses its validation. */
const latest = new Map<string, { readonly doc: GraphDocument; readonly result: Validation }>();

const limitsKey = (l: MemoryLimits) => `${l.backend} ${l.budget} ${l.maxBufferSize ?? '-'} ${l.maxStorageBufferBindingSize ?? '-'}`;

/** Same own keys with the same values (by identity), except `skip`. */
function sameExcept(a: object, b: object, skip: string): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (k === skip) continue;
    if (!Object.hasOwn(b, k) || (a as Record<string, unknown>)[k] !== (b as Record<string, unknown>)[k]) return false;
  }
  return true;
}

/**
 * Whether `b` differs from `a` at most in node positions (what a drag or a layout changes): nothing
 * validate() reads, so `a`'s validation is `b`'s. Linear in the nodes, with no parsing or lowering.
 */
export function onlyPositionsDiffer(a: GraphDocument, b: GraphDocument): boolean {
  if (a === b) return true;
  if (a.nodes.length !== b.nodes.length || !sameExcept(a, b, 'nodes')) return false;
  for (let i = 0; i < a.nodes.length; i++) {
    const x = a.nodes[i];
    const y = b.nodes[i];
    if (x !== y && !sameExcept(x, y, 'position')) return false;
  }
  return true;
}

/** validate(), computed once per document object and memory limits (and not again for a document that only moved nodes). */
export function validationOf(doc: GraphDocument, limits: MemoryLimits = DEFAULT_MEMORY_LIMITS): Validation {
  let byLimits = cache.get(doc);
  if (byLimits === undefined) cache.set(doc, (byLimits = new Map()));
  const key = limitsKey(limits);
  let result = byLimits.get(key);
  if (result === undefined) {
    const last = latest.get(key);
    result = last !== undefined && onlyPositionsDiffer(last.doc, doc) ? last.result : validate(doc, limits);
    byLimits.set(key, result);
  }
  latest.set(key, { doc, result });
  return result;
}
