import { describe, expect, it } from 'vitest';
import { estimateMemory } from '../../engine/graph/memory';
import { makeDoc } from '../../engine/testing/docs';
import { memorySummary } from './memorySummary';

const doc = (dataset: Record<string, unknown>) =>
  makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [4] }],
      ['d', 'Dense', { units: 3 }],
      ['t', 'Input', { field: 'y', shape: [3] }],
      ['loss', 'MSELoss'],
    ],
    ['x.y -> d.x', 'd.y -> loss.pred', 't.y -> loss.target'],
    { batchSize: 2, optimizer: { type: 'sgd' }, dataset },
  );

describe('memorySummary', () => {
  it('states the total and each part', () => {
    // Dense [4]→3: 15 floats = 60 bytes, and as many gradients; SGD keeps no slots. Activations at
    // batch 2: the batches [2, 4] and [2, 3] (56 bytes), matmul and bias (48), the loss's
    // difference, square and mean (24 + 24 + 4): 156. 256 samples of [4] and [3]: 7,168 bytes.
    // In all 60 + 60 + 156 + 7,168 = 7,444 bytes = 7.3 KB.
    const s = memorySummary(estimateMemory(doc({ kind: 'random', inputShape: [4], targetShape: [3], size: 256 })));
    expect(s.text).toBe('≈ 7.3 KB');
    expect(s.detail).toBe('Memory to train: parameters 60 bytes, gradients 60 bytes, optimizer slots 0 bytes, activations 156 bytes, dataset 7.0 KB');
  });

  it('says the data comes on top when only the file knows its size', () => {
    const s = memorySummary(estimateMemory(doc({ kind: 'csv', name: 'a.csv', label: 'y' })));
    expect(s.text).toMatch(/^≈ \d+ bytes \+ data$/);
    expect(s.detail).toContain('and the dataset once loaded');
  });
});
