// The benchmark models are the sizes their titles say: parameter counts worked out by hand.
import { describe, expect, it } from 'vitest';
import { inferShapes } from '../../engine/graph/infer';
import { validateDocument } from '../../engine/graph/validate';
import { cnnWorkload, mlpWorkload, type Workload } from './models';

const params = (w: Workload) => [...inferShapes(w.doc).nodes.values()].reduce((n, i) => n + i.paramCount, 0);

describe('benchmark workloads', () => {
  it('MLP 784-256-10 at batch 128 by default, and the hidden width and batch a test asks for', () => {
    const w = mlpWorkload(1);
    expect(validateDocument(w.doc).errors).toEqual([]);
    expect([w.title, w.batch, w.doc.training.batchSize]).toEqual(['MLP 784-256-10, batch 128', 128, 128]);
    expect(params(w)).toBe(784 * 256 + 256 + 256 * 10 + 10);
    const small = mlpWorkload(3, { hidden: 128, batch: 32 });
    expect([small.title, small.doc.training.batchSize, small.doc.training.seed]).toEqual(['MLP 784-128-10, batch 32', 32, 3]);
    expect(params(small)).toBe(784 * 128 + 128 + 128 * 10 + 10);
  });

  it('LeNet-5 on 28×28×1 at batch 64 by default, or the batch a test asks for', () => {
    const w = cnnWorkload(1);
    expect(validateDocument(w.doc).errors).toEqual([]);
    expect([w.title, w.doc.training.batchSize]).toEqual(['LeNet-5 CNN 28×28×1, batch 64', 64]);
    // conv 6@5×5 (same) → pool → conv 16@5×5 (valid: 14 → 10) → pool (5×5×16 = 400) → 120 → 84 → 10
    const lenet = 5 * 5 * 6 + 6 + (5 * 5 * 6 * 16 + 16) + (400 * 120 + 120) + (120 * 84 + 84) + (84 * 10 + 10);
    expect(params(w)).toBe(lenet);
    expect(cnnWorkload(3, { batch: 8 }).doc.training.batchSize).toBe(8);
    expect(params(cnnWorkload(3, { batch: 8 }))).toBe(lenet);
  });
});
