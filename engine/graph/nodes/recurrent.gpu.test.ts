/**
 * The recurrent layers, Conv1D and GlobalAveragePool1D on the WebGPU backend against the CPU
 * reference: one training step of a stack over 12 time steps (long enough that the gradient of
 * weight_hh sums 11 per-step matmuls, the pattern that matmul-epilogue fusion must not split
 * across overlapping chains), comparing the loss, every node's output and every parameter's
 * gradient. (Short sequences against PyTorch: recurrent.torch.gpu.test.ts.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../backends/backend';
import { CpuBackend } from '../../backends/cpu/backend';
import type { WebGpuBackend } from '../../backends/webgpu/backend';
import { gpuBackend } from '../../backends/webgpu/testing';
import { Program } from '../../compile/program';
import { makeDoc } from '../../testing/docs';

const made: WebGpuBackend[] = [];
afterAll(() => made.forEach((b) => b.dispose()));

const T = 12;
const doc = makeDoc(
  [
    ['x', 'Input', { field: 'x', shape: [T, 3] }],
    ['conv', 'Conv1D', { filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }],
    ['lstm', 'LSTM', { units: 5 }],
    ['gru', 'GRU', { units: 4 }],
    ['rnn', 'RNN', { units: 3, returnSequences: false }],
    ['pool', 'GlobalAveragePool1D', {}],
    ['cat', 'Concat', { axis: -1 }],
    ['t', 'Input', { field: 't', shape: [7] }],
    ['loss', 'MSELoss', {}],
  ],
  [
    'x.y -> conv.x',
    'conv.y -> lstm.x',
    'lstm.y -> gru.x',
    'gru.y -> rnn.x',
    'gru.y -> pool.x',
    'rnn.y -> cat.inputs',
    'pool.y -> cat.inputs',
    'cat.y -> loss.pred',
    't.y -> loss.target',
  ],
  { batchSize: 3, optimizer: { type: 'sgd' }, lr: 0.1, seed: 4 },
);

async function stepOn(backend: Backend) {
  const program = await Program.create(doc, backend);
  const x = Float32Array.from({ length: 3 * T * 3 }, (_v, i) => Math.sin(i * 0.7) * 1.5);
  const t = Float32Array.from({ length: 3 * 7 }, (_v, i) => Math.cos(i));
  const loss = await program.step({ x, t });
  const outputs = Object.fromEntries(
    await Promise.all(['conv', 'lstm', 'gru', 'rnn', 'pool'].map(async (n) => [n, Array.from((await program.read(n)).data)] as const)),
  );
  const grads = Object.fromEntries(Object.entries(await program.readGradients()).map(([k, v]) => [k, Array.from(v)]));
  program.dispose();
  return { loss, outputs, grads };
}

describe('recurrent layers on WebGPU against the CPU reference', () => {
  it(`a Conv1D → LSTM → GRU → RNN / pooling stack over ${T} steps: loss, outputs and every gradient agree`, async () => {
    const gpu = await gpuBackend();
    made.push(gpu);
    const [want, got] = [await stepOn(new CpuBackend()), await stepOn(gpu)];
    expect(got.loss).toBeCloseTo(want.loss, 5);
    for (const [name, values] of [...Object.entries(want.outputs), ...Object.entries(want.grads)]) {
      const other = got.outputs[name] ?? got.grads[name]!;
      expect(other.length, name).toBe(values.length);
      const worst = values.reduce((w, v, i) => Math.max(w, Math.abs(v - other[i]!)), 0);
      expect(worst, `${name}: largest difference from the CPU`).toBeLessThan(2e-5);
    }
    expect(Object.keys(want.grads)).toEqual(expect.arrayContaining(['lstm/weight_hh', 'gru/bias_hh', 'rnn/weight_ih', 'conv/kernel']));
  });
});
