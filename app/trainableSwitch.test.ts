/** The Trainable switch through the store and into the view: document field, undo, node data, summaries. */
import { describe, expect, it } from 'vitest';
import { templateById } from './templates';
import { readGraphFile } from './files/documentFile';
import { readShareFragment, shareFragment } from './files/shareLink';
import { toFlowNodes } from './canvas/flowModel';
import { modelSummary } from './dashboard/modelSummary';
import { createEditorStore, undo } from './store/editorStore';
import { validate } from './store/validation';

const view = { selection: [], selectedEdges: [], dragPositions: {}, measured: {} };

describe("switching a node's Trainable off and on", () => {
  it('writes trainable: false into the document, leaves the field out when on, and undoes', () => {
    const store = createEditorStore(templateById('two-spirals')!.build(new Date(0)));
    const before = store.getState().doc;
    store.getState().setTrainable('hidden1', false);
    const frozen = store.getState().doc;
    expect(frozen.nodes.find((n) => n.id === 'hidden1')!.trainable).toBe(false);
    expect(frozen.nodes.filter((n) => n.trainable === false).map((n) => n.id)).toEqual(['hidden1']);
    store.getState().setTrainable('hidden1', false);
    expect(store.getState().doc).toBe(frozen); // no change, no undo step
    store.getState().setTrainable('hidden1', true);
    expect('trainable' in store.getState().doc.nodes.find((n) => n.id === 'hidden1')!).toBe(false);
    undo(store);
    expect(store.getState().doc).toBe(frozen);
    undo(store);
    expect(store.getState().doc).toBe(before);
  });

  it('marks the node frozen on the canvas and counts its parameters as frozen, not trainable', () => {
    const doc = templateById('two-spirals')!.build(new Date(0));
    const frozenDoc = { ...doc, nodes: doc.nodes.map((n) => (n.id === 'hidden1' ? { ...n, trainable: false } : n)) };
    const validation = validate(frozenDoc);
    const nodes = new Map(toFlowNodes(frozenDoc, view, validation).map((n) => [n.id, n.data]));
    expect(nodes.get('hidden1')).toMatchObject({ frozen: true, params: '48 params, frozen' });
    expect(nodes.get('hidden2')!.frozen).toBeUndefined();
    expect(nodes.get('hidden2')!.params).toBe('272 params');
    expect(validation.info.get('hidden1')).toMatchObject({ paramCount: 0, frozenParamCount: 48 });

    const plain = modelSummary(doc);
    const summary = modelSummary(frozenDoc);
    expect(summary.trainable).toBe(plain.trainable - 48);
    expect(summary.frozen).toBe(plain.frozen + 48);
    expect(summary.rows.find((r) => r.id === 'hidden1')).toMatchObject({ trainableParams: 0, frozenParams: 48 });
  });

  it('survives saving and reopening, and a share link', () => {
    const doc = templateById('two-spirals')!.build(new Date(0));
    const frozenDoc = { ...doc, nodes: doc.nodes.map((n) => (n.id === 'hidden1' ? { ...n, trainable: false } : n)) };
    const reopened = readGraphFile(JSON.stringify(frozenDoc), 'model.json');
    expect(reopened.ok && reopened.doc.nodes.find((n) => n.id === 'hidden1')!.trainable).toBe(false);
    const shared = readShareFragment(shareFragment(frozenDoc));
    expect(shared.kind === 'ok' && shared.doc.nodes.filter((n) => n.trainable === false).map((n) => n.id)).toEqual(['hidden1']);
  });
});
