/**
 * The editor store: one zustand store from two slices, with zundo's temporal middleware tracking
 * the document only (selection, viewport and the rest are session state and are not undone).
 */
import { temporal, type TemporalState } from 'zundo';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { GraphDocument } from '../../engine/graph/document';
import { createDocumentSlice } from './documentSlice';
import { createSessionSlice } from './sessionSlice';
import type { EditorState } from './types';

/** How many document versions undo can go back. */
export const UNDO_LIMIT = 200;

/** What undo history stores: the document and nothing else. */
export type History = Pick<EditorState, 'doc'>;

/** The editor store plus its undo history (`store.temporal`). */
export type EditorStore = StoreApi<EditorState> & { temporal: StoreApi<TemporalState<History>> };

/** A fresh store, opened on `doc` (or an empty document), with empty undo history. */
export function createEditorStore(doc?: GraphDocument): EditorStore {
  const store = createStore<EditorState>()(
    temporal(
      (...a) => ({
        ...createSessionSlice(...a),
        ...createDocumentSlice(...a),
        ...(doc !== undefined && { doc }),
      }),
      {
        partialize: (state): History => ({ doc: state.doc }),
        // Only a new document object is a change worth undoing; session updates are not.
        equality: (past, current) => past.doc === current.doc,
        limit: UNDO_LIMIT,
      },
    ),
  );
  return store as EditorStore;
}

/** Undo/redo that also drop any selection the restored document no longer has. */
export function undo(store: EditorStore): void {
  const before = store.getState().doc;
  store.temporal.getState().undo();
  afterTimeTravel(store, before);
}

export function redo(store: EditorStore): void {
  const before = store.getState().doc;
  store.temporal.getState().redo();
  afterTimeTravel(store, before);
}

/** Drops selected ids the restored document lacks; frames the view when a whole other document came back. */
function afterTimeTravel(store: EditorStore, before: EditorState['doc']): void {
  const { doc, selection, selectedEdges, requestFit } = store.getState();
  if (doc.meta.created !== before.meta.created || doc.meta.name !== before.meta.name) requestFit();
  const nodes = new Set(doc.nodes.map((n) => n.id));
  const edges = new Set(doc.edges.map((e) => e.id));
  store.setState({ selection: selection.filter((id) => nodes.has(id)), selectedEdges: selectedEdges.filter((id) => edges.has(id)) });
}
