/**
 * A node's size and handle positions before the browser has laid it out, from what it will show.
 * React Flow mounts every node it has not measured (to measure it), even with
 * onlyRenderVisibleElements: on a large graph that mounted all of them on open and then unmounted
 * the ones out of view. Given this geometry it mounts only the nodes in view; a node that mounts is
 * measured as usual (React Flow's ResizeObserver re-reads its size and handles on mount), so an
 * estimate that is off only ever shows on nodes that are off screen.
 */
import type { NodeHandle } from '@xyflow/react';
import { Position } from '@xyflow/react';
import type { GraphNodeData } from './flowModel';

/** The layout of a `.gnode` in canvas.css, in CSS pixels at zoom 1 (keep in step with it). */
export const NODE_LAYOUT = {
  /** `.gnode { width }`, borders included (border-box). */
  width: 216,
  /** Top border 3px (the category colour) + bottom border 1px. */
  borders: 4,
  borderTop: 3,
  /** `.gnode-head`: 6px + 2px padding around a 13px title line. */
  head: 27,
  /** `.gnode-summary`: one 11px line, no wrapping. */
  summary: 16,
  /** `.gnode-ports { padding: 4px 0 6px }`. */
  portsPadTop: 4,
  portsPadBottom: 6,
  /** `.gnode-port { height }`. */
  portRow: 22,
  /** `.gnode-params`: border, padding and one line. */
  params: 27,
  /** `.gnode .react-flow__handle`: 10px square, centred on the node's left or right edge. */
  handle: 10,
  /** `.gnode-problems`: border + 6px/8px padding; each problem ~15px a line, 2px apart, about 34 characters a line. */
  problemsFrame: 15,
  problemLine: 15,
  problemGap: 2,
  charsPerLine: 34,
} as const;

/** Where React Flow would measure a node: its size and each handle's box relative to its top-left. */
export interface NodeGeometry {
  readonly width: number;
  readonly height: number;
  readonly handles: NodeHandle[];
}

const lines = (text: string) => Math.max(1, Math.ceil(text.length / NODE_LAYOUT.charsPerLine));

/** The estimated geometry of a node showing `data` (see GraphNode.tsx). */
export function estimateGeometry(data: GraphNodeData): NodeGeometry {
  const L = NODE_LAYOUT;
  const portsTop = L.borderTop + L.head + (data.runtimeError ? L.problemsFrame + L.problemLine * lines(data.runtimeError) : 0) + (data.summary ? L.summary : 0);
  const rows = Math.max(data.inputs.length, data.outputs.length);
  const problems =
    data.problems.length === 0
      ? 0
      : L.problemsFrame + data.problems.reduce((h, p) => h + L.problemLine * lines(p.message), 0) + L.problemGap * (data.problems.length - 1);
  const height = portsTop - L.borderTop + L.borders + L.portsPadTop + rows * L.portRow + L.portsPadBottom + (data.params ? L.params : 0) + problems;
  const handleY = (row: number) => portsTop + L.portsPadTop + row * L.portRow + (L.portRow - L.handle) / 2;
  const half = L.handle / 2;
  const handles: NodeHandle[] = [
    ...data.inputs.map((p, i) => ({
      id: p.name,
      type: 'target' as const,
      position: Position.Left,
      x: 1 - half,
      y: handleY(i),
      width: L.handle,
      height: L.handle,
    })),
    ...data.outputs.map((p, i) => ({
      id: p.name,
      type: 'source' as const,
      position: Position.Right,
      x: L.width - 1 - half,
      y: handleY(i),
      width: L.handle,
      height: L.handle,
    })),
  ];
  return { width: L.width, height, handles };
}
