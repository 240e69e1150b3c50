/** Fresh ids and labels for nodes and edges: readable, unique within a document, never reused by accident. */
import type { DocEdge, DocNode, PortRef } from '../../engine/graph/document';

/** `Conv2D` → `conv2d`, `SoftmaxCrossEntropy` → `softmaxcrossentropy`. */
export function slug(type: string): string {
  return (
    type
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'node'
  );
}

/** The first `${slug}-${n}` (n = 1, 2, …) that no node uses. */
export function freshNodeId(taken: ReadonlySet<string>, type: string): string {
  const base = slug(type);
  for (let n = 1; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** `base` numbered to be unique among `taken`: "Dense 1", "Dense 2", … (a trailing number is replaced). */
export function freshLabel(taken: ReadonlySet<string>, label: string): string {
  const base = label.replace(/\s+\d+$/, '');
  for (let n = 1; ; n++) if (!taken.has(`${base} ${n}`)) return `${base} ${n}`;
}

/** An edge id that says what it connects, made unique if the same wire exists under that id. */
export function freshEdgeId(edges: readonly DocEdge[], from: PortRef, to: PortRef): string {
  const base = `${from.node}.${from.port}->${to.node}.${to.port}`;
  const taken = new Set(edges.map((e) => e.id));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}#${n}`)) return `${base}#${n}`;
}

/** What a node is called on the canvas and in messages. */
export function displayName(node: Pick<DocNode, 'id' | 'label'>): string {
  const label = node.label?.trim();
  return label ? label : node.id;
}
