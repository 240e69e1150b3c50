import { describe, expect, it } from 'vitest';
import { templateById } from './templates';
import { describeParamCounts, isFrozen } from './trainable';
import { validateDocument } from './validate';

describe('the Trainable switch', () => {
  it('is on unless explicitly false', () => {
    expect([isFrozen({}), isFrozen({ trainable: true }), isFrozen({ trainable: false })]).toEqual([false, false, true]);
  });

  it('describes parameter counts as the status bar shows them', () => {
    expect(describeParamCounts({ trainable: 100_000, frozen: 1_000 })).toBe('101,000 parameters (1,000 frozen)');
    expect(describeParamCounts({ trainable: 354, frozen: 0 })).toBe('354 parameters');
    expect(describeParamCounts({ trainable: 0, frozen: 1 })).toBe('1 parameter (all frozen)');
    expect(describeParamCounts({ trainable: 0, frozen: 0 })).toBe('0 parameters');
  });

  it('refuses to train a graph whose every parameter is frozen (PyTorch: an empty parameter list), and only then', () => {
    const doc = templateById('two-spirals')!.build(new Date(0));
    const withParams = doc.nodes.filter((n) => n.type === 'Dense').map((n) => n.id);
    const freeze = (ids: readonly string[]) => ({ ...doc, nodes: doc.nodes.map((n) => (ids.includes(n.id) ? { ...n, trainable: false } : n)) });
    const codes = (d: typeof doc, requireLoss = true) => validateDocument(d, { requireLoss }).errors.map((e) => e.code);
    const all = validateDocument(freeze(withParams)).errors;
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      code: 'nothing_trainable',
      message: expect.stringMatching(/Every parameter is frozen \(354 parameters with Trainable off\)/),
    });
    expect(codes(freeze(withParams.slice(1)))).toEqual([]);
    expect(codes(doc)).toEqual([]);
    // Inference (serving, export) needs nothing trainable.
    expect(codes(freeze(withParams), false)).toEqual([]);
  });
});
