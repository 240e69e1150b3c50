/**
 * The Trainer on the WebGPU backend (Dawn on SwiftShader in Node): the dataset is resident on the
 * GPU, steps read nothing back, and the drained losses track the CPU trainer's step for step; a
 * NaN is traced to its node by replaying the halted step.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/backends/cpu/backend';
import type { Backend } from '../engine/backends/backend';
import { gpuBackend } from '../engine/backends/webgpu/testing';
import { builtinDataset } from '../engine/data';
import type { GraphDocument } from '../engine/graph/document';
import { makeDoc } from '../engine/testing/docs';
import { Trainer } from './trainer';
import type { MetricPoint, TrainEvent } from './types';

const made: Backend[] = [];
afterAll(() => made.forEach((b) => b.dispose()));

function trainerOn(kind: 'cpu' | 'webgpu') {
  return new Trainer({
    async createBackend() {
      const backend = kind === 'cpu' ? new CpuBackend() : await gpuBackend();
      made.push(backend);
      return { backend, info: { kind, device: backend.device } };
    },
    loadDataset: async (doc: GraphDocument) => builtinDataset(doc.training.dataset, doc.training.seed),
  });
}

async function stepAndCollect(t: Trainer, n: number) {
  const events: TrainEvent[] = [];
  await t.train((e) => events.push(e));
  t.pause();
  await t.stop();
  await t.step(n);
  return { events, points: events.flatMap((e) => (e.type === 'metrics' ? e.points : [])) as MetricPoint[] };
}

const xorDoc = makeDoc(
  [
    ['x', 'Input', { field: 'x', shape: [2] }],
    ['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
    ['h', 'Dense', { units: 16, activation: 'relu' }],
    ['logits', 'Dense', { units: 2 }],
    ['loss', 'SoftmaxCrossEntropy'],
    ['acc', 'Accuracy'],
  ],
  ['x.y -> h.x', 'h.y -> logits.x', 'logits.y -> loss.pred', 'label.y -> loss.target', 'logits.y -> acc.pred', 'label.y -> acc.target'],
  { dataset: { kind: 'xor', size: 120, noise: 0.1 }, optimizer: { type: 'adam' }, lr: 0.02, batchSize: 20, epochs: 20, seed: 2, validationSplit: 0 },
);

describe('the Trainer on WebGPU', () => {
  it('trains from a GPU-resident dataset and its drained losses track the CPU trainer', async () => {
    const cpu = trainerOn('cpu');
    const gpu = trainerOn('webgpu');
    expect((await cpu.open(xorDoc)).ok).toBe(true);
    const report = await gpu.open(xorDoc);
    expect(report.ok).toBe(true);
    expect(report.backend.kind).toBe('webgpu');
    expect(gpu.dataOnDevice).toBe(true);
    expect(cpu.dataOnDevice).toBe(false);

    const { points: onCpu } = await stepAndCollect(cpu, 15);
    const { points: onGpu } = await stepAndCollect(gpu, 15);
    const steps = (ps: MetricPoint[]) => ps.map((p) => p.step);
    expect(steps(onGpu)).toEqual(steps(onCpu));
    expect(onGpu.length).toBeGreaterThanOrEqual(15);
    onGpu.forEach((p, k) => {
      const q = onCpu[k]!;
      expect(Math.abs(p.loss - q.loss)).toBeLessThan(1e-3 * Math.max(1, Math.abs(q.loss)));
      expect(Math.abs(p.gradNorm - q.gradNorm)).toBeLessThan(1e-3 * Math.max(1, q.gradNorm));
      expect(p.metrics.acc).toBeCloseTo(q.metrics.acc!, 5);
    });
  });

  it('pauses on a NaN and names the node where it first appeared', async () => {
    const nanDoc = makeDoc(
      [
        ['x', 'Input', { field: 'x', shape: [2] }],
        ['y', 'Input', { field: 'y', shape: [1] }],
        ['d', 'Dense', { units: 1 }],
        ['lg', 'log'],
        ['loss', 'MSELoss'],
      ],
      ['x.y -> d.x', 'd.y -> lg.x', 'lg.y -> loss.pred', 'y.y -> loss.target'],
      { dataset: { kind: 'plane', size: 100, noise: 0 }, optimizer: { type: 'sgd' }, lr: 0.01, batchSize: 10, epochs: 50, seed: 1 },
    );
    const t = trainerOn('webgpu');
    expect((await t.open(nanDoc)).ok).toBe(true);
    const events: TrainEvent[] = [];
    await t.train((e) => events.push(e));
    const start = Date.now();
    while (t.status.state === 'running' && Date.now() - start < 60_000) await new Promise((r) => setTimeout(r, 5));
    const err = events.find((e) => e.type === 'error');
    expect(err && err.type === 'error' && err.error).toMatchObject({ code: 'nan', node: 'lg' });
    expect(t.status.state).toBe('paused');
  });
});
