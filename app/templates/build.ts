/** Small helpers that keep template files readable: nodes on a grid, edges as "node.port" strings. */
import { CURRENT_VERSION, DOCUMENT_FORMAT, GraphDocument, type DocEdge, type DocNode } from '../../engine/graph/document';
import type { TrainingConfig } from '../../engine/graph/training';
import type { z } from 'zod';

/** Horizontal and vertical distance between grid cells, in flow units. */
export const COLUMN = 260;
export const ROW = 170;

/** A node at grid cell (column, row). */
export function node(id: string, type: string, params: Record<string, unknown>, column: number, row: number, label?: string): DocNode {
  return { id, type, params, position: { x: Math.round(column * COLUMN), y: Math.round(row * ROW) }, ...(label !== undefined && { label }) };
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
