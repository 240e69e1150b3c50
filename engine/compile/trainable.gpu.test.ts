/**
 * The Trainable switch on the WebGPU backend (SwiftShader through Dawn): a frozen Dense and a frozen
 * BatchNorm keep their parameters bit for bit, BatchNorm's running statistics still move, and every
 * other weight tracks the CPU reference run of the same steps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../backends/cpu/backend';
import type { WebGpuBackend } from '../backends/webgpu/backend';
import { gpuBackend } from '../backends/webgpu/testing';
import { builtinDataset, gatherBatch } from '../data';
import { makeDoc } from '../testing/docs';
import { Program } from './program';

const doc = () => {
  const d = makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [2] }],
      ['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
      ['d1', 'Dense', { units: 8, activation: 'tanh' }],
      ['bn', 'BatchNorm'],
      ['d2', 'Dense', { units: 8, activation: 'relu' }],
      ['logits', 'Dense', { units: 2 }],
      ['loss', 'SoftmaxCrossEntropy', { labels: 'sparse' }],
    ],
    ['x.y -> d1.x', 'd1.y -> bn.x', 'bn.y -> d2.x', 'd2.y -> logits.x', 'logits.y -> loss.pred', 'label.y -> loss.target'],
    { dataset: { kind: 'xor', size: 64, noise: 0.1 }, optimizer: { type: 'adam', weightDecay: 0.01 }, lr: 0.05, batchSize: 16, seed: 3 },
  );
  return { ...d, nodes: d.nodes.map((n) => (n.id === 'd1' || n.id === 'bn' ? { ...n, trainable: false } : n)) };
};

const data = builtinDataset(doc().training.dataset, 3);
const batchAt = (k: number) =>
  gatherBatch(
    data,
    Int32Array.from({ length: 16 }, (_v, i) => (k * 16 + i) % data.length),
  );

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await gpuBackend();
});
afterAll(() => gpu?.dispose());

describe('frozen layers on the GPU', () => {
  it('keep their parameters bit for bit while the rest tracks the CPU run', async () => {
    const onGpu = await Program.create(doc(), gpu);
    const onCpu = await Program.create(doc(), new CpuBackend());
    const initial = await onGpu.getWeights();
    expect(initial).toEqual(await onCpu.getWeights());
    for (let k = 0; k < 5; k++) {
      await onGpu.run(batchAt(k));
      await onCpu.run(batchAt(k));
    }
    const [g, c] = [await onGpu.getWeights(), await onCpu.getWeights()];
    for (const name of ['d1/kernel', 'd1/bias', 'bn/gamma', 'bn/beta']) expect(g[name], name).toEqual(initial[name]);
    expect(g['bn/moving_mean']).not.toEqual(initial['bn/moving_mean']);
    for (const name of ['bn/moving_mean', 'bn/moving_variance', 'd2/kernel', 'd2/bias', 'logits/kernel', 'logits/bias']) {
      expect(g[name], name).not.toEqual(initial[name]);
      g[name]!.forEach((v, i) => expect(Math.abs(v - c[name]![i]!), `${name}[${i}]`).toBeLessThan(1e-4));
    }
    expect((await onGpu.snapshot()).values.has('d1/kernel:m')).toBe(false);
    onGpu.dispose();
    onCpu.dispose();
  });
});
