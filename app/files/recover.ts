/**
 * Salvage from a document that cannot be opened whole (an autosave written by a newer version, cut
 * short, or with one bad node): every node that reads on its own and every edge between nodes kept.
 * The text itself is never changed; the caller keeps it.
 */
import { CURRENT_VERSION, DOCUMENT_FORMAT, DocEdge, DocMeta, DocNode, type GraphDocument } from '../../engine/graph/document';
import type { GraphErrorCode } from '../../engine/graph/errors';
import { checkDocumentValue, checkEdge, checkNode, clip, DOCUMENT_LIMITS } from '../../engine/graph/limits';
import { migrate } from '../../engine/graph/migrations';
import { checkStructure } from '../../engine/graph/structure';
import { TrainingConfig } from '../../engine/graph/training';
import { loadProblem } from '../store/integrity';

/** What could be saved from a document, and how much of it. */
export interface Recovered {
  readonly doc: GraphDocument;
  readonly nodes: { readonly kept: number; readonly of: number };
  readonly edges: { readonly kept: number; readonly of: number };
}

// The problems loadProblem (app/store/integrity.ts) refuses a document for; the rest show on their nodes.
const BLOCKING: ReadonlySet<GraphErrorCode> = new Set(['unknown_type', 'duplicate_id', 'dangling_edge', 'unknown_port', 'duplicate_edge']);

type Json = Record<string, unknown>;
const isRecord = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The nodes and edges of `text` that can be opened, or undefined when not one node can. Never throws. */
export function recoverDocument(text: string, now: Date = new Date()): Recovered | undefined {
  if (typeof text !== 'string' || text.length > DOCUMENT_LIMITS.bytes) return undefined;
  let raw: unknown;
  try {
    // JSON.parse itself does not recurse, and every check below walks with an explicit stack.
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(raw) || !Array.isArray(raw.nodes)) return undefined;
  const rawNodes = raw.nodes.slice(0, DOCUMENT_LIMITS.nodes);
  const rawEdges = Array.isArray(raw.edges) ? raw.edges.slice(0, DOCUMENT_LIMITS.edges) : [];

  const ids = new Set<string>();
  let nodes: DocNode[] = [];
  rawNodes.forEach((item, i) => {
    if (checkNode(item, i) !== undefined || checkDocumentValue(item) !== undefined) return;
    const parsed = DocNode.safeParse(item);
    if (!parsed.success || ids.has(parsed.data.id)) return;
    ids.add(parsed.data.id);
    nodes.push(parsed.data);
  });
  let edges: DocEdge[] = [];
  const edgeIds = new Set<string>();
  rawEdges.forEach((item, i) => {
    if (checkEdge(item, i) !== undefined || checkDocumentValue(item) !== undefined) return;
    const parsed = DocEdge.safeParse(item);
    if (!parsed.success || edgeIds.has(parsed.data.id) || !ids.has(parsed.data.from.node) || !ids.has(parsed.data.to.node)) return;
    edgeIds.add(parsed.data.id);
    edges.push(parsed.data);
  });

  const training = checkDocumentValue(raw.training) === undefined ? TrainingConfig.safeParse(raw.training ?? {}) : undefined;
  const meta = checkDocumentValue(raw.meta) === undefined ? DocMeta.safeParse(raw.meta) : undefined;
  const name = meta?.success ? meta.data.name : 'Graph';
  const stamp = now.toISOString();
  const build = (): GraphDocument => ({
    format: DOCUMENT_FORMAT,
    version: CURRENT_VERSION,
    nodes,
    edges,
    training: training?.success ? training.data : TrainingConfig.parse({}),
    meta: { ...(meta?.success ? meta.data : {}), name: `${clip(name, 200)} (recovered)`, modified: stamp },
  });

  // Drop what the canvas cannot show (unknown types, edges to missing ports), a few rounds at most.
  for (let round = 0; round < 8; round++) {
    const blocking = checkStructure(build(), { requireLoss: false }).filter((e) => BLOCKING.has(e.code));
    if (blocking.length === 0) break;
    const badEdges = new Set(blocking.flatMap((e) => (e.edge !== undefined ? [e.edge] : [])));
    const badNodes = new Set(blocking.flatMap((e) => (e.edge === undefined && e.node !== undefined ? [e.node] : [])));
    if (badEdges.size === 0 && badNodes.size === 0) return undefined;
    nodes = nodes.filter((n) => !badNodes.has(n.id));
    edges = edges.filter((e) => !badEdges.has(e.id) && !badNodes.has(e.from.node) && !badNodes.has(e.to.node));
  }
  if (nodes.length === 0) return undefined;
  // The result goes through the same gate as any document.
  const checked = migrate(build());
  if (!checked.ok || loadProblem(checked.doc) !== undefined) return undefined;
  return {
    doc: checked.doc,
    nodes: { kept: nodes.length, of: raw.nodes.length },
    edges: { kept: edges.length, of: Array.isArray(raw.edges) ? raw.edges.length : 0 },
  };
}
