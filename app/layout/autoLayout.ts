/**
 * Auto-layout: ELK's layered algorithm, left to right, with ports in their on-node order so
 * edges do not cross needlessly. A chain too long to read when fitted to the canvas wraps into
 * rows instead. elkjs is large, so it loads on first use.
 */
import type { ElkNode } from 'elkjs/lib/elk-api';
import type { GraphDocument } from '../../engine/graph/document';
import { getNodeSpec } from '../../engine/graph/nodes';
import { idRecord, own, type XY } from '../store/edits';

/** Size assumed for a node the canvas has not measured yet. */
export const DEFAULT_NODE_SIZE = { width: 208, height: 120 } as const;

const LAYOUT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.layered.spacing.nodeNodeBetweenLayers': '72',
  'elk.spacing.nodeNode': '40',
  'elk.spacing.componentComponent': '64',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.crossingMinimization.semiInteractive': 'true',
};

/** Below this fit-to-view zoom node text is too small to read, so the layout wraps into rows. */
export const MIN_READABLE_ZOOM = 0.7;

const portId = (node: string, side: 'in' | 'out', port: string) => `${node}\u0000${side}\u0000${port}`;

/** The ELK graph for a document: one node per node, fixed-order ports west (inputs) and east (outputs). */
export function toElkGraph(doc: GraphDocument, sizes: Readonly<Record<string, { width: number; height: number }>>, wrapAspectRatio?: number): ElkNode {
  // Wrapping cuts a too-wide layering into rows aiming at the aspect ratio, like text wrapping.
  const wrap: Record<string, string> =
    wrapAspectRatio === undefined ? {} : { 'elk.layered.wrapping.strategy': 'MULTI_EDGE', 'elk.aspectRatio': String(wrapAspectRatio) };
  return {
    id: 'root',
    layoutOptions: { ...LAYOUT_OPTIONS, ...wrap },
    children: doc.nodes.map((n) => {
      const spec = getNodeSpec(n.type);
      const size = own(sizes, n.id) ?? DEFAULT_NODE_SIZE;
      return {
        id: n.id,
        width: size.width,
        height: size.height,
        layoutOptions: { 'elk.portConstraints': 'FIXED_ORDER' },
        ports: [
          ...(spec?.inputs ?? []).map((p) => ({ id: portId(n.id, 'in', p.name), layoutOptions: { 'elk.port.side': 'WEST' } })),
          ...(spec?.outputs ?? []).map((p) => ({ id: portId(n.id, 'out', p.name), layoutOptions: { 'elk.port.side': 'EAST' } })),
        ],
      };
    }),
    edges: doc.edges.map((e) => ({
      id: e.id,
      sources: [portId(e.from.node, 'out', e.from.port)],
      targets: [portId(e.to.node, 'in', e.to.port)],
    })),
  };
}

/**
 * New top-left positions for every node, keeping the graph's top-left corner where it was. With
 * the canvas size, a layout that would have to be shown below MIN_READABLE_ZOOM wraps to fit.
 */
export async function layoutPositions(
  doc: GraphDocument,
  sizes: Readonly<Record<string, { width: number; height: number }>> = {},
  canvas?: { readonly width: number; readonly height: number },
): Promise<Record<string, XY>> {
  if (doc.nodes.length === 0) return {};
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const elk = new ELK();
  let result = await elk.layout(toElkGraph(doc, sizes));
  if (canvas !== undefined && canvas.width > 0 && canvas.height > 0) {
    const zoom = Math.min(canvas.width / (result.width ?? 1), canvas.height / (result.height ?? 1));
    if (zoom < MIN_READABLE_ZOOM) result = await elk.layout(toElkGraph(doc, sizes, canvas.width / canvas.height));
  }
  const children = result.children ?? [];
  const originX = Math.min(...doc.nodes.map((n) => n.position.x));
  const originY = Math.min(...doc.nodes.map((n) => n.position.y));
  // ELK pads the graph; shift so its top-left node lands where the old top-left was.
  const minX = Math.min(...children.map((c) => c.x ?? 0));
  const minY = Math.min(...children.map((c) => c.y ?? 0));
  // Prototype-less: a node named __proto__ or constructor is a key like any other.
  const positions = idRecord<XY>();
  for (const child of children) {
    positions[child.id] = { x: Math.round(originX + (child.x ?? 0) - minX), y: Math.round(originY + (child.y ?? 0) - minY) };
  }
  return positions;
}
