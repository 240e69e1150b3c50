import { describe, expect, it } from 'vitest';
import { makeDoc } from '../../engine/testing/docs';
import { twoSpirals } from '../../engine/graph/templates/twoSpirals';
import { modelSummary } from './modelSummary';

describe('modelSummary (Keras summary())', () => {
  it('lists every node with its output shape and parameter counts (hand-computed)', () => {
    const s = modelSummary(twoSpirals.build(new Date(0)));
    const row = (id: string) => s.rows.find((r) => r.id === id)!;
    // Dense 2→16: 2·16 + 16 = 48; 16→16: 272; 16→2: 34.
    expect(row('hidden1')).toMatchObject({ name: 'Hidden 1', type: 'Dense', output: '[32, 16]', trainableParams: 48, frozenParams: 0 });
    expect(row('hidden2').trainableParams).toBe(272);
    expect(row('logits')).toMatchObject({ output: '[32, 2]', trainableParams: 34 });
    expect(row('label').output).toBe('[32] i32');
    expect(row('loss').output).toBe('[]');
    expect(s.trainable).toBe(48 + 272 + 34);
    expect(s.frozen).toBe(0);
    expect(s.variables.get('hidden1')).toEqual(['hidden1/kernel', 'hidden1/bias']);
    expect(s.rows.map((r) => r.id).indexOf('point')).toBeLessThan(s.rows.map((r) => r.id).indexOf('hidden1'));
  });

  it('counts batch-norm running statistics as frozen', () => {
    const doc = makeDoc(
      [
        ['x', 'Input', { field: 'x', shape: [4] }],
        ['bn', 'BatchNorm', {}],
        ['y', 'Input', { field: 'y', shape: [4] }],
        ['loss', 'MSELoss'],
      ],
      ['x.y -> bn.x', 'bn.y -> loss.pred', 'y.y -> loss.target'],
    );
    const bn = modelSummary(doc).rows.find((r) => r.id === 'bn')!;
    expect(bn.trainableParams).toBe(8);
    expect(bn.frozenParams).toBe(8);
  });
});
