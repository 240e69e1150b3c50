/** The editor's ⊞ on a TransformerBlock: one undoable edit that replaces the block by its parts. */
import { beforeEach, describe, expect, it } from 'vitest';
import { templateById } from '../templates';
import { createEditorStore, undo, type EditorStore } from './editorStore';

let store: EditorStore;
const state = () => store.getState();

beforeEach(() => {
  store = createEditorStore(templateById('sort-transformer')!.build(new Date('2025-01-01T00:00:00Z')));
});

describe('expandNode', () => {
  it('replaces block 1 by its seven parts, selects them, and undo brings the block back', () => {
    const before = state().doc;
    expect(state().expandNode('block1')).toEqual({ ok: true });
    const types = state()
      .doc.nodes.filter((n) => n.id.startsWith('block1_'))
      .map((n) => n.type);
    expect(types).toEqual(['LayerNorm', 'MultiHeadAttention', 'Add', 'LayerNorm', 'Dense', 'Dense', 'Add']);
    expect(state().doc.nodes.some((n) => n.id === 'block1')).toBe(false);
    expect(state().selection).toHaveLength(7);
    undo(store);
    expect(state().doc).toEqual(before);
  });

  it('refuses a node that is not a composite, with a notice naming it', () => {
    const r = state().expandNode('embed');
    expect(r.ok).toBe(false);
    expect(state().notice?.text).toMatch(/Cannot expand: node "token embedding" \(Embedding\) is not a composite node/);
  });
});
