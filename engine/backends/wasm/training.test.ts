/**
 * Whole training programs on the WASM backend step for step with the JS CPU reference: the MLP
 * (784-128-10, Adam, softmax cross-entropy) and LeNet (two 5×5 convs, max-pools, three Dense), each
 * on a fixed batch it learns — on one thread and on three (worker_threads over shared memory), which
 * must agree bit for bit. Also the memory: a training loop holds a fixed set of blocks.
 */
import { describe, expect, it } from 'vitest';
import { Program } from '../../compile/session';
import type { GraphDocument } from '../../graph/document';
import { Rng } from '../../ops/random';
import { makeDoc } from '../../testing/docs';
import { CpuBackend } from '../cpu/backend';
import { WasmBackend, type WasmOptions } from './backend';
import { spawnNodeThread } from './nodeThreads';

/** Three threads (two helpers): uneven splits of the kernels' work, even on a two-core machine. */
const THREADED: WasmOptions = { threads: 3, spawn: spawnNodeThread };

const adam = (batch: number, input: number[]) => ({
  dataset: { kind: 'random', inputShape: input, targetShape: [10], size: batch, seed: 3 },
  optimizer: { type: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-7 },
  lr: 1e-3,
  batchSize: batch,
  seed: 3,
});

const mlp = makeDoc(
  [
    ['x', 'Input', { field: 'x', shape: [784], dtype: 'f32' }],
    ['d1', 'Dense', { units: 128, activation: 'relu' }],
    ['d2', 'Dense', { units: 10 }],
    ['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
    ['loss', 'SoftmaxCrossEntropy', { labels: 'sparse' }],
  ],
  ['x.y -> d1.x', 'd1.y -> d2.x', 'd2.y -> loss.pred', 'label.y -> loss.target'],
  adam(32, [784]),
);

const conv = (filters: number, padding: string) => ({ filters, kernelSize: [5, 5], strides: [1, 1], padding, activation: 'relu' });
const lenet = makeDoc(
  [
    ['x', 'Input', { field: 'x', shape: [28, 28, 1], dtype: 'f32' }],
    ['conv1', 'Conv2D', conv(6, 'same')],
    ['pool1', 'MaxPool2D', { poolSize: [2, 2], padding: 'valid' }],
    ['conv2', 'Conv2D', conv(16, 'valid')],
    ['pool2', 'MaxPool2D', { poolSize: [2, 2], padding: 'valid' }],
    ['flatten', 'Flatten', {}],
    ['fc1', 'Dense', { units: 120, activation: 'relu' }],
    ['fc2', 'Dense', { units: 84, activation: 'relu' }],
    ['logits', 'Dense', { units: 10 }],
    ['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
    ['loss', 'SoftmaxCrossEntropy', { labels: 'sparse' }],
  ],
  [
    'x.y -> conv1.x',
    'conv1.y -> pool1.x',
    'pool1.y -> conv2.x',
    'conv2.y -> pool2.x',
    'pool2.y -> flatten.x',
    'flatten.y -> fc1.x',
    'fc1.y -> fc2.x',
    'fc2.y -> logits.x',
    'logits.y -> loss.pred',
    'label.y -> loss.target',
  ],
  adam(8, [28, 28, 1]),
);

/** A fixed MNIST-like batch: pixels in [0, 1), labels in [0, 10). */
function batchFor(n: number, perSample: number) {
  const rng = new Rng(11);
  return {
    x: Float32Array.from({ length: n * perSample }, () => rng.next()),
    label: Int32Array.from({ length: n }, () => rng.int(10)),
  };
}

async function trainsLikeTheReference(doc: GraphDocument, batch: ReturnType<typeof batchFor>, steps: number) {
  const ref = await Program.create(doc, new CpuBackend());
  const wasm = await Program.create(doc, await WasmBackend.create({ threads: 1 }));
  const threadedBackend = await WasmBackend.create(THREADED);
  expect(threadedBackend.device).toBe('WASM SIMD, 3 threads');
  const threaded = await Program.create(doc, threadedBackend);
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const expected = await ref.step(batch);
    const actual = await wasm.step(batch);
    expect(Math.abs(actual - expected), `step ${s}: WASM ${actual}, CPU ${expected}`).toBeLessThan(1e-4 * Math.max(1, Math.abs(expected)));
    // The threads split work, never a sum: the same bits as one thread.
    expect(await threaded.step(batch), `step ${s}: 3 threads vs 1`).toBe(actual);
    losses.push(actual);
  }
  const [w1, w3] = [await wasm.getWeights(), await threaded.getWeights()];
  for (const name of Object.keys(w1)) expect(Array.from(w3[name]!), `${name}: 3 threads vs 1`).toEqual(Array.from(w1[name]!));
  expect(threadedBackend.pool!.forks, 'kernels split between the threads').toBeGreaterThan(steps);
  threadedBackend.dispose();
  expect(losses[steps - 1]).toBeLessThan(losses[0]! * 0.8); // it learns: the comparison is not of two constants
  const [wr, ww] = [await ref.getWeights(), await wasm.getWeights()];
  for (const name of Object.keys(wr)) {
    const [a, e] = [ww[name]!, wr[name]!];
    expect(a.length, name).toBe(e.length);
    let worst = 0;
    for (let i = 0; i < e.length; i++) worst = Math.max(worst, Math.abs(a[i]! - e[i]!));
    expect(worst, `${name}: largest difference`).toBeLessThan(2e-5);
  }
}

describe('training on the WASM backend', () => {
  it('the MLP tracks the CPU reference step for step', async () => {
    await trainsLikeTheReference(mlp, batchFor(32, 784), 15);
  });

  it('LeNet tracks the CPU reference step for step', async () => {
    await trainsLikeTheReference(lenet, batchFor(8, 784), 20);
  });

  it.each([
    ['1 thread', {}],
    ['3 threads', THREADED],
  ])('holds the same memory after 5 and after 50 steps (%s)', async (_name, options: WasmOptions) => {
    const backend = await WasmBackend.create(options);
    const program = await Program.create(mlp, backend);
    const batch = batchFor(32, 784);
    for (let s = 0; s < 5; s++) await program.step(batch);
    const after5 = { live: backend.mem.liveBytes, size: backend.mem.buffer.byteLength };
    for (let s = 0; s < 45; s++) await program.step(batch);
    expect({ live: backend.mem.liveBytes, size: backend.mem.buffer.byteLength }).toEqual(after5);
    backend.dispose();
  });
});
