import { describe, expect, it } from 'vitest';
import { epochBatches, gatherBatch, permutation, splitIndices, type Dataset } from './dataset';

describe('batching', () => {
  it('a permutation holds every index once and depends only on the seed', () => {
    const p = permutation(1000, 7);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_v, i) => i));
    expect(permutation(1000, 7)).toEqual(p);
    expect(permutation(1000, 8)).not.toEqual(p);
  });

  it('a seeded split is disjoint, covers every sample and has the asked-for size', () => {
    const { train, validation } = splitIndices(103, 0.2, 3);
    expect(validation.length).toBe(21);
    expect(train.length).toBe(82);
    expect(new Set([...train, ...validation]).size).toBe(103);
    expect(splitIndices(103, 0.2, 3)).toEqual({ train, validation });
  });

  it.each([
    [32, false],
    [32, true],
    [7, false],
    [100, false],
  ])('every training sample is seen exactly once per epoch (batch %i, dropLast %s)', (batchSize, dropLast) => {
    const { train } = splitIndices(100, 0.2, 1);
    const orders: number[][] = [];
    for (let epoch = 0; epoch < 3; epoch++) {
      const seen = [...epochBatches(train, batchSize, 5, epoch, dropLast)].flatMap((b) => [...b]);
      const expected = dropLast ? Math.floor(80 / batchSize) * batchSize : 80;
      expect(seen.length).toBe(expected);
      expect(new Set(seen).size).toBe(expected);
      for (const i of seen) expect(train).toContain(i);
      orders.push(seen);
    }
    if (batchSize < 80) expect(orders[1]).not.toEqual(orders[0]); // reshuffled each epoch
  });

  it('gathers the samples of a batch field by field, in batch order', () => {
    const ds: Dataset = {
      name: 't',
      length: 3,
      fields: { x: { shape: [2], dtype: 'f32' }, label: { shape: [], dtype: 'i32' } },
      data: { x: Float32Array.of(0, 1, 10, 11, 20, 21), label: Int32Array.of(5, 6, 7) },
    };
    const b = gatherBatch(ds, [2, 0]);
    expect([...b.x!]).toEqual([20, 21, 0, 1]);
    expect(b.label).toBeInstanceOf(Int32Array);
    expect([...b.label!]).toEqual([7, 5]);
  });
});
