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
 * A large graph is framed no smaller than half size by the canvas's fit control: fitting
 * all of a 300-node graph would show unreadable nodes and mount every one of them (slow); the minimap
 * shows the whole.
 */
export const LARGE_FIT_OPTIONS = { ...FIT_OPTIONS, minZoom: 0.5 };

/**
 * The zoom a large graph opens at when it does not fit whole: its 12 px text is 9 px on screen, as
 * small as it is still read (at half size it is 6 px). Netron opens a large model the same way, at a
 * readable size at its start, with the rest a scroll (or the minimap) away.
 */
export const LARGE_OPEN_ZOOM = 0.75;

type Box = { readonly x: number; readonly y: number; readonly width: number; readonly height: number };

/**
 * Where a large graph opens: fitted whole when it fits at LARGE_OPEN_ZOOM or more (at most 100%);
 * else at LARGE_OPEN_ZOOM, each axis the graph overflows showing its start (the inputs, at the top
 * left of a laid-out graph) a margin from the edge, each axis it fits centred.
 */
export function largeGraphViewport(bounds: Box, width: number, height: number): { x: number; y: number; zoom: number } {
  const { padding, maxZoom } = FIT_OPTIONS;
  const fit = getViewportForBounds(bounds, width, height, LARGE_OPEN_ZOOM, maxZoom, padding);
  if (fit.zoom > LARGE_OPEN_ZOOM) return fit;
  const zoom = LARGE_OPEN_ZOOM;
  const axis = (start: number, size: number, screen: number) => {
    const margin = (screen * padding) / 2;
    return size * zoom + 2 * margin <= screen ? (screen - size * zoom) / 2 - start * zoom : margin - start * zoom;
  };
  return { x: axis(bounds.x, bounds.width, width), y: axis(bounds.y, bounds.height, height), zoom };
}

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
    const frameLarge = () => {
      const { doc, measured } = editor.getState();
      const { width, height } = flow.getState();
      void setViewport(largeGraphViewport(documentBounds(doc, measured), width, height));
    };
    // A large graph the studio starts with (restored from the autosave) is framed the same way, once
    // React Flow knows the canvas's size (Canvas does not ask React Flow to fit it).
    let unsized = () => {};
    if (isLargeGraph(editor.getState().doc.nodes.length)) {
      if (flow.getState().width > 0) frameLarge();
      else
        unsized = flow.subscribe((s) => {
          if (s.width <= 0) return;
          unsized();
          frameLarge();
        });
    }
    const unsubscribe = editor.subscribe((state, prev) => {
      if (state.fitRequest === prev.fitRequest) return;
      cancelAnimationFrame(frame);
      const count = state.doc.nodes.length;
      if (isLargeGraph(count)) {
        frameLarge();
        return;
      }
      // An empty document resets to 100% so the next node dropped is full size.
      frame = requestAnimationFrame(() => void (count === 0 ? setViewport({ x: 0, y: 0, zoom: 1 }) : fitView({ ...FIT_OPTIONS, duration: 200 })));
    });
    return () => {
      unsized();
      unsubscribe();
      cancelAnimationFrame(frame);
    };
  }, [editor, flow, fitView, setViewport]);
}
