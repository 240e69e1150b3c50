/** Small helpers that keep template files readable: nodes on a grid, edges as "node.port" strings. */
import { CURRENT_VERSION, DOCUMENT_FORMAT, GraphDocument, type DocEdge, type DocNode } from '../document';
import type { TrainingConfig } from '../training';
import type { z } from 'zod';

/** Horizontal and vertical distance between grid cells, in flow units. */
export const COLUMN = 260;
export const ROW = 170;

/** A node at grid cell (column, row). */
export function node(id: string, type: string, params: Record<string, unknown>, column: number, row: number, label?: string): DocNode {
  return { id, type, params, position: { x: Math.round(column * COLUMN), y: Math.round(row * ROW) }, ...(label !== undefined && { label }) };
}

/**
 * The classifier tail every classification template shares: a "label" Input under the "logits"
 * node at (column, row), and sparse softmax cross-entropy and accuracy in the next column.
 */
export function classifierHead(column: number, row: number): { nodes: DocNode[]; edges: DocEdge[] } {
  return {
    nodes: [
      node('label', 'Input', { field: 'label', shape: [], dtype: 'i32' }, column, row + 1, 'label'),
      node('loss', 'SoftmaxCrossEntropy', { labels: 'sparse' }, column + 1, row, 'loss'),
      node('accuracy', 'Accuracy', { labels: 'sparse', threshold: 0 }, column + 1, row + 1, 'accuracy'),
    ],
    edges: [edge('logits.y', 'loss.pred'), edge('label.y', 'loss.target'), edge('logits.y', 'accuracy.pred'), edge('label.y', 'accuracy.target')],
  };
}

/** An edge from "node.port" to "node.port". */
export function edge(from: string, to: string): DocEdge {
  const [fromNode, fromPort] = from.split('.');
  const [toNode, toPort] = to.split('.');
  return { id: `${from}->${to}`, from: { node: fromNode, port: fromPort }, to: { node: toNode, port: toPort } };
}

/** A template: a name and description for the menu, and a function giving a fresh document. */
export interface Template {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  build(now?: Date): GraphDocument;
}

/** A validated document (schema defaults filled in) stamped with `now`. */
export function document(
  name: string,
  description: string,
  nodes: DocNode[],
  edges: DocEdge[],
  training: z.input<typeof TrainingConfig>,
  now: Date = new Date(),
): GraphDocument {
  const stamp = now.toISOString();
  return GraphDocument.parse({
    format: DOCUMENT_FORMAT,
    version: CURRENT_VERSION,
    nodes,
    edges,
    training,
    meta: { name, description, created: stamp, modified: stamp },
  });
}
