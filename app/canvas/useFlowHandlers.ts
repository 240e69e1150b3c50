/** React Flow's change callbacks, translated into store actions (the document stays the truth). */
import { useReactFlow, type Connection, type EdgeChange, type NodeChange } from '@xyflow/react';
import { useCallback, useMemo, type DragEvent } from 'react';
import { idRecord, type XY } from '../store/edits';
import { useEditorStore } from '../store/context';
import type { GraphFlowNode } from './flowModel';

/** The dataTransfer type the palette drags node types with. */
export const NODE_DRAG_TYPE = 'application/wiregrad-node';

/** Where a dropped node's top-left goes relative to the pointer, so it lands under the cursor. */
const DROP_OFFSET = { x: 24, y: 20 };

function applySelection(current: readonly string[], changes: readonly { id: string; selected: boolean }[]): string[] {
  const next = new Set(current);
  for (const c of changes) {
    if (c.selected) next.add(c.id);
    else next.delete(c.id);
  }
  return [...next];
}

/** What a batch of React Flow node changes does to the session: sizes measured, live drag positions, and whether a move ended. */
export interface NodeChangeEffects {
  /** New rendered sizes by node id, when any were reported. */
  readonly sizes?: Record<string, { width: number; height: number }>;
  /** The live drag positions after the moves, when any node moved. */
  readonly positions?: Record<string, XY>;
  /** A move that is not a drag in progress (a drop, a keyboard nudge): commit it to the document. */
  readonly commit: boolean;
}

/**
 * Reads node changes into records keyed by node id. The records have no prototype, so ids such as
 * "__proto__" or "constructor" are stored like any other id (a plain object would drop or corrupt them).
 */
export function nodeChangeEffects(changes: readonly NodeChange<GraphFlowNode>[], dragPositions: Readonly<Record<string, XY>>): NodeChangeEffects {
  const sizes = new Map<string, { width: number; height: number }>();
  for (const c of changes) if (c.type === 'dimensions' && c.dimensions) sizes.set(c.id, c.dimensions);
  const moves = changes.flatMap((c) => (c.type === 'position' ? [c] : []));
  let positions: Record<string, XY> | undefined;
  if (moves.length > 0) {
    positions = idRecord(Object.entries(dragPositions));
    for (const c of moves) if (c.position) positions[c.id] = c.position;
  }
  return {
    ...(sizes.size > 0 && { sizes: idRecord(sizes) }),
    ...(positions && { positions }),
    commit: moves.length > 0 && !moves.some((c) => c.dragging),
  };
}

export function useFlowHandlers() {
  const store = useEditorStore();
  const { screenToFlowPosition } = useReactFlow();

  const onNodesChange = useCallback(
    (changes: NodeChange<GraphFlowNode>[]) => {
      const state = store.getState();
      const selects = changes.flatMap((c) => (c.type === 'select' ? [c] : []));
      if (selects.length > 0) state.select(applySelection(state.selection, selects), state.selectedEdges);

      const { sizes, positions, commit } = nodeChangeEffects(changes, store.getState().dragPositions);
      if (sizes) state.setMeasured(sizes);
      if (positions) state.setDragPositions(positions);
      // While dragging only the session moves; the drop (or a keyboard nudge) goes into the document as one undo step.
      if (commit) store.getState().commitDrag();
    },
    [store],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      const selects = changes.flatMap((c) => (c.type === 'select' ? [c] : []));
      if (selects.length === 0) return;
      const state = store.getState();
      state.select(state.selection, applySelection(state.selectedEdges, selects));
    },
    [store],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      if (c.sourceHandle == null || c.targetHandle == null) return;
      store.getState().connect({ node: c.source, port: c.sourceHandle }, { node: c.target, port: c.targetHandle });
    },
    [store],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(NODE_DRAG_TYPE)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(NODE_DRAG_TYPE);
      if (!type) return;
      event.preventDefault();
      const p = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      store.getState().addNode(type, { x: Math.round(p.x - DROP_OFFSET.x), y: Math.round(p.y - DROP_OFFSET.y) });
    },
    [store, screenToFlowPosition],
  );

  const onMoveEnd = useCallback((_event: unknown, viewport: { x: number; y: number; zoom: number }) => store.getState().setViewport(viewport), [store]);

  return useMemo(
    () => ({ onNodesChange, onEdgesChange, onConnect, onDragOver, onDrop, onMoveEnd }),
    [onNodesChange, onEdgesChange, onConnect, onDragOver, onDrop, onMoveEnd],
  );
}
