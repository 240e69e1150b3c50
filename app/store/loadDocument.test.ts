import { beforeEach, describe, expect, it } from 'vitest';
import { emptyDocument, type GraphDocument } from '../../engine/graph/document';
import { templateById } from '../templates';
import { createEditorStore, type EditorStore } from './editorStore';

let store: EditorStore;
const state = () => store.getState();

beforeEach(() => {
  store = createEditorStore(emptyDocument('test', new Date('2025-01-01T00:00:00Z')));
  state().addNode('Dense', { x: 0, y: 0 });
});

describe('loading documents', () => {
  const withEdge = (doc: GraphDocument, to: string): GraphDocument => ({
    ...doc,
    edges: [...doc.edges, { id: 'bad', from: { node: 'image', port: 'y' }, to: { node: to, port: 'x' } }],
  });

  it('loads a document, clears the selection and asks the canvas to fit it', () => {
    const fit = state().fitRequest;
    const doc = templateById('lenet')!.build();
    expect(state().loadDocument(doc)).toEqual({ ok: true });
    expect(state().doc).toBe(doc);
    expect(state().selection).toEqual([]);
    expect(state().fitRequest).toBe(fit + 1);
  });

  it('refuses a document whose edges point at missing nodes, leaving the current graph', () => {
    const before = state().doc;
    const r = state().loadDocument(withEdge(templateById('mlp-mnist')!.build(), 'ghost'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/ghost/);
    expect(state().doc).toBe(before);
    expect(state().notice).toMatchObject({ kind: 'error' });
  });

  it('refuses unknown node types and duplicate ids, naming the node', () => {
    const base = templateById('mlp-mnist')!.build();
    const unknown = { ...base, nodes: base.nodes.map((n) => (n.id === 'dense1' ? { ...n, type: 'Dense9000' } : n)) };
    const r1 = state().loadDocument(unknown);
    expect(!r1.ok && r1.reason).toMatch(/Dense9000/);
    const dup = { ...base, nodes: [...base.nodes, { ...base.nodes[0] }] };
    const r2 = state().loadDocument(dup);
    expect(!r2.ok && r2.reason).toMatch(/image/);
    expect(state().doc.nodes.map((n) => n.type)).toEqual(['Dense']);
  });

  it('loads a document with fixable problems (missing inputs, bad params): they show on nodes', () => {
    const base = templateById('mlp-mnist')!.build();
    const doc = { ...base, edges: base.edges.slice(1), nodes: base.nodes.map((n) => (n.id === 'dense1' ? { ...n, params: { ...n.params, units: -3 } } : n)) };
    expect(state().loadDocument(doc).ok).toBe(true);
  });
});
