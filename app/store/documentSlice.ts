/**
 * The document slice: the GraphDocument (the single source of truth, saved and undoable) and
 * every action that changes it. Refused edits return a reason and also show it in the status line.
 */
import type { StateCreator } from 'zustand';
import { emptyDocument, type GraphDocument, type PortRef } from '../../engine/graph/document';
import { expandComposite, ExpandError } from '../../engine/graph/nodes/attentionExpand';
import { TrainingConfig } from '../../engine/graph/training';
import { templateById } from '../templates';
import { connect } from './connect';
import * as edits from './edits';
import { loadProblem } from './integrity';
import type { EditorState } from './types';

type Outcome<T extends object = object> = edits.Outcome<T>;

/** How far each paste moves the copy from what it copied, in flow units. */
export const PASTE_OFFSET = 32;

export interface DocumentSlice {
  doc: GraphDocument;

  /** Adds a node of `type` at `position` (top-left, flow coordinates) and selects it. */
  addNode(type: string, position: edits.XY): Outcome<{ id: string }>;
  /** Removes nodes and the edges touching them. */
  removeNodes(ids: readonly string[]): void;
  /** Connects an output port to an input port, or refuses with a reason. */
  connect(from: PortRef, to: PortRef): Outcome<{ edgeId: string }>;
  /** Removes edges. */
  disconnect(edgeIds: readonly string[]): void;
  /** Merges params into a node; a value its schema rejects is refused. */
  updateParams(id: string, patch: Readonly<Record<string, unknown>>): Outcome;
  /** Sets positions of many nodes as one undo step. */
  moveNodes(positions: Readonly<Record<string, edits.XY>>): void;
  /** Sets (or with "" clears) a node's label. */
  rename(id: string, label: string): void;
  /** Switches a node's parameters between trained and frozen (fine-tuning). */
  setTrainable(id: string, trainable: boolean): void;
  setTraining(patch: Partial<TrainingConfig>): Outcome;
  /** Replaces the document (Open, autosave restore); refused when the graph cannot be shown. */
  loadDocument(doc: GraphDocument): Outcome;
  /** Replace a composite node (TransformerBlock) by its parts, wired the same (⊞); the parts end up selected. */
  expandNode(id: string): Outcome;
  newDocument(): void;
  newFromTemplate(id: string): Outcome;
  /** Deletes the selected nodes and edges. */
  deleteSelection(): void;
  copySelection(): void;
  /** Pastes the clipboard with fresh ids, offset from the copy, and selects the result. */
  paste(): void;
  /** Ends a drag: writes the live drag positions into the document as one undo step. */
  commitDrag(): void;
}

export const createDocumentSlice: StateCreator<EditorState, [['temporal', unknown]], [], DocumentSlice> = (set, get) => {
  const refused = (reason: string) => {
    get().notify('error', reason);
    return { ok: false as const, reason };
  };
  const replace = (doc: GraphDocument) => {
    set({ doc, selection: [], selectedEdges: [], dragPositions: edits.idRecord(), fitRequest: get().fitRequest + 1 });
  };

  return {
    doc: emptyDocument('Untitled'),

    addNode(type, position) {
      const result = edits.addNode(get().doc, type, position);
      if (!result.ok) return refused(result.reason);
      set({ doc: result.doc, selection: [result.id], selectedEdges: [] });
      return { ok: true, id: result.id };
    },

    removeNodes(ids) {
      const doc = edits.removeElements(get().doc, ids);
      const gone = new Set(ids);
      set({ doc, selection: get().selection.filter((id) => !gone.has(id)) });
    },

    connect(from, to) {
      const result = connect(get().doc, from, to);
      if (!result.ok) return refused(result.reason);
      set({ doc: result.doc });
      return { ok: true, edgeId: result.edge.id };
    },

    disconnect(edgeIds) {
      const gone = new Set(edgeIds);
      set({ doc: edits.removeElements(get().doc, [], edgeIds), selectedEdges: get().selectedEdges.filter((id) => !gone.has(id)) });
    },

    updateParams(id, patch) {
      const result = edits.updateParams(get().doc, id, patch);
      if (!result.ok) return refused(result.reason);
      set({ doc: result.doc });
      return { ok: true };
    },

    moveNodes: (positions) => set({ doc: edits.moveNodes(get().doc, positions) }),

    rename: (id, label) => set({ doc: edits.rename(get().doc, id, label) }),

    setTrainable: (id, trainable) => set({ doc: edits.setTrainable(get().doc, id, trainable) }),

    setTraining(patch) {
      const parsed = TrainingConfig.safeParse({ ...get().doc.training, ...patch });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return refused(`Training settings: ${issue.path.join('.') || 'value'}: ${issue.message}`);
      }
      set({ doc: { ...get().doc, training: parsed.data } });
      return { ok: true };
    },

    loadDocument(doc) {
      const problem = loadProblem(doc);
      if (problem !== undefined) return refused(problem);
      replace(doc);
      return { ok: true };
    },

    expandNode(id) {
      const before = get().doc;
      let doc: GraphDocument;
      try {
        doc = expandComposite(before, id);
      } catch (e) {
        if (e instanceof ExpandError) return refused(`Cannot expand: ${e.message}.`);
        throw e;
      }
      const old = new Set(before.nodes.map((n) => n.id));
      set({ doc, selection: doc.nodes.filter((n) => !old.has(n.id)).map((n) => n.id), selectedEdges: [] });
      return { ok: true };
    },

    newDocument: () => replace(emptyDocument('Untitled')),

    newFromTemplate(id) {
      const template = templateById(id);
      if (template === undefined) return refused(`There is no template ${JSON.stringify(id)}.`);
      replace(template.build());
      return { ok: true };
    },

    deleteSelection() {
      const { selection, selectedEdges, doc } = get();
      set({ doc: edits.removeElements(doc, selection, selectedEdges), selection: [], selectedEdges: [] });
    },

    copySelection() {
      const fragment = edits.copyFragment(get().doc, get().selection);
      if (fragment.nodes.length > 0) set({ clipboard: fragment });
    },

    paste() {
      const clip = get().clipboard;
      if (clip === null || clip.nodes.length === 0) return;
      const offset = { x: PASTE_OFFSET, y: PASTE_OFFSET };
      const { doc, ids } = edits.pasteFragment(get().doc, clip, offset);
      // Move the clipboard too, so pasting again cascades instead of stacking copies.
      const shifted = { ...clip, nodes: clip.nodes.map((n) => ({ ...n, position: { x: n.position.x + offset.x, y: n.position.y + offset.y } })) };
      set({ doc, selection: ids, selectedEdges: [], clipboard: shifted });
    },

    commitDrag() {
      const positions = get().dragPositions;
      if (Object.keys(positions).length === 0) return;
      set({ doc: edits.moveNodes(get().doc, positions), dragPositions: edits.idRecord() });
    },
  };
};
