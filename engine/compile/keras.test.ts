/**
 * The Keras-style example: Dense(relu) → Dense → softmax cross-entropy, trained with Adam by the
 * same Program API, evaluated on a held-out split of a seeded two-spirals set.
 */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backends/cpu/backend';
import { builtinDataset, epochBatches, gatherBatch, splitIndices } from '../data';
import { makeDoc } from '../testing/docs';
import { Program } from './program';

describe('a Keras-style classifier', () => {
  it('reaches ≥ 95% validation accuracy on two spirals with Adam', async () => {
    const doc = makeDoc(
      [
        ['x', 'Input', { field: 'x', shape: [2] }],
        ['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
        ['hidden', 'Dense', { units: 128, activation: 'relu' }],

        ['logits', 'Dense', { units: 2 }],
        ['loss', 'SoftmaxCrossEntropy', { labels: 'sparse' }],
        ['acc', 'Accuracy', { labels: 'sparse' }],
      ],
      ['x.y -> hidden.x', 'hidden.y -> logits.x', 'logits.y -> loss.pred', 'label.y -> loss.target', 'logits.y -> acc.pred', 'label.y -> acc.target'],
      { dataset: { kind: 'spirals', size: 500, noise: 0.1 }, optimizer: { type: 'adam' }, lr: 0.01, batchSize: 40, seed: 3 },
    );
    const program = await Program.create(doc, new CpuBackend());
    const data = builtinDataset(doc.training.dataset, doc.training.seed);
    const { train, validation } = splitIndices(data.length, 0.2, 3);
    const firstLosses: number[] = [];
    for (let epoch = 0; epoch < 150; epoch++) {
      for (const idx of epochBatches(train, 40, 3, epoch, true)) {
        const loss = await program.step(gatherBatch(data, idx));
        if (firstLosses.length < 5) firstLosses.push(loss);
      }
    }
    const out = await program.forward(gatherBatch(data, validation));
    const accuracy = out.get('acc')!.value!.data[0]!;
    expect(firstLosses[0]).toBeCloseTo(Math.log(2), 0); // an untrained 2-class net starts near ln 2
    expect(validation.length).toBe(100);
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
  }, 120_000);
});
