import { describe, expect, it } from 'vitest';
import { OpBuilder } from '../ops/builder';
import { gradcheck } from '../testing/gradcheck';
import { gradients } from './autodiff';
import { Graph } from './graph';

describe('autodiff', () => {
  it('gives no gradient to what the loss does not depend on, and emits no ops for unused branches', () => {
    const g = new Graph();
    const b = new OpBuilder(g);
    const w = g.variable('w', [3]);
    const unused = g.variable('unused', [3]);
    const side = b.exp(unused); // a branch that never reaches the loss
    const loss = b.sum(b.square(w));
    const before = g.nodes.length;
    const grads = gradients(g, loss, [w, unused]);
    expect(grads.has(w)).toBe(true);
    expect(grads.has(unused)).toBe(false);
    expect(grads.has(side)).toBe(false);
    // d sum(w²) = 2w: ones, mul by w twice (fan-out), add — a handful of ops, nothing for the side branch.
    expect(g.nodes.length - before).toBeLessThan(12);
  });

  it('sums gradients of a parameter shared by two layers (and broadcast against a batch)', async () => {
    // f(x, w) = relu(x·w)·w with w [3, 3] used twice; x [4, 3].
    const { maxError } = await gradcheck([{ shape: [4, 3] }, { shape: [3, 3] }], (b, [x, w]) => b.matmul(b.tanh(b.matmul(x!, w!)), w!));
    expect(maxError).toBeLessThan(1e-6);
  });

  it('handles a diamond: two paths from one value meet again', async () => {
    const { maxError } = await gradcheck([{ shape: [2, 3] }], (b, [x]) => {
      const s = b.sigmoid(x!);
      return b.add(b.mul(s, b.exp(x!)), b.sum(s, [1], true));
    });
    expect(maxError).toBeLessThan(1e-6);
  });
});
