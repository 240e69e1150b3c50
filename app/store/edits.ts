/**
 * Pure edits of a GraphDocument: each takes a document and returns a new one (or a reason it
 * refuses). The store's actions are thin wrappers around these, so they are tested without React.
 */
import type { DocEdge, DocNode, GraphDocument, PortRef } from '../../engine/graph/document';
import { getNodeSpec } from '../../engine/graph/nodes';
import { freshEdgeId, freshLabel, freshNodeId } from './names';

/** A position in flow coordinates. */
export interface XY {
  readonly x: number;
  readonly y: number;
}

/** The outcome of an edit that may be refused; the reason is a sentence for the status line. */
export type Outcome<T extends object = object> = ({ ok: true } & T) | { ok: false; reason: string };

/** Nodes and the edges between them, as copied to the clipboard. */
export interface Fragment {
  readonly nodes: readonly DocNode[];
  readonly edges: readonly DocEdge[];
}

/**
 * A record keyed by node id, without a prototype: ids such as "constructor" or "__proto__" are plain
 * keys in it, never Object.prototype's members. Use it where a Record must be built from ids.
 */
export function idRecord<T>(entries: Iterable<readonly [string, T]> = []): Record<string, T> {
  const record = Object.create(null) as Record<string, T>;
  for (const [id, value] of entries) record[id] = value;
  return record;
}

/** `record[id]` only when the record has its own entry: a record with a prototype inherits "constructor". */
export function own<T>(record: Readonly<Record<string, T>> | undefined, id: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, id) ? record[id] : undefined;
}

const refuse = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

/** Adds a node of `type` with its default params and a fresh id and label. */
export function addNode(doc: GraphDocument, type: string, position: XY): Outcome<{ doc: GraphDocument; id: string }> {
  const spec = getNodeSpec(type);
  if (spec === undefined) return refuse(`There is no node type ${JSON.stringify(type)}.`);
  const id = freshNodeId(new Set(doc.nodes.map((n) => n.id)), type);
  const label = freshLabel(new Set(doc.nodes.map((n) => n.label ?? '')), spec.label);
  const params = spec.params.parse({}) as Record<string, unknown>;
  const node: DocNode = { id, type, params, position: { x: position.x, y: position.y }, label };
  return { ok: true, id, doc: { ...doc, nodes: [...doc.nodes, node] } };
}

/** Removes nodes and every edge touching them, plus the edges listed in `edgeIds`. */
export function removeElements(doc: GraphDocument, nodeIds: Iterable<string>, edgeIds: Iterable<string> = []): GraphDocument {
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  if (nodes.size === 0 && edges.size === 0) return doc;
  const keptNodes = doc.nodes.filter((n) => !nodes.has(n.id));
  const keptEdges = doc.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.from.node) && !nodes.has(e.to.node));
  if (keptNodes.length === doc.nodes.length && keptEdges.length === doc.edges.length) return doc;
  return { ...doc, nodes: keptNodes, edges: keptEdges };
}

/** Sets node positions; ids not in the document are ignored. */
export function moveNodes(doc: GraphDocument, positions: Readonly<Record<string, XY>>): GraphDocument {
  let changed = false;
  const nodes = doc.nodes.map((n) => {
    const p = own(positions, n.id);
    if (p === undefined || (p.x === n.position.x && p.y === n.position.y)) return n;
    changed = true;
    return { ...n, position: { x: p.x, y: p.y } };
  });
  return changed ? { ...doc, nodes } : doc;
}

/** Sets a node's label; an empty label removes it (the node then shows its id). */
export function rename(doc: GraphDocument, id: string, label: string): GraphDocument {
  const trimmed = label.trim();
  let changed = false;
  const nodes = doc.nodes.map((n) => {
    if (n.id !== id || (n.label ?? '') === trimmed) return n;
    changed = true;
    const { label: _old, ...rest } = n;
    return trimmed ? { ...rest, label: trimmed } : rest;
  });
  return changed ? { ...doc, nodes } : doc;
}

/** Sets a node's Trainable switch; on (the default) leaves the field out of the document. */
export function setTrainable(doc: GraphDocument, id: string, trainable: boolean): GraphDocument {
  let changed = false;
  const nodes = doc.nodes.map((n) => {
    if (n.id !== id || (n.trainable !== false) === trainable) return n;
    changed = true;
    const { trainable: _old, ...rest } = n;
    return trainable ? rest : { ...rest, trainable: false };
  });
  return changed ? { ...doc, nodes } : doc;
}

/**
 * Merges `patch` into a node's params (an undefined value removes the key). Refused when the
 * node's schema rejects a patched key, so a bad value never reaches the document.
 */
export function updateParams(doc: GraphDocument, id: string, patch: Readonly<Record<string, unknown>>): Outcome<{ doc: GraphDocument }> {
  const node = doc.nodes.find((n) => n.id === id);
  if (node === undefined) return refuse(`There is no node ${JSON.stringify(id)}.`);
  const spec = getNodeSpec(node.type);
  if (spec === undefined) return refuse(`Node ${JSON.stringify(id)} has an unknown type, so its parameters cannot be edited.`);
  const params: Record<string, unknown> = { ...node.params };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete params[key];
    else params[key] = value;
  }
  const problem = paramProblem(spec.params, params, Object.keys(patch));
  if (problem !== undefined) return refuse(problem);
  return { ok: true, doc: { ...doc, nodes: doc.nodes.map((n) => (n.id === id ? { ...n, params } : n)) } };
}

/** The first schema complaint about one of `keys` in `params`, as "key: message"; undefined when they are fine. */
export function paramProblem(
  schema: {
    safeParse(x: unknown): {
      success: boolean;
      error?: { issues: readonly { path: readonly PropertyKey[]; message: string; code: string; keys?: readonly string[] }[] };
    };
  },
  params: Record<string, unknown>,
  keys: readonly string[],
): string | undefined {
  let result;
  try {
    result = schema.safeParse(params);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  if (result.success) return undefined;
  for (const issue of result.error?.issues ?? []) {
    const key = issue.path[0];
    if (typeof key === 'string' && keys.includes(key)) return `${key}: ${issue.message}`;
    const unknown = issue.keys?.find((k) => keys.includes(k));
    if (issue.code === 'unrecognized_keys' && unknown !== undefined) return `${unknown}: this node has no such parameter`;
  }
  return undefined;
}

/** The ids of every node reachable from `start` along edges (start included). */
export function downstream(doc: GraphDocument, start: string): Set<string> {
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length > 0) {
    const id = queue.pop()!;
    for (const e of doc.edges) {
      if (e.from.node === id && !seen.has(e.to.node)) {
        seen.add(e.to.node);
        queue.push(e.to.node);
      }
    }
  }
  return seen;
}

/** Adds an edge after the checks that need no shapes; connect() in ./connect adds the shape check. */
export function addEdgeChecked(doc: GraphDocument, from: PortRef, to: PortRef): Outcome<{ doc: GraphDocument; edge: DocEdge }> {
  const source = doc.nodes.find((n) => n.id === from.node);
  const target = doc.nodes.find((n) => n.id === to.node);
  if (source === undefined || target === undefined) return refuse('That connection refers to a node that no longer exists.');
  const sourceName = source.label ?? source.id;
  const targetName = target.label ?? target.id;
  if (from.node === to.node) return refuse(`A node cannot feed itself: ${sourceName} → ${targetName} would be a loop.`);
  const outPort = getNodeSpec(source.type)?.outputs.find((p) => p.name === from.port);
  if (outPort === undefined) return refuse(`${sourceName} has no output "${from.port}".`);
  const inPort = getNodeSpec(target.type)?.inputs.find((p) => p.name === to.port);
  if (inPort === undefined) return refuse(`${targetName} has no input "${to.port}".`);
  // A cycle is the more fundamental problem, so it is reported before a taken port.
  if (downstream(doc, to.node).has(from.node)) {
    return refuse(`Connecting ${sourceName} → ${targetName} would make a cycle: ${targetName} already feeds ${sourceName}.`);
  }
  const into = doc.edges.filter((e) => e.to.node === to.node && e.to.port === to.port);
  if (into.some((e) => e.from.node === from.node && e.from.port === from.port)) {
    return refuse(`${sourceName} is already connected to input "${to.port}" of ${targetName}.`);
  }
  if (into.length > 0 && !inPort.multiple) {
    const other = doc.nodes.find((n) => n.id === into[0].from.node);
    return refuse(`Input "${to.port}" of ${targetName} is already taken by ${other?.label ?? into[0].from.node}; remove that edge first.`);
  }
  const edge: DocEdge = { id: freshEdgeId(doc.edges, from, to), from: { ...from }, to: { ...to } };
  return { ok: true, edge, doc: { ...doc, edges: [...doc.edges, edge] } };
}

/** The selected nodes and the edges that run between them. */
export function copyFragment(doc: GraphDocument, ids: Iterable<string>): Fragment {
  const set = new Set(ids);
  return {
    nodes: doc.nodes.filter((n) => set.has(n.id)),
    edges: doc.edges.filter((e) => set.has(e.from.node) && set.has(e.to.node)),
  };
}

/** Inserts a copy of `fragment` with fresh ids and labels, moved by `offset`; its internal edges are kept. */
export function pasteFragment(doc: GraphDocument, fragment: Fragment, offset: XY): { doc: GraphDocument; ids: string[] } {
  const ids = new Set(doc.nodes.map((n) => n.id));
  const labels = new Set(doc.nodes.map((n) => n.label ?? ''));
  const renamed = new Map<string, string>();
  const nodes: DocNode[] = fragment.nodes.map((n) => {
    const id = freshNodeId(ids, n.type);
    ids.add(id);
    renamed.set(n.id, id);
    const copy: DocNode = { ...n, id, params: structuredClone(n.params), position: { x: n.position.x + offset.x, y: n.position.y + offset.y } };
    if (n.label !== undefined) {
      copy.label = freshLabel(labels, n.label);
      labels.add(copy.label);
    }
    return copy;
  });
  const edges: DocEdge[] = [];
  for (const e of fragment.edges) {
    const from = { node: renamed.get(e.from.node)!, port: e.from.port };
    const to = { node: renamed.get(e.to.node)!, port: e.to.port };
    edges.push({ id: freshEdgeId([...doc.edges, ...edges], from, to), from, to });
  }
  return { doc: { ...doc, nodes: [...doc.nodes, ...nodes], edges: [...doc.edges, ...edges] }, ids: nodes.map((n) => n.id) };
}
