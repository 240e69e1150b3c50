/** Layer behaviour that differs between training and inference, checked numerically. */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../backends/cpu/backend';
import { Program } from '../../compile/program';
import { makeDoc } from '../../testing/docs';
import { windowPadding } from './layers';

function featureDoc(layer: [string, string, Record<string, unknown>?], batchSize: number, features: number) {
  return makeDoc(
    [['x', 'Input', { field: 'x', shape: [features] }], layer, ['t', 'Input', { field: 't', shape: [features] }], ['loss', 'MSELoss']],
    [`x.y -> ${layer[0]}.x`, `${layer[0]}.y -> loss.pred`, 't.y -> loss.target'],
    { batchSize, optimizer: { type: 'sgd' }, lr: 0.1, seed: 5 },
  );
}

describe('layers', () => {
  it('TensorFlow "same" padding puts the odd pixel after', () => {
    expect(windowPadding('same', [28, 28], [5, 5], [1, 1])).toEqual([2, 2, 2, 2]);
    expect(windowPadding('same', [5, 6], [2, 3], [2, 2])).toEqual([0, 1, 0, 1]);
    expect(windowPadding('valid', [5, 6], [2, 3], [2, 2])).toEqual([0, 0, 0, 0]);
  });

  it('BatchNorm normalises by batch statistics while training, by running averages at inference', async () => {
    const [n, c] = [6, 3];
    const x = Float32Array.from({ length: n * c }, (_v, i) => (i % c) * 10 + Math.floor(i / c) * ((i % c) + 1));
    const p = await Program.create(featureDoc(['bn', 'BatchNorm', { momentum: 0.1, epsilon: 1e-3 }], n, c), new CpuBackend());
    await p.step({ x, t: new Float32Array(n * c) });
    const y = (await p.read('bn')).data;
    for (let ch = 0; ch < c; ch++) {
      const col = Array.from({ length: n }, (_v, i) => y[i * c + ch]!);
      const xs = Array.from({ length: n }, (_v, i) => x[i * c + ch]!);
      const mean = xs.reduce((a, v) => a + v, 0) / n;
      const variance = xs.reduce((a, v) => a + (v - mean) ** 2, 0) / n;
      col.forEach((v, i) => expect(v).toBeCloseTo((xs[i]! - mean) / Math.sqrt(variance + 1e-3), 4));
      const w = await p.getWeights();
      expect(w['bn/moving_mean']![ch]).toBeCloseTo(0.1 * mean, 4);
      // PyTorch's momentum (the batch's weight); the running variance follows the unbiased batch variance.
      expect(w['bn/moving_variance']![ch]).toBeCloseTo(0.9 + 0.1 * variance * (n / (n - 1)), 3);
    }
    // Inference uses the running statistics, so the output is nearly the input.
    const w = await p.getWeights();
    const inf = (await p.forward({ x })).get('bn')!.y!.data;
    inf.forEach((v, i) => {
      const ch = i % c;
      const g = w['bn/gamma']![ch]!;
      const b = w['bn/beta']![ch]!;
      expect(v).toBeCloseTo(((x[i]! - w['bn/moving_mean']![ch]!) / Math.sqrt(w['bn/moving_variance']![ch]! + 1e-3)) * g + b, 4);
    });
  });

  it('Dropout zeroes about `rate` of the elements and rescales the rest while training; identity at inference', async () => {
    const [n, c] = [50, 40];
    const x = new Float32Array(n * c).fill(1);
    const p = await Program.create(featureDoc(['drop', 'Dropout', { rate: 0.3 }], n, c), new CpuBackend());
    await p.step({ x, t: x });
    const first = Array.from((await p.read('drop')).data);
    const zeros = first.filter((v) => v === 0).length / first.length;
    expect(zeros).toBeGreaterThan(0.25);
    expect(zeros).toBeLessThan(0.35);
    first.filter((v) => v !== 0).forEach((v) => expect(v).toBeCloseTo(1 / 0.7, 5));
    await p.step({ x, t: x });
    expect(Array.from((await p.read('drop')).data)).not.toEqual(first); // a new mask each step
    const inf = (await p.forward({ x })).get('drop')!.y!.data;
    expect(Array.from(inf).every((v) => v === 1)).toBe(true);
  });

  it('LayerNorm normalises each sample over its features', async () => {
    const [n, c] = [3, 5];
    const x = Float32Array.from({ length: n * c }, (_v, i) => Math.sin(i) * 3 + i);
    const p = await Program.create(featureDoc(['ln', 'LayerNorm', { epsilon: 1e-5 }], n, c), new CpuBackend());
    await p.step({ x, t: new Float32Array(n * c) });
    const y = (await p.read('ln')).data;
    for (let r = 0; r < n; r++) {
      const row = Array.from(x.subarray(r * c, r * c + c));
      const mean = row.reduce((a, v) => a + v, 0) / c;
      const sd = Math.sqrt(row.reduce((a, v) => a + (v - mean) ** 2, 0) / c + 1e-5);
      row.forEach((v, k) => expect(y[r * c + k]).toBeCloseTo((v - mean) / sd, 4));
    }
  });

  it('Embedding looks up rows and its gradient adds up on repeated ids', async () => {
    const doc = makeDoc(
      [
        ['ids', 'Input', { field: 'ids', shape: [3], dtype: 'i32' }],
        ['emb', 'Embedding', { inputDim: 5, outputDim: 2 }],
        ['t', 'Input', { field: 't', shape: [3, 2] }],
        ['loss', 'SumSquaresLoss'],
      ],
      ['ids.y -> emb.x', 'emb.y -> loss.pred', 't.y -> loss.target'],
      { batchSize: 1, optimizer: { type: 'sgd' }, lr: 0.1 },
    );
    const p = await Program.create(doc, new CpuBackend());
    const table = (await p.getWeights())['emb/embeddings']!;
    await p.step({ ids: Int32Array.from([4, 1, 4]), t: new Float32Array(6) });
    const y = (await p.read('emb')).data;
    expect(Array.from(y)).toEqual([table[8], table[9], table[2], table[3], table[8], table[9]]);
    const after = (await p.getWeights())['emb/embeddings']!;
    // Row 4 appears twice: it moves by lr · 2 · (2·row) = 0.4 · row; row 1 by 0.2 · row; row 0 not at all.
    expect(after[8]).toBeCloseTo(table[8]! * 0.6, 5);
    expect(after[2]).toBeCloseTo(table[2]! * 0.8, 5);
    expect(after[0]).toBe(table[0]);
  });

  it('an Embedding id outside its table is an error naming the node (on the CPU reference)', async () => {
    const doc = makeDoc(
      [
        ['ids', 'Input', { field: 'ids', shape: [3], dtype: 'i32' }],
        ['emb', 'Embedding', { inputDim: 5, outputDim: 2 }],
        ['t', 'Input', { field: 't', shape: [3, 2] }],
        ['loss', 'SumSquaresLoss'],
      ],
      ['ids.y -> emb.x', 'emb.y -> loss.pred', 't.y -> loss.target'],
      { batchSize: 1, optimizer: { type: 'sgd' }, lr: 0.1 },
    );
    const p = await Program.create(doc, new CpuBackend());
    await expect(p.forward({ ids: Int32Array.from([1, 7, 2]) })).rejects.toMatchObject({
      node: 'emb',
      message: expect.stringMatching(/index 7 at position 1/),
    });
  });
});
