// validationOf() reuses the last validation when a document only moved nodes: on random edit
// sequences its answer must equal a fresh, full validate() of every document, and a move must not
// validate again while any other edit must.
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../engine/graph/document';
import { DEFAULT_MEMORY_LIMITS, memoryLimitsFor } from '../../engine/graph/memory';
import { TEMPLATES } from '../../engine/graph/templates';
import { seededRandom } from '../../engine/testing/random';
import * as edits from './edits';
import { onlyPositionsDiffer, validate, validationOf } from './validation';

type Rng = ReturnType<typeof seededRandom>;

/** The document as text with every position blanked: the reference for "only positions differ". */
const withoutPositions = (doc: GraphDocument) => JSON.stringify({ ...doc, nodes: doc.nodes.map((n) => ({ ...n, position: null })) });

/** One random edit of the kinds the editor makes; returns the new document (maybe the same object). */
function randomEdit(doc: GraphDocument, rng: Rng): { doc: GraphDocument; kind: string } {
  const node = doc.nodes.length > 0 ? rng.pick(doc.nodes) : undefined;
  switch (rng.int(9)) {
    case 0:
    case 1:
    case 2: {
      // A drop: one to three nodes moved (possibly back where they were).
      const moved = edits.idRecord(
        doc.nodes
          .filter(() => rng.chance(0.3))
          .slice(0, 3)
          .map((n) => [n.id, { x: n.position.x + rng.int(200) - 100, y: rng.chance(0.2) ? n.position.y : n.position.y + 10 }] as const),
      );
      return { doc: edits.moveNodes(doc, moved), kind: 'move' };
    }
    case 3: {
      const dense = doc.nodes.filter((n) => n.type === 'Dense');
      if (dense.length === 0) return { doc, kind: 'none' };
      // Units that may break the shapes downstream (a loss's target) or the memory budget.
      const units = rng.pick([1, 3, 8, 16, 64, 10, 40_000_000]);
      const r = edits.updateParams(doc, rng.pick(dense).id, { units });
      return { doc: r.ok ? r.doc : doc, kind: 'params' };
    }
    case 4:
      return node ? { doc: edits.rename(doc, node.id, rng.chance(0.5) ? `renamed ${rng.int(100)}` : ''), kind: 'rename' } : { doc, kind: 'none' };
    case 5:
      return node ? { doc: edits.setTrainable(doc, node.id, rng.chance(0.5)), kind: 'trainable' } : { doc, kind: 'none' };
    case 6:
      return node && rng.chance(0.5)
        ? { doc: edits.removeElements(doc, [node.id]), kind: 'remove' }
        : { doc: edits.removeElements(doc, [], doc.edges.length ? [rng.pick(doc.edges).id] : []), kind: 'disconnect' };
    case 7: {
      const r = edits.addNode(doc, rng.pick(['Dense', 'ReLU', 'Dropout', 'MSELoss']), { x: rng.int(500), y: rng.int(500) });
      return { doc: r.ok ? r.doc : doc, kind: 'add' };
    }
    default: {
      if (doc.nodes.length < 2) return { doc, kind: 'none' };
      const a = rng.pick(doc.nodes);
      const b = rng.pick(doc.nodes);
      const r = edits.addEdgeChecked(doc, { node: a.id, port: 'y' }, { node: b.id, port: rng.pick(['x', 'pred', 'target']) });
      return { doc: r.ok ? r.doc : rng.chance(0.3) ? { ...doc, training: { ...doc.training, batchSize: 1 + rng.int(64) } } : doc, kind: 'connect' };
    }
  }
}

describe('validationOf on a sequence of edits', () => {
  for (const [seed, template] of TEMPLATES.slice(0, 4).entries()) {
    it(`equals a full validation after every edit (${template.id}, seed ${seed})`, () => {
      const rng = seededRandom(1000 + seed);
      let doc = template.build();
      const kinds = new Map<string, number>();
      for (let step = 0; step < 60; step++) {
        const before = doc;
        const edit = randomEdit(doc, rng);
        doc = edit.doc;
        kinds.set(edit.kind, (kinds.get(edit.kind) ?? 0) + 1);
        const limits = step % 7 === 0 ? memoryLimitsFor({ kind: 'cpu' }) : DEFAULT_MEMORY_LIMITS;
        validationOf(before, limits);
        const incremental = validationOf(doc, limits);
        expect(incremental, `step ${step}, ${edit.kind}`).toEqual(validate(doc, limits));
        // A move reuses the validation before it; no other kind of edit may.
        const positionsOnly = onlyPositionsDiffer(before, doc);
        // Sound (it may say no to an edit that rewrote a value with an equal one; then it validates again).
        if (positionsOnly) expect(withoutPositions(doc), `step ${step}, ${edit.kind}`).toBe(withoutPositions(before));
        if (edit.kind === 'move') expect(positionsOnly).toBe(true);
        if (positionsOnly) expect(incremental).toBe(validationOf(before, limits));
      }
      // The sequence exercised moves and other edits alike.
      expect(kinds.get('move') ?? 0).toBeGreaterThan(5);
      expect([...kinds.keys()].filter((k) => k !== 'move' && k !== 'none').length).toBeGreaterThan(3);
    });
  }

  it('does not reuse a validation across an edit that changes anything but positions', () => {
    const doc = TEMPLATES.find((t) => t.id === 'mlp-mnist')!.build();
    const dense = doc.nodes.find((n) => n.type === 'Dense')!;
    const moved = edits.moveNodes(doc, edits.idRecord([[dense.id, { x: 1, y: 2 }]]));
    expect(onlyPositionsDiffer(doc, moved)).toBe(true);
    const both = { ...moved, nodes: moved.nodes.map((n) => (n.id === dense.id ? { ...n, params: { ...n.params, units: 7 } } : n)) };
    expect(onlyPositionsDiffer(doc, both)).toBe(false);
    expect(onlyPositionsDiffer(doc, { ...doc, training: { ...doc.training, batchSize: doc.training.batchSize + 1 } })).toBe(false);
    expect(onlyPositionsDiffer(doc, { ...doc, nodes: [...doc.nodes].reverse() })).toBe(doc.nodes.length < 2);
    // A key added beside the position (a label) is a change.
    expect(onlyPositionsDiffer(doc, { ...doc, nodes: doc.nodes.map((n) => (n.id === dense.id ? { ...n, label: 'other' } : n)) })).toBe(dense.label === 'other');
  });
});
