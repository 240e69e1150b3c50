/**
 * `wiregrad train` on its other backends, in-process: WebGPU (Dawn; SwiftShader without a GPU) and
 * WASM, their losses tracking the CPU run's step for step. A GPU-tier file: it creates a device.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDoc } from '../engine/testing/docs';
import { cli, eventsIn, scalarSeries, temp, writeDoc } from './testing';

describe('wiregrad train', () => {
  it('--backend webgpu (Dawn; SwiftShader without a GPU) and --backend wasm train, their losses tracking the CPU run', async () => {
    const dir = temp();
    const doc = makeDoc(
      [
        ['x', 'Input', { field: 'x', shape: [2] }],
        ['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
        ['h', 'Dense', { units: 16, activation: 'relu' }],
        ['logits', 'Dense', { units: 2 }],
        ['loss', 'SoftmaxCrossEntropy'],
      ],
      ['x.y -> h.x', 'h.y -> logits.x', 'logits.y -> loss.pred', 'label.y -> loss.target'],
      { dataset: { kind: 'xor', size: 120 }, optimizer: { type: 'adam' }, lr: 0.02, batchSize: 20, steps: 30, seed: 2, validationSplit: 0 },
    );
    const path = writeDoc(dir, doc);
    const losses = async (backend: string) => {
      const logs = join(dir, backend);
      const run = await cli('train', path, '--backend', backend, '--out', join(dir, `${backend}.safetensors`), '--logdir', logs, '--histogram-every', '0');
      expect(run.code).toBe(0);
      return { run, losses: scalarSeries(eventsIn(logs), 'loss') };
    };
    const gpu = await losses('webgpu');
    expect(gpu.run.err).not.toContain('CPU');
    const cpu = await losses('cpu');
    expect(gpu.losses.map(([step]) => step)).toEqual(cpu.losses.map(([step]) => step));
    gpu.losses.forEach(([, loss], i) => expect(Math.abs(loss - cpu.losses[i]![1])).toBeLessThan(1e-4 * Math.max(1, Math.abs(cpu.losses[i]![1]))));
    const wasm = await losses('wasm');
    expect(wasm.run.err).toContain('WASM SIMD, 1 thread');
    expect(wasm.losses.map(([step]) => step)).toEqual(cpu.losses.map(([step]) => step));
    wasm.losses.forEach(([, loss], i) => expect(Math.abs(loss - cpu.losses[i]![1])).toBeLessThan(1e-4 * Math.max(1, Math.abs(cpu.losses[i]![1]))));
  });
});
