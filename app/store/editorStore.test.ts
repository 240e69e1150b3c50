import { beforeEach, describe, expect, it } from 'vitest';
import { emptyDocument } from '../../engine/graph/document';
import { PASTE_OFFSET } from './documentSlice';
import { createEditorStore, redo, undo, type EditorStore } from './editorStore';

let store: EditorStore;
const state = () => store.getState();
const add = (type: string, x = 0, y = 0) => {
  const r = state().addNode(type, { x, y });
  if (!r.ok) throw new Error(r.reason);
  return r.id;
};
const link = (from: string, fromPort: string, to: string, toPort: string) => state().connect({ node: from, port: fromPort }, { node: to, port: toPort });
const setInput = (id: string, params: Record<string, unknown>) => expect(state().updateParams(id, params)).toEqual({ ok: true });

beforeEach(() => {
  store = createEditorStore(emptyDocument('test', new Date('2025-01-01T00:00:00Z')));
});

describe('adding and removing nodes', () => {
  it('adds a node with default params, a fresh id and label, and selects it', () => {
    const a = add('Dense', 10, 20);
    const b = add('Dense');
    expect([a, b]).toEqual(['dense-1', 'dense-2']);
    const node = state().doc.nodes[0];
    expect(node).toMatchObject({ type: 'Dense', label: 'Dense 1', position: { x: 10, y: 20 } });
    expect(node.params).toMatchObject({ units: 32, activation: 'linear', useBias: true });
    expect(state().selection).toEqual([b]);
  });

  it('refuses an unknown type and says so', () => {
    const r = state().addNode('Nope', { x: 0, y: 0 });
    expect(r).toEqual({ ok: false, reason: expect.stringContaining('Nope') });
    expect(state().notice).toMatchObject({ kind: 'error', text: r.ok ? '' : r.reason });
    expect(state().doc.nodes).toHaveLength(0);
  });

  it('removing nodes removes their edges', () => {
    const x = add('Input');
    const d = add('Dense');
    const r = add('ReLU');
    expect(link(x, 'y', d, 'x').ok).toBe(true);
    expect(link(d, 'y', r, 'x').ok).toBe(true);
    state().removeNodes([d]);
    expect(state().doc.nodes.map((n) => n.id)).toEqual([x, r]);
    expect(state().doc.edges).toEqual([]);
  });

  it('deleteSelection removes the selected nodes and edges together', () => {
    const x = add('Input');
    const d = add('Dense');
    const r = add('ReLU');
    const e1 = link(x, 'y', d, 'x');
    expect(link(d, 'y', r, 'x').ok).toBe(true);
    state().select([r], [e1.ok ? e1.edgeId : '']);
    state().deleteSelection();
    expect(state().doc.nodes.map((n) => n.id)).toEqual([x, d]);
    expect(state().doc.edges).toEqual([]);
    expect(state().selection).toEqual([]);
  });
});

describe('connect', () => {
  it('connects an output to an input', () => {
    const x = add('Input');
    const d = add('Dense');
    const r = link(x, 'y', d, 'x');
    expect(r).toEqual({ ok: true, edgeId: 'input-1.y->dense-1.x' });
    expect(state().doc.edges).toEqual([{ id: 'input-1.y->dense-1.x', from: { node: x, port: 'y' }, to: { node: d, port: 'x' } }]);
  });

  it('refuses connecting a node to itself', () => {
    const d = add('Dense');
    const r = link(d, 'y', d, 'x');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/cannot feed itself/);
    expect(state().doc.edges).toEqual([]);
  });

  it('refuses a cycle, naming the nodes', () => {
    const a = add('ReLU');
    const b = add('Tanh');
    const c = add('Sigmoid');
    expect(link(a, 'y', b, 'x').ok).toBe(true);
    expect(link(b, 'y', c, 'x').ok).toBe(true);
    const before = state().doc;
    const r = link(c, 'y', a, 'x');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/would make a cycle/);
    expect(!r.ok && r.reason).toContain('ReLU 1');
    expect(state().doc).toBe(before);
    expect(state().notice?.kind).toBe('error');
  });

  it('refuses an input port that is already taken, but a multiple port takes several', () => {
    const x1 = add('Input');
    const x2 = add('Input');
    const d = add('Dense');
    expect(link(x1, 'y', d, 'x').ok).toBe(true);
    const r = link(x2, 'y', d, 'x');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/already taken/);

    const sum = add('Add');
    expect(link(x1, 'y', sum, 'inputs').ok).toBe(true);
    expect(link(x2, 'y', sum, 'inputs').ok).toBe(true);
    expect(state().doc.edges.filter((e) => e.to.node === sum)).toHaveLength(2);
  });

  it('refuses the same wire twice and unknown ports', () => {
    const x = add('Input');
    const sum = add('Add');
    expect(link(x, 'y', sum, 'inputs').ok).toBe(true);
    expect(link(x, 'y', sum, 'inputs')).toEqual({ ok: false, reason: expect.stringMatching(/already connected/) });
    expect(link(x, 'nope', sum, 'inputs')).toEqual({ ok: false, reason: expect.stringMatching(/no output "nope"/) });
  });

  it('refuses shapes that do not fit, with the engine message', () => {
    const x = add('Input');
    setInput(x, { shape: [3] });
    const t = add('Input');
    setInput(t, { field: 't', shape: [5] });
    const loss = add('MSELoss');
    expect(link(x, 'y', loss, 'pred').ok).toBe(true);
    const r = link(t, 'y', loss, 'target');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^Incompatible shapes: .*\[32, 3\].*\[32, 5\]/);
    expect(state().doc.edges).toHaveLength(1);
  });

  it('refuses a dtype mismatch (float into an Embedding)', () => {
    const x = add('Input');
    const emb = add('Embedding');
    const r = link(x, 'y', emb, 'x');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/i32/);
  });
});

describe('params, labels and training', () => {
  it('updates a param and refuses a value its schema rejects', () => {
    const d = add('Dense');
    expect(state().updateParams(d, { units: 64, activation: 'relu' })).toEqual({ ok: true });
    expect(state().doc.nodes[0].params).toMatchObject({ units: 64, activation: 'relu' });
    const before = state().doc;
    for (const bad of [{ units: 0 }, { units: 2.5 }, { units: 'ten' }, { activation: 'swish' }, { bogus: 1 }]) {
      const r = state().updateParams(d, bad);
      expect(r.ok, JSON.stringify(bad)).toBe(false);
      expect(!r.ok && r.reason).toContain(Object.keys(bad)[0]);
    }
    expect(state().doc).toBe(before);
  });

  it('an undefined value removes an optional param', () => {
    const p = add('MaxPool2D');
    expect(state().updateParams(p, { strides: [1, 1] }).ok).toBe(true);
    expect(state().updateParams(p, { strides: undefined }).ok).toBe(true);
    expect('strides' in state().doc.nodes[0].params).toBe(false);
  });

  it('renames, and an empty label falls back to the id', () => {
    const d = add('Dense');
    state().rename(d, '  hidden ');
    expect(state().doc.nodes[0].label).toBe('hidden');
    state().rename(d, '');
    expect(state().doc.nodes[0].label).toBeUndefined();
  });

  it('setTraining validates', () => {
    expect(state().setTraining({ lr: 0.5, batchSize: 8 })).toEqual({ ok: true });
    expect(state().doc.training).toMatchObject({ lr: 0.5, batchSize: 8 });
    expect(state().setTraining({ lr: -1 }).ok).toBe(false);
    expect(state().doc.training.lr).toBe(0.5);
  });
});

describe('undo and redo', () => {
  it('undoes and redoes every document change', () => {
    const x = add('Input');
    const d = add('Dense');
    link(x, 'y', d, 'x');
    state().updateParams(d, { units: 7 });
    const full = state().doc;
    undo(store);
    expect(state().doc.nodes[1].params.units).toBe(32);
    undo(store);
    expect(state().doc.edges).toEqual([]);
    undo(store);
    expect(state().doc.nodes).toHaveLength(1);
    redo(store);
    redo(store);
    redo(store);
    expect(state().doc).toBe(full);
  });

  it('does not record session changes', () => {
    add('Input');
    const past = store.temporal.getState().pastStates.length;
    state().select([]);
    state().setTheme('dark');
    state().notify('info', 'hello');
    state().setViewport({ x: 1, y: 2, zoom: 3 });
    expect(store.temporal.getState().pastStates.length).toBe(past);
  });

  it('records a drag once, not per pixel', () => {
    const d = add('Dense');
    const past = store.temporal.getState().pastStates.length;
    for (let i = 1; i <= 20; i++) state().setDragPositions({ [d]: { x: i, y: i } });
    expect(state().doc.nodes[0].position).toEqual({ x: 0, y: 0 });
    state().commitDrag();
    expect(state().doc.nodes[0].position).toEqual({ x: 20, y: 20 });
    expect(store.temporal.getState().pastStates.length).toBe(past + 1);
    undo(store);
    expect(state().doc.nodes[0].position).toEqual({ x: 0, y: 0 });
  });

  it('drops selected ids that undo removed', () => {
    const d = add('Dense');
    expect(state().selection).toEqual([d]);
    undo(store);
    expect(state().selection).toEqual([]);
  });

  it('loading a template is undoable', () => {
    add('Dense');
    const before = state().doc;
    expect(state().newFromTemplate('mlp-mnist').ok).toBe(true);
    expect(state().doc.nodes.length).toBeGreaterThan(1);
    const fit = state().fitRequest;
    undo(store);
    expect(state().doc).toBe(before);
    // A whole other document came back, so the canvas frames it.
    expect(state().fitRequest).toBe(fit + 1);
  });
});

describe('copy and paste', () => {
  it('pastes the selection with new ids, offset, keeping only internal edges', () => {
    const x = add('Input', 0, 0);
    const d = add('Dense', 100, 0);
    const r = add('ReLU', 200, 0);
    link(x, 'y', d, 'x');
    link(d, 'y', r, 'x');
    state().select([d, r]);
    state().copySelection();
    state().paste();
    const doc = state().doc;
    expect(doc.nodes).toHaveLength(5);
    const [dc, rc] = doc.nodes.slice(3);
    expect(dc).toMatchObject({ id: 'dense-2', type: 'Dense', label: 'Dense 2', position: { x: 100 + PASTE_OFFSET, y: PASTE_OFFSET } });
    expect(rc).toMatchObject({ id: 'relu-2', label: 'ReLU 2', position: { x: 200 + PASTE_OFFSET, y: PASTE_OFFSET } });
    // The Dense → ReLU edge is copied; Input → Dense (from outside the selection) is not.
    expect(doc.edges).toHaveLength(3);
    expect(doc.edges[2]).toMatchObject({ from: { node: 'dense-2', port: 'y' }, to: { node: 'relu-2', port: 'x' } });
    expect(state().selection).toEqual(['dense-2', 'relu-2']);
    // Params are copies, not shared objects.
    expect(dc.params).not.toBe(doc.nodes[1].params);
    state().paste();
    expect(state().doc.nodes[5].position).toEqual({ x: 100 + 2 * PASTE_OFFSET, y: 2 * PASTE_OFFSET });
  });

  it('paste is one undo step', () => {
    add('Dense');
    state().copySelection();
    state().paste();
    expect(state().doc.nodes).toHaveLength(2);
    undo(store);
    expect(state().doc.nodes).toHaveLength(1);
  });
});
