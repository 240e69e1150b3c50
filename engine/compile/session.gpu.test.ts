/**
 * The session's lifecycle on the WebGPU backend (SwiftShader through Dawn): checkpoints round-trip
 * exactly, and recompiling on one device — fresh or carrying variables over — frees what the new
 * program does not read, so the device's buffers do not grow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebGpuBackend } from '../backends/webgpu/backend';
import { gpuBackend } from '../backends/webgpu/testing';
import { builtinDataset, gatherBatch } from '../data';
import { makeDoc } from '../testing/docs';
import { Program } from './program';

const classifier = (units: number, d2 = 'd2') =>
  makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [2] }],
      ['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
      ['d1', 'Dense', { units: 8, activation: 'tanh' }],
      ['bn', 'BatchNorm'],
      ['drop', 'Dropout', { rate: 0.2 }],
      [d2, 'Dense', { units, activation: 'relu' }],
      ['logits', 'Dense', { units: 2 }],
      ['loss', 'SoftmaxCrossEntropy', { labels: 'sparse' }],
    ],
    ['x.y -> d1.x', 'd1.y -> bn.x', 'bn.y -> drop.x', `drop.y -> ${d2}.x`, `${d2}.y -> logits.x`, 'logits.y -> loss.pred', 'label.y -> loss.target'],
    { dataset: { kind: 'xor', size: 64, noise: 0.1 }, optimizer: { type: 'adam' }, lr: 0.05, batchSize: 16, seed: 3 },
  );

const data = builtinDataset(classifier(8).training.dataset, 3);
const batchAt = (k: number) =>
  gatherBatch(
    data,
    Int32Array.from({ length: 16 }, (_v, i) => (k * 16 + i) % data.length),
  );

async function train(program: Program, from: number, steps: number): Promise<number[]> {
  for (let k = from; k < from + steps; k++) await program.run(batchAt(k));
  return (await program.drain()).map((r) => r.loss);
}

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await gpuBackend();
});
afterAll(() => gpu?.dispose());

describe('a session on the GPU', () => {
  it('round-trips a checkpoint exactly: 5 steps, snapshot, 5 more, restore, the same 5 again', async () => {
    const program = await Program.create(classifier(8), gpu);
    await train(program, 0, 5);
    const cp = await program.snapshot();
    const then = await train(program, 5, 5);
    expect(then.every(Number.isFinite)).toBe(true);
    await program.restore(cp);
    expect(await train(program, 5, 5)).toEqual(then);
    program.dispose();
  });

  it('holds the same buffers over 20 recompiles on one device, fresh or carrying over, and a fresh one starts afresh', async () => {
    const counts: { buffers: number; bytes: number }[] = [];
    let program: Program | undefined;
    let firstLosses: number[] | undefined;
    for (let k = 0; k < 20; k++) {
      program?.dispose();
      // A new layer name each time (its variables must be freed when the next program drops it)
      // and alternating shapes (logits' kernel is reshaped, freed and made again).
      program = await Program.create(classifier(k % 2 ? 6 : 8, `hidden${k}`), gpu, k % 4 === 3 ? { carry: 'backend' } : {});
      const losses = await train(program, 0, 2);
      firstLosses ??= losses;
      counts.push({ buffers: gpu.liveBuffers, bytes: gpu.liveBytes });
    }
    program!.dispose();
    expect(counts[19]).toEqual(counts[3]);
    expect(counts[18]).toEqual(counts[2]);
    // Fresh, the first document again: the same start as the first time, whatever the device held.
    program = await Program.create(classifier(8, 'hidden0'), gpu);
    expect(await train(program, 0, 2)).toEqual(firstLosses);
    program.dispose();
  });

  it('runs the MLP Adam step in at most 35 dispatches with its hyperparameters fed (43 before reductions took their prologues and epilogues, 45 when hyperparameters were baked in)', async () => {
    // The bench's MLP 784-256-10 (bench/lib/models.ts), batch 128, Adam with its hyperparameters as feeds.
    const doc = makeDoc(
      [
        ['x', 'Input', { field: 'x', shape: [784] }],
        ['d1', 'Dense', { units: 256, activation: 'relu' }],
        ['d2', 'Dense', { units: 10 }],
        ['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
        ['loss', 'SoftmaxCrossEntropy', { labels: 'sparse' }],
      ],
      ['x.y -> d1.x', 'd1.y -> d2.x', 'd2.y -> loss.pred', 'label.y -> loss.target'],
      { dataset: { kind: 'random', inputShape: [784], targetShape: [10], size: 128 }, optimizer: { type: 'adam', eps: 1e-7 }, batchSize: 128 },
    );
    const program = await Program.create(doc, gpu);
    const batch = { x: new Float32Array(128 * 784).fill(0.5), label: Int32Array.from({ length: 128 }, (_v, i) => i % 10) };
    const before = gpu.dispatched;
    await program.run(batch);
    program.setOptimizerHyperparameters({ type: 'adam', beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0 });
    await program.run(batch);
    const losses = (await program.drain()).map((r) => r.loss);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect((gpu.dispatched - before) / 2).toBeLessThanOrEqual(35);
    program.dispose();
  });
});
