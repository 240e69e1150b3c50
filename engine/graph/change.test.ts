import { describe, expect, it } from 'vitest';
import { twoLayerDoc } from '../testing/docs';
import { classifyChange, TRAINING_FIELD_KIND } from './change';
import type { GraphDocument } from './document';
import { TrainingConfig } from './training';

const plain = twoLayerDoc();
const base: GraphDocument = { ...plain, training: TrainingConfig.parse({ ...plain.training, optimizer: { type: 'adam' } }) };
const withTraining = (patch: Record<string, unknown>): GraphDocument => ({ ...base, training: TrainingConfig.parse({ ...base.training, ...patch }) });

describe('classifyChange: what an edit means for a run', () => {
  it('sees no change in the same document, a moved node, a renamed label or another name', () => {
    expect(classifyChange(base, base)).toEqual({ kind: 'none', reasons: [] });
    const moved = { ...base, nodes: base.nodes.map((n, i) => (i === 0 ? { ...n, position: { x: 999, y: -5 }, label: 'renamed' } : n)) };
    expect(classifyChange(base, moved).kind).toBe('none');
    expect(classifyChange(base, { ...base, meta: { ...base.meta, name: 'other' } }).kind).toBe('none');
    // A copy of the same edges in another order (a new array, the same wires).
    expect(classifyChange(base, { ...base, edges: [...base.edges].reverse() }).kind).toBe('none');
  });

  it("classifies every training field, with the reason in the user's words", () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ lr: 0.5 }, 'live', /learning rate 0\.\d+ → 0\.5/],
      [{ schedule: { type: 'step', stepSize: 10 } }, 'live', /schedule constant → step/],
      [{ epochs: 99 }, 'live', /epochs \d+ → 99/],
      [{ steps: 7 }, 'live', /steps (\d+|unset) → 7/],
      [{ optimizer: { ...base.training.optimizer, beta1: 0.5 } }, 'live', /optimizer adam: beta1 0\.9 → 0\.5/],
      [{ optimizer: { type: 'sgd' } }, 'hot', /optimizer adam → sgd/],
      [{ batchSize: 3 }, 'hot', /batch size \d+ → 3/],
      [{ dataset: { kind: 'xor' } }, 'restart', /dataset random → xor/],
      [{ validationSplit: 0.5 }, 'restart', /validation split/],
      [{ seed: 7 }, 'restart', /seed \d+ → 7/],
    ];
    const covered = new Set<string>();
    for (const [patch, kind, reason] of cases) {
      const c = classifyChange(base, withTraining(patch));
      expect(c.kind, JSON.stringify(patch)).toBe(kind);
      expect(c.reasons.join('; ')).toMatch(reason);
      Object.keys(patch).forEach((k) => covered.add(k));
    }
    expect([...covered].sort()).toEqual(Object.keys(TRAINING_FIELD_KIND).sort());
  });

  it('a structural edit is hot: params, types, added and removed nodes, wires', () => {
    const [first, ...rest] = base.nodes;
    const paramEdit = { ...base, nodes: [{ ...first!, params: { ...first!.params, extra: 3 } }, ...rest] };
    expect(classifyChange(base, paramEdit)).toMatchObject({ kind: 'hot', reasons: [expect.stringMatching(/extra unset → 3/)] });
    const removed = { ...base, nodes: rest };
    expect(classifyChange(base, removed)).toMatchObject({ kind: 'hot', reasons: [`node ${first!.id} removed`] });
    expect(classifyChange(removed, base).reasons).toEqual([`node ${first!.id} added`]);
    const unwired = { ...base, edges: base.edges.slice(1) };
    expect(classifyChange(base, unwired)).toMatchObject({ kind: 'hot', reasons: [expect.stringMatching(/^unwired /)] });
  });

  it("switching a node's Trainable off or on is hot (recompile, keep every weight), never a restart", () => {
    const id = base.nodes.find((n) => n.type === 'Parameter')!.id;
    const frozen = { ...base, nodes: base.nodes.map((n) => (n.id === id ? { ...n, trainable: false } : n)) };
    expect(classifyChange(base, frozen)).toEqual({ kind: 'hot', reasons: [`node ${id} frozen`] });
    expect(classifyChange(frozen, base)).toEqual({ kind: 'hot', reasons: [`node ${id} trainable again`] });
    // An explicit true is the same as absent.
    const explicit = { ...base, nodes: base.nodes.map((n) => (n.id === id ? { ...n, trainable: true } : n)) };
    expect(classifyChange(base, explicit).kind).toBe('none');
  });

  it('the strongest change wins and every reason is listed', () => {
    const c = classifyChange(base, { ...withTraining({ lr: 0.5, seed: 1 }), nodes: base.nodes.slice(1) });
    expect(c.kind).toBe('restart');
    expect(c.reasons).toHaveLength(3);
  });
});
