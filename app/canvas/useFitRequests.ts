/**
 * Frames the view when the editor asks (a new document, a layout, undo back to another document).
 * A small graph is fitted a frame later, once its nodes are measured, with a short animation. A large
 * graph is framed at once from its document positions, in the same store update that loads it, so
 * the nodes mounted first are the ones in the new view: fitting after the first render mounted the
 * nodes at the old view and then those at the new one, and an animated fit mounts and unmounts the
 * nodes it passes on every frame.
 */
import { getViewportForBounds, useReactFlow, useStoreApi } from '@xyflow/react';
import { useEffect } from 'react';
import type { GraphDocument } from '../../engine/graph/document';
import { own } from '../store/edits';
import { useEditorStore } from '../store/context';
import type { GraphFlowNode } from './flowModel';
import { isLargeGraph } from './largeGraph';
import { NODE_LAYOUT } from './nodeGeometry';

/** How a graph is fitted into view. */
export const FIT_OPTIONS = { padding: 0.15, maxZoom: 1 };
/**
 * A large graph is framed no smaller than half size: fitting all of a 300-node graph would show
 * unreadable nodes and mount every one of them (slow to open); the minimap shows the whole.
 */
export const LARGE_FIT_OPTIONS = { ...FIT_OPTIONS, minZoom: 0.5 };

/** A node's height for framing before it is measured: a typical node (a header, a summary, one port row). */
const UNMEASURED_HEIGHT = 80;

/** The box around the document's nodes, each at its measured size (or a typical one). */
export function documentBounds(doc: GraphDocument, measured: Readonly<Record<string, { width: number; height: number }>>) {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const node of doc.nodes) {
    const size = own(measured, node.id);
    x0 = Math.min(x0, node.position.x);
    y0 = Math.min(y0, node.position.y);
    x1 = Math.max(x1, node.position.x + (size?.width ?? NODE_LAYOUT.width));
    y1 = Math.max(y1, node.position.y + (size?.height ?? UNMEASURED_HEIGHT));
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

export function useFitRequests(): void {
  const editor = useEditorStore();
  const flow = useStoreApi<GraphFlowNode>();
  const { fitView, setViewport } = useReactFlow();
  useEffect(() => {
    let frame = 0;
    const unsubscribe = editor.subscribe((state, prev) => {
      if (state.fitRequest === prev.fitRequest) return;
      cancelAnimationFrame(frame);
      const count = state.doc.nodes.length;
      if (isLargeGraph(count)) {
        const { width, height } = flow.getState();
        const { padding, minZoom, maxZoom } = LARGE_FIT_OPTIONS;
        void setViewport(getViewportForBounds(documentBounds(state.doc, state.measured), width, height, minZoom, maxZoom, padding));
        return;
      }
      // An empty document resets to 100% so the next node dropped is full size.
      frame = requestAnimationFrame(() => void (count === 0 ? setViewport({ x: 0, y: 0, zoom: 1 }) : fitView({ ...FIT_OPTIONS, duration: 200 })));
    });
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
    };
  }, [editor, flow, fitView, setViewport]);
}
