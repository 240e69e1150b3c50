/**
 * The document: a versioned JSON graph, the single source of truth in the page (DESIGN.md,
 * "The document"). Older versions are upgraded by ./migrations before they meet this schema.
 */
import { z } from 'zod';
import { TrainingConfig } from './training';

/** The version this code writes; older ones are migrated up to it. */
export const CURRENT_VERSION = 2;
/** The `format` tag every document carries. */
export const DOCUMENT_FORMAT = 'wiregrad.graph';

/** One end of an edge: an output port (from) or an input port (to) of a node. */
export const PortRef = z.object({ node: z.string(), port: z.string() });
export type PortRef = z.output<typeof PortRef>;

/** A node placed on the canvas. */
export const DocNode = z.object({
  /** Unique within the document; errors and edges refer to it. */
  id: z.string().min(1),
  /** A node type in the catalog (an op, a layer, a data source, a loss). */
  type: z.string(),
  /** The node's settings, checked against its NodeSpec's params schema. */
  params: z.record(z.string(), z.unknown()).default(() => ({})),
  /** Canvas position in flow coordinates. */
  position: z.object({ x: z.number(), y: z.number() }).default(() => ({ x: 0, y: 0 })),
  /** Name shown on the node instead of its id. */
  label: z.string().optional(),
  /**
   * false freezes the node's parameters (fine-tuning): no gradient, no optimizer state, no update.
   * Absent means trainable; only nodes that own parameters use it (see ./trainable).
   */
  trainable: z.boolean().optional(),
});
export type DocNode = z.output<typeof DocNode>;

/** A wire from one node's output port to another node's input port. */
export const DocEdge = z.object({
  id: z.string().min(1),
  from: PortRef,
  to: PortRef,
});
export type DocEdge = z.output<typeof DocEdge>;

/** About the document, not the graph. */
export const DocMeta = z.object({
  name: z.string(),
  /** ISO 8601 timestamps. */
  created: z.iso.datetime({ offset: true }).optional(),
  modified: z.iso.datetime({ offset: true }).optional(),
  description: z.string().optional(),
});
export type DocMeta = z.output<typeof DocMeta>;

/** A whole document at CURRENT_VERSION. */
export const GraphDocument = z.object({
  format: z.literal(DOCUMENT_FORMAT),
  version: z.literal(CURRENT_VERSION),
  nodes: z.array(DocNode),
  edges: z.array(DocEdge),
  training: TrainingConfig.prefault({}),
  meta: DocMeta,
});
export type GraphDocument = z.output<typeof GraphDocument>;

/** A new document with no nodes and default training settings. */
export function emptyDocument(name: string, now: Date = new Date()): GraphDocument {
  const stamp = now.toISOString();
  return {
    format: DOCUMENT_FORMAT,
    version: CURRENT_VERSION,
    nodes: [],
    edges: [],
    training: TrainingConfig.parse({}),
    meta: { name, created: stamp, modified: stamp },
  };
}
