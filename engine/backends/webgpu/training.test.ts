/**
 * Whole programs on the GPU: the classic 2-layer example trains in step with the CPU reference,
 * and a training loop (runs, scalar-log drains, NaN counts) holds a fixed set of GPU buffers
 * (memory is planned once, nothing leaks).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Program } from '../../compile/program';
import { builtinDataset } from '../../data';
import { twoLayerDoc } from '../../testing/docs';
import { CpuBackend } from '../cpu/backend';
import type { WebGpuBackend } from './backend';
import { expectClose, gpuBackend, mlpTrainingStep } from './testing';

const doc = twoLayerDoc({ n: 16, dIn: 100, h: 20, dOut: 4, lr: 1e-4 });
const data = builtinDataset(doc.training.dataset, doc.training.seed);
const batch = { x: data.data.x!, y: data.data.y! };

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await gpuBackend();
});
afterAll(() => gpu?.dispose());

describe('the 2-layer ReLU network trained on the GPU', () => {
  it('tracks the CPU reference loss step for step for 20 steps', async () => {
    const cpu = await Program.create(doc, new CpuBackend());
    const onGpu = await Program.create(doc, gpu);
    expect(gpu.kind).toBe('webgpu');
    const losses: number[] = [];
    for (let s = 0; s < 20; s++) {
      const expected = await cpu.step(batch);
      const actual = await onGpu.step(batch);
      expect(Math.abs(actual / expected - 1), `step ${s}: GPU ${actual}, CPU ${expected}`).toBeLessThan(1e-3);
      losses.push(actual);
    }
    expect(losses[19]).toBeLessThan(losses[0]! / 2); // it does learn: the comparison is not of two constants
    const [wc, wg] = [await cpu.getWeights(), await onGpu.getWeights()];
    for (const name of Object.keys(wc)) expectClose(wg[name]!, wc[name]!, name, 1e-3, 1e-4);
    const [gc, gg] = [await cpu.read('w1', 'grad'), await onGpu.read('w1', 'grad')];
    expectClose(gg.data, gc.data, 'w1 grad', 1e-3, 1e-3);
  });

  it('holds the same GPU buffers and bytes after 10 and after 1000 steps, scalar log and NaN counts included', async () => {
    const backend = await gpuBackend(); // its own device: fresh variables, exact counts
    try {
      const step = mlpTrainingStep(backend);
      const exec = await backend.prepare(step.graph, step.spec);
      const before = { buffers: backend.liveBuffers, bytes: backend.liveBytes };
      let logged = 0;
      const train = async (from: number, to: number) => {
        for (let s = from; s < to; s++) {
          exec.run(step.feeds(s));
          if (s % 50 === 49) logged += (await exec.drainScalars()).length;
        }
        logged += (await exec.drainScalars()).length;
        expect(await exec.countNonFinite(step.grads)).toEqual(step.grads.map(() => 0));
        await exec.settled();
      };
      await train(0, 10);
      const after10 = { buffers: backend.liveBuffers, bytes: backend.liveBytes };
      await train(10, 1000);
      expect(logged).toBe(1000); // every step logged once
      expect({ buffers: backend.liveBuffers, bytes: backend.liveBytes }).toEqual(after10);
      // The log's ring and staging, the counter's buffers, staging for reads: a handful, made once.
      expect(after10.buffers - before.buffers).toBeLessThanOrEqual(5);
      exec.dispose();
      expect(backend.liveBuffers).toBeLessThan(before.buffers);
    } finally {
      backend.dispose();
    }
    expect(backend.liveBuffers).toBe(0);
    expect(backend.liveBytes).toBe(0);
  });
});
