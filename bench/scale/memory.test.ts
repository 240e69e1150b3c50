/**
 * The live-tensor floor of a step (memory.ts), against byte counts worked out by hand: a small graph
 * whose intervals are known, and the MLP's training step, whose variables are its parameters, Adam's two
 * slots per parameter and the resident batch.
 */
import { describe, expect, it } from 'vitest';
import { Graph } from '../../engine/compile/graph';
import { OpBuilder } from '../../engine/ops/builder';
import { fixedBatch } from '../lib/models';
import { liveTensorBytes, trainingStepBytes } from './memory';
import { mlp } from './workloads';

describe('liveTensorBytes', () => {
  it('sums what is live at the worst point of the schedule', () => {
    const g = new Graph();
    const ops = new OpBuilder(g);
    const x = g.input('x', [4], 'f32'); // 16 bytes, live all step
    const w = g.variable('w', [4]); // 16 bytes, live all step
    const a = ops.mul(x, g.variable('w', [4])); // the same variable read twice: one buffer
    const b = ops.add(a, a); // 16 bytes, read last by c
    const big = ops.exp(b); // 16 bytes, kept (a root)
    const c = ops.mul(ops.mul(big, b), w); // 16 + 16 bytes, the inner one read last by the outer
    // Live op values: at a: {a}; at b: {a, b}; at big: {b, big}; at big·b: {b, big, big·b}; at c: {big, big·b, c} = 48 bytes.
    expect(liveTensorBytes(g, [big, c])).toEqual({ resident: 32, maxLive: 32 + 48, total: 32 + 80 });
  });

  it('frees a value after its last reader, so a long chain needs two values at a time', () => {
    const g = new Graph();
    const ops = new OpBuilder(g);
    let v = g.input('x', [100], 'f32'); // 400 bytes
    for (let i = 0; i < 10; i++) v = ops.relu(v);
    expect(liveTensorBytes(g, [v])).toEqual({ resident: 400, maxLive: 400 + 800, total: 400 * 11 });
  });
});

describe('trainingStepBytes', () => {
  it("holds the MLP's parameters three times (weights, Adam m and v) and its resident batch all step", () => {
    const w = mlp(64, 16, 1);
    const batch = fixedBatch(w, 1);
    const params = 784 * 64 + 64 + 64 * 10 + 10;
    const bytes = trainingStepBytes(w.doc, { x: batch.x, label: batch.label });
    const dataset = (16 * 784 + 16) * 4;
    expect(bytes.resident).toBeGreaterThanOrEqual(3 * params * 4 + dataset);
    // Besides those: the gathered batch, scalar feeds and step counters — a few small tensors, not another model's worth.
    expect(bytes.resident).toBeLessThan(3 * params * 4 + 2 * dataset + 1024);
    // Activations and gradients come on top; the kernel's gradient alone is another parameter's worth.
    expect(bytes.maxLive).toBeGreaterThan(bytes.resident + 784 * 64 * 4);
    expect(bytes.total).toBeGreaterThan(bytes.maxLive);
  });
});
