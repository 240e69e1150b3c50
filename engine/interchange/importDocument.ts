/**
 * What the model importers (ONNX, Keras JSON, Caffe prototxt) share: the error they throw, and a
 * small builder that turns "add a node, wire it" into a GraphDocument with unique, readable ids and
 * a first layered placement (the page lays the graph out again with ELK when it opens it).
 *
 * An importer either returns a whole document or throws ImportError: nothing half-imported.
 * The result is a value, not yet trusted by the page: it still goes through the one document gate
 * (app/files/documentFile.ts, openDocumentText) like any opened file.
 */
import { CURRENT_VERSION, DOCUMENT_FORMAT, GraphDocument, type DocEdge, type DocNode } from '../graph/document';
import { DOCUMENT_LIMITS } from '../graph/limits';
import { getNodeSpec } from '../graph/nodes';

/** Where in the imported file a problem is. */
export interface ImportLocation {
  /** The node, layer or operator the problem is about, as the file names it. */
  readonly node?: string;
  /** 1-based line and column in a text file (prototxt, JSON). */
  readonly line?: number;
  readonly column?: number;
}

/** The file cannot be imported; the message names the node, layer, operator or line at fault. */
export class ImportError extends Error {
  readonly node?: string;
  readonly line?: number;
  readonly column?: number;
  constructor(message: string, where: ImportLocation = {}) {
    super(message);
    this.name = 'ImportError';
    this.node = where.node;
    this.line = where.line;
    this.column = where.column;
  }
}

/** Horizontal and vertical spacing of the first placement (a layer per column). */
const COLUMN = 260;
const ROW = 170;

/** A name from a file as a node id: letters, digits, `_`, `-` and `.` kept, the rest `_`, clipped. */
export function safeId(name: string, fallback = 'node'): string {
  const cleaned = name
    .replace(/^onnx::/, '')
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .replace(/^[_.]+|[_.]+$/g, '');
  const id = cleaned || fallback;
  return id.length > 80 ? id.slice(0, 80) : id;
}

/** A document under construction. */
export class DocumentBuilder {
  private readonly nodes: DocNode[] = [];
  private readonly edges: DocEdge[] = [];
  private readonly ids = new Set<string>();

  /** Adds a node; returns its id (`base`, made safe and unique). */
  add(base: string, type: string, params: Record<string, unknown>, label?: string): string {
    if (this.nodes.length >= DOCUMENT_LIMITS.nodes)
      throw new ImportError(`the model needs more than ${DOCUMENT_LIMITS.nodes} nodes, the most a document may hold`);
    const root = safeId(base, type.toLowerCase());
    let id = root;
    for (let k = 2; this.ids.has(id); k++) id = `${root}_${k}`;
    this.ids.add(id);
    // Settings in full (defaults filled), as the editor writes them; invalid ones stay as given for the document gate to name.
    const parsed = getNodeSpec(type)?.params.safeParse(params);
    this.nodes.push({
      id,
      type,
      params: parsed?.success ? (parsed.data as Record<string, unknown>) : params,
      position: { x: 0, y: 0 },
      ...(label && label !== id ? { label: label.slice(0, 200) } : {}),
    });
    return id;
  }

  /** Turns the node's Trainable switch off (a layer the source model had frozen). */
  freeze(id: string): void {
    const i = this.nodes.findIndex((n) => n.id === id);
    if (i >= 0) this.nodes[i] = { ...this.nodes[i], trainable: false };
  }

  /** Wires `from`'s output port to `to`'s input port. */
  connect(from: string, to: string, toPort: string, fromPort = 'y'): void {
    this.edges.push({ id: `e${this.edges.length + 1}`, from: { node: from, port: fromPort }, to: { node: to, port: toPort } });
  }

  get size(): number {
    return this.nodes.length;
  }

  /** The document, each node placed in the column of its longest path from a source. */
  finish(name: string, training: Record<string, unknown> = {}, description?: string): GraphDocument {
    const depth = new Map<string, number>();
    const preds = new Map<string, string[]>();
    for (const e of this.edges) preds.set(e.to.node, [...(preds.get(e.to.node) ?? []), e.from.node]);
    // Nodes were added in dependency order, so one pass settles every depth.
    for (const n of this.nodes) depth.set(n.id, Math.max(-1, ...(preds.get(n.id) ?? []).map((p) => depth.get(p) ?? 0)) + 1);
    const rows = new Map<number, number>();
    const nodes = this.nodes.map((n) => {
      const d = depth.get(n.id)!;
      const row = rows.get(d) ?? 0;
      rows.set(d, row + 1);
      return { ...n, position: { x: d * COLUMN, y: row * ROW } };
    });
    const now = new Date().toISOString();
    return GraphDocument.parse({
      format: DOCUMENT_FORMAT,
      version: CURRENT_VERSION,
      nodes,
      edges: this.edges,
      training,
      meta: { name: name.slice(0, 200) || 'Imported model', created: now, modified: now, ...(description ? { description } : {}) },
    });
  }
}

/** "Unsupported: A (x), B (y, z)": each kind once, with the names that use it (a few, then a count). */
export function listByKind(items: readonly { kind: string; name: string }[], shown = 3): string {
  const byKind = new Map<string, string[]>();
  for (const { kind, name } of items) byKind.set(kind, [...(byKind.get(kind) ?? []), name]);
  return [...byKind]
    .map(([kind, names]) => {
      const listed = names
        .slice(0, shown)
        .map((n) => JSON.stringify(n))
        .join(', ');
      const more = names.length > shown ? ` and ${names.length - shown} more` : '';
      return `${kind} (${listed}${more})`;
    })
    .join(', ');
}
