/**
 * Expanding a composite node (the editor's ⊞): a TransformerBlock becomes its parts (LayerNorm,
 * MultiHeadAttention, Add, LayerNorm, Dense, Dense, Add) wired as the block computes, so the new
 * document computes the same function. The parts' weights are the block's under new names
 * (`block/ln1_gamma` → `block_ln1/gamma`): compositeWeightNames gives the mapping, for carrying
 * trained weights over.
 */
import type { DocEdge, DocNode, GraphDocument } from '../document';
import { nodeName } from '../errors';
import { inferShapes } from '../infer';
import { blockParts, TransformerBlockParams } from './attentionBlock';
import { getNodeSpec } from './index';

/** Node types the editor can expand. */
export const COMPOSITE_TYPES: ReadonlySet<string> = new Set(['TransformerBlock']);

/** Why a node cannot be expanded, naming it. */
export class ExpandError extends Error {
  constructor(
    message: string,
    readonly node: string,
  ) {
    super(message);
    this.name = 'ExpandError';
  }
}

/** Horizontal distance between the parts on the canvas (a node is about 180 wide). */
const STEP_X = 220;

/** An id not yet in `taken` (which it joins): `base`, else `base_2`, `base_3`, … */
function freshId(base: string, taken: Set<string>): string {
  let id = base;
  for (let k = 2; taken.has(id); k++) id = `${base}_${k}`;
  taken.add(id);
  return id;
}

interface Plan {
  readonly block: DocNode;
  readonly parts: readonly {
    readonly part: string;
    readonly id: string;
    readonly type: string;
    readonly params: Record<string, unknown>;
    readonly inputs: Readonly<Record<string, readonly string[]>>;
  }[];
}

function plan(doc: GraphDocument, nodeId: string): Plan {
  const block = doc.nodes.find((n) => n.id === nodeId);
  if (!block) throw new ExpandError(`there is no node "${nodeId}"`, nodeId);
  if (!COMPOSITE_TYPES.has(block.type)) throw new ExpandError(`node ${nodeName(block)} (${block.type}) is not a composite node`, nodeId);
  const parsed = TransformerBlockParams.safeParse(block.params);
  if (!parsed.success) throw new ExpandError(`node ${nodeName(block)} has invalid settings; fix them before expanding`, nodeId);
  const width = inferShapes(doc).nodes.get(nodeId)?.outputs.y?.shape.at(-1);
  if (width === undefined) throw new ExpandError(`node ${nodeName(block)} needs a connected input of known shape [batch, time, features] to expand`, nodeId);
  const taken = new Set(doc.nodes.map((n) => n.id));
  return { block, parts: blockParts(parsed.data, width).map((p) => ({ ...p, id: freshId(`${nodeId}_${p.part}`, taken) })) };
}

/**
 * `doc` with the composite node `nodeId` replaced by its parts, wired identically: edges into the
 * block feed the parts that read its input, edges out of it leave the last part. Throws ExpandError
 * when the node is not a composite or its input width is unknown.
 */
export function expandComposite(doc: GraphDocument, nodeId: string): GraphDocument {
  const { block, parts } = plan(doc, nodeId);
  const idOf = new Map(parts.map((p) => [p.part, p.id]));
  const label = block.label?.trim() || block.id;
  const newNodes: DocNode[] = parts.map((p, i) => ({
    // Every setting written out (defaults filled), as the editor writes a node's params.
    id: p.id,
    type: p.type,
    params: getNodeSpec(p.type)!.params.parse(p.params) as Record<string, unknown>,
    label: `${label} · ${p.part}`,
    position: { x: block.position.x + STEP_X * i, y: block.position.y },
    ...(block.trainable === false ? { trainable: false } : {}),
  }));
  const edgeIds = new Set(doc.edges.map((e) => e.id));
  const intoBlock = doc.edges.filter((e) => e.to.node === nodeId && e.to.port === 'x');
  const edges: DocEdge[] = [];
  for (const e of doc.edges) {
    if (e.to.node === nodeId) continue; // rewired below
    edges.push(e.from.node === nodeId ? { ...e, from: { node: idOf.get('add2')!, port: 'y' } } : e);
  }
  for (const p of parts) {
    for (const [port, sources] of Object.entries(p.inputs)) {
      for (const source of sources) {
        if (source === 'x') {
          for (const e of intoBlock) edges.push({ id: freshId(`${e.id}_${p.part}`, edgeIds), from: e.from, to: { node: p.id, port } });
        } else {
          edges.push({ id: freshId(`${nodeId}_${source}_${p.part}`, edgeIds), from: { node: idOf.get(source)!, port: 'y' }, to: { node: p.id, port } });
        }
      }
    }
  }
  // Nodes right of the block move right to make room for the parts.
  const room = STEP_X * (parts.length - 1);
  const moved = (n: DocNode): DocNode => (n.position.x > block.position.x ? { ...n, position: { x: n.position.x + room, y: n.position.y } } : n);
  const at = doc.nodes.indexOf(block);
  return { ...doc, nodes: [...doc.nodes.slice(0, at).map(moved), ...newNodes, ...doc.nodes.slice(at + 1).map(moved)], edges };
}

/** The block's weight names and their names after expandComposite: `block/ln1_gamma` → `block_ln1/gamma`. */
export function compositeWeightNames(doc: GraphDocument, nodeId: string, weights: Iterable<string>): Map<string, string> {
  const { parts } = plan(doc, nodeId);
  const renames = new Map<string, string>();
  for (const name of weights) {
    if (!name.startsWith(`${nodeId}/`)) continue;
    const local = name.slice(nodeId.length + 1);
    const part = parts.find((p) => local.startsWith(`${p.part}_`));
    if (part) renames.set(name, `${part.id}/${local.slice(part.part.length + 1)}`);
  }
  return renames;
}

/**
 * The weight renames a hot edit needs when `after` is `before` with composite nodes expanded (⊞
 * while training): every composite node of `before` that `after` no longer has, and whose parts it
 * has, maps its weights (of `weights`) to its parts' (see compositeWeightNames).
 */
export function expandedWeightNames(before: GraphDocument, after: GraphDocument, weights: Iterable<string>): Map<string, string> {
  const names = [...weights];
  const afterIds = new Set(after.nodes.map((n) => n.id));
  const renames = new Map<string, string>();
  for (const node of before.nodes) {
    if (!COMPOSITE_TYPES.has(node.type) || afterIds.has(node.id)) continue;
    let map: Map<string, string>;
    try {
      map = compositeWeightNames(before, node.id, names);
    } catch (e) {
      if (e instanceof ExpandError) continue;
      throw e;
    }
    for (const [from, to] of map) if (afterIds.has(to.slice(0, to.indexOf('/')))) renames.set(from, to);
  }
  return renames;
}
