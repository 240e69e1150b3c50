/**
 * Node ids that are Object.prototype's own names ("constructor", "toString", "__proto__", …) are ids like
 * any other: a seeded fuzz of add, drag, measure, connect, paste, delete and undo through the editor store,
 * React Flow's change handling and the flow model, checking positions and the saved document every step.
 */
import type { NodeChange } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { emptyDocument, GraphDocument, type DocNode } from '../../engine/graph/document';
import { getNodeSpec } from '../../engine/graph/nodes';
import { createEditorStore, undo } from '../store/editorStore';
import { loadProblem } from '../store/integrity';
import { validationOf } from '../store/validation';
import { toFlowEdges, toFlowNodes, type GraphFlowNode } from './flowModel';
import { nodeChangeEffects } from './useFlowHandlers';
import { seededRandom } from '../../engine/testing/random';

const PROTO_IDS = [...new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__'])];
const TYPES = ['Input', 'Dense', 'ReLU', 'Tanh', 'Concat', 'MSELoss'];
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();

/** mulberry32: a small seeded generator, so a failure replays. */
const random = seededRandom;

function protoDoc(): GraphDocument {
  const nodes: DocNode[] = PROTO_IDS.map((id, i) => {
    const type = TYPES[i % TYPES.length];
    return { id, type, params: getNodeSpec(type)!.params.parse({}) as Record<string, unknown>, position: { x: i * 40, y: (i % 3) * 200 }, label: `node ${id}` };
  });
  return { ...emptyDocument('prototype ids', new Date('2025-01-01T00:00:00Z')), nodes };
}

const move = (id: string, x: number, y: number, dragging: boolean): NodeChange<GraphFlowNode> => ({ type: 'position', id, position: { x, y }, dragging });

describe('node ids that are Object.prototype names', () => {
  it('include __proto__ and constructor', () => {
    expect(PROTO_IDS).toContain('__proto__');
    expect(PROTO_IDS).toContain('constructor');
    expect(PROTO_IDS).toContain('hasOwnProperty');
  });

  it('the session records keyed by node id hold such ids as plain entries and inherit nothing', () => {
    const store = createEditorStore(protoDoc());
    const state = () => store.getState();
    expect(state().measured.constructor).toBeUndefined();
    expect(state().dragPositions.toString).toBeUndefined();
    const sizes = Object.fromEntries(PROTO_IDS.map((id, i) => [id, { width: 100 + i, height: 50 }]));
    // JSON.parse makes "__proto__" an own key, as React Flow's change lists carry it.
    state().setMeasured(JSON.parse(JSON.stringify(sizes)));
    state().setMeasured({ valueOf: { width: 7, height: 8 } });
    for (const [i, id] of PROTO_IDS.entries()) {
      expect(Object.hasOwn(state().measured, id)).toBe(true);
      expect(state().measured[id]).toEqual(id === 'valueOf' ? { width: 7, height: 8 } : { width: 100 + i, height: 50 });
    }
    expect(Object.getPrototypeOf(state().measured)).toBeNull();
    state().setDragPositions(JSON.parse('{"__proto__": {"x": 1, "y": 2}}'));
    expect(Object.keys(state().dragPositions)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(state().dragPositions)).toBeNull();
  });

  it('a drag of every such node moves it, in the view while dragging and in the document on drop', () => {
    const store = createEditorStore(protoDoc());
    for (const id of PROTO_IDS) {
      for (const step of [1, 2, 3]) {
        const effects = nodeChangeEffects([move(id, 1000 + step, 2000 + step, true)], store.getState().dragPositions);
        expect(effects.commit).toBe(false);
        store.getState().setDragPositions(effects.positions!);
        const s = store.getState();
        const shown = toFlowNodes(s.doc, s, validationOf(s.doc)).find((n) => n.id === id)!;
        expect(shown.position).toEqual({ x: 1000 + step, y: 2000 + step });
      }
      const drop = nodeChangeEffects([move(id, 1234, 567, false)], store.getState().dragPositions);
      expect(drop.commit).toBe(true);
      store.getState().setDragPositions(drop.positions!);
      store.getState().commitDrag();
      expect(store.getState().doc.nodes.find((n) => n.id === id)!.position).toEqual({ x: 1234, y: 567 });
      expect(Object.keys(store.getState().dragPositions)).toEqual([]);
    }
    // The rest of the view reads no inherited member: every node shows its own position.
    const s = store.getState();
    for (const n of toFlowNodes(s.doc, s, validationOf(s.doc))) expect(n.position).toEqual({ x: 1234, y: 567 });
  });

  it('a seeded fuzz of edits keeps positions finite, the model in step, and the saved document valid', () => {
    for (const seed of [1, 2, 3]) {
      const r = random(seed);
      const store = createEditorStore(protoDoc());
      const state = () => store.getState();
      const expected = new Map(state().doc.nodes.map((n) => [n.id, n.position]));
      for (let step = 0; step < 100; step++) {
        const ids = state().doc.nodes.map((n) => n.id);
        const action = r.pick(['drag', 'drag', 'nudge', 'measure', 'connect', 'connect', 'delete', 'add', 'paste', 'undo', 'edge']);
        const where = `seed ${seed}, step ${step}, ${action}`;
        if (action === 'drag' && ids.length > 0) {
          const moving = [r.pick(ids), r.pick(ids)];
          for (let k = 0; k < 3; k++) {
            const effects = nodeChangeEffects(
              moving.map((id) => move(id, r.int(3000), r.int(3000), true)),
              state().dragPositions,
            );
            state().setDragPositions(effects.positions!);
          }
          const final = moving.map((id) => [id, { x: r.int(3000) - 1500, y: r.int(3000) - 1500 }] as const);
          const drop = nodeChangeEffects(
            final.map(([id, p]) => move(id, p.x, p.y, false)),
            state().dragPositions,
          );
          state().setDragPositions(drop.positions!);
          state().commitDrag();
          for (const [id, p] of final) expected.set(id, p);
        } else if (action === 'nudge' && ids.length > 0) {
          // A keyboard nudge is a single move that is not a drag.
          const id = r.pick(ids);
          const p = { x: (expected.get(id)?.x ?? 0) + 5, y: expected.get(id)?.y ?? 0 };
          const effects = nodeChangeEffects([move(id, p.x, p.y, false)], state().dragPositions);
          state().setDragPositions(effects.positions!);
          state().commitDrag();
          expected.set(id, p);
        } else if (action === 'measure' && ids.length > 0) {
          const id = r.pick(ids);
          const size = { width: 100 + r.int(200), height: 50 + r.int(100) };
          const effects = nodeChangeEffects([{ type: 'dimensions', id, dimensions: size }], state().dragPositions);
          state().setMeasured(effects.sizes!);
          const shown = toFlowNodes(state().doc, state(), validationOf(state().doc)).find((n) => n.id === id)!;
          expect(shown.measured, where).toEqual(size);
        } else if (action === 'connect' && ids.length > 1) {
          const [fromId, toId] = [r.pick(ids), r.pick(ids)];
          const from = state().doc.nodes.find((n) => n.id === fromId)!;
          const to = state().doc.nodes.find((n) => n.id === toId)!;
          const out = getNodeSpec(from.type)!.outputs;
          const inp = getNodeSpec(to.type)!.inputs;
          if (out.length > 0 && inp.length > 0) {
            const result = state().connect({ node: from.id, port: r.pick(out).name }, { node: to.id, port: r.pick(inp).name });
            if (result.ok)
              expect(
                state().doc.edges.some((e) => e.id === result.edgeId && e.from.node === from.id && e.to.node === to.id),
                where,
              ).toBe(true);
          }
        } else if (action === 'delete' && ids.length > 0) {
          const gone = r.pick(ids);
          state().select([gone]);
          state().deleteSelection();
          expected.delete(gone);
          expect(
            state().doc.edges.some((e) => e.from.node === gone || e.to.node === gone),
            where,
          ).toBe(false);
        } else if (action === 'edge' && state().doc.edges.length > 0) {
          state().disconnect([r.pick(state().doc.edges).id]);
        } else if (action === 'add') {
          const added = state().addNode(r.pick(TYPES), { x: r.int(500), y: r.int(500) });
          if (added.ok) expected.set(added.id, state().doc.nodes.find((n) => n.id === added.id)!.position);
        } else if (action === 'paste' && ids.length > 0) {
          state().select([r.pick(ids), r.pick(ids)]);
          state().copySelection();
          state().paste();
          for (const id of state().selection) expected.set(id, state().doc.nodes.find((n) => n.id === id)!.position);
        } else if (action === 'undo') {
          undo(store);
          expected.clear();
          for (const n of state().doc.nodes) expected.set(n.id, n.position);
        }

        const { doc } = state();
        expect(doc.nodes.map((n) => n.id).sort(), where).toEqual([...expected.keys()].sort());
        for (const n of doc.nodes) {
          expect(Number.isFinite(n.position.x) && Number.isFinite(n.position.y), `${where}: ${n.id}`).toBe(true);
          expect(n.position, `${where}: ${n.id}`).toEqual(expected.get(n.id));
        }
        const flow = toFlowNodes(doc, state(), validationOf(doc));
        expect(
          flow.map((n) => n.id),
          where,
        ).toEqual(doc.nodes.map((n) => n.id));
        for (const n of flow) expect(n.position, `${where}: view of ${n.id}`).toEqual(expected.get(n.id));
        expect(
          toFlowEdges(doc, state(), validationOf(doc)).map((e) => e.id),
          where,
        ).toEqual(doc.edges.map((e) => e.id));
        // What Save writes reads back as a valid document that opens.
        const saved = GraphDocument.safeParse(JSON.parse(JSON.stringify(doc)));
        expect(saved.success, where).toBe(true);
        expect(loadProblem(saved.data!), where).toBeUndefined();
        expect(
          saved.data!.nodes.map((n) => n.id),
          where,
        ).toEqual(doc.nodes.map((n) => n.id));
      }
    }
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_NAMES);
  });
});
