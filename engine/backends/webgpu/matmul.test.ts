/**
 * Every GEMM variant of the matmul kernel against the CPU reference: tails (sizes not divisible by
 * the tiles), every transpose combination, vec4-loadable and scalar layouts, batching and
 * broadcasting, thin outputs over a long inner dimension; and the fused epilogue (bias + ReLU).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../cpu/backend';
import type { WebGpuBackend } from './backend';
import { GEMM_VARIANTS } from './kernels/gemm';
import { matmulDispatches, type MatmulEpilogue } from './kernels/matmul';
import type { MatmulVariant } from './kernel';
import { compareWithCpu, expectClose, gpuBackend, runGraph, valuesFor, type Build, type TestInput } from './testing';

const f = (...shape: number[]): TestInput => ({ shape });
const mm =
  (transA = false, transB = false): Build =>
  (b, [x, y]) =>
    b.matmul(x!, y!, transA, transB);

/**
 * [name, inputs, transA, transB, with gradients]: A is [M, K] (or [K, M] when transA), B is [K, N]
 * (or [N, K]). Gradients (which run the other transpose combinations) only where they add a case:
 * SwiftShader compiles each kernel for seconds.
 */
const CASES: [string, TestInput[], boolean, boolean, boolean][] = [
  ['odd sizes', [f(33, 17), f(17, 65)], false, false, true],
  ['odd sizes, Aᵀ Bᵀ', [f(17, 33), f(65, 17)], true, true, false],
  ['multiples of 4 with tails (vec4 loads)', [f(36, 20), f(20, 68)], false, false, true],
  ['multiples of 4, Aᵀ Bᵀ', [f(20, 36), f(68, 20)], true, true, false],
  ['K = 2 mod 4', [f(9, 6), f(6, 12)], false, false, false],
  ['thin output, long K, Aᵀ', [f(700, 8), f(700, 4)], true, false, false],
  ['wide tiles', [f(70, 32), f(32, 130)], false, false, false],
  ['batched with broadcast', [f(2, 1, 5, 8), f(3, 8, 4)], false, false, false],
  ['batched, Bᵀ, 2-D B', [f(2, 3, 4, 12), f(8, 12)], false, true, false],
  ['batched, Aᵀ', [f(3, 8, 12), f(3, 8, 16)], true, false, false],
];

describe.each(GEMM_VARIANTS)('matmul variant %s matches the CPU reference', (variant: MatmulVariant) => {
  let gpu: WebGpuBackend;
  beforeAll(async () => {
    gpu = await gpuBackend({ matmul: variant });
  });
  afterAll(() => gpu?.dispose());
  for (const [name, inputs, ta, tb, grads] of CASES) {
    it(grads ? `${name}, and its gradients` : name, async () => {
      await compareWithCpu(gpu, inputs, mm(ta, tb), { rtol: 1e-4, atol: 1e-4 }, grads);
    });
  }
});

/** Run one dispatch by hand: bind `inputs` then the output, and read the output back. */
async function runDispatch(gpu: WebGpuBackend, code: string, inputs: Float32Array[], outLength: number, workgroups: number): Promise<Float32Array> {
  const device = gpu.gpu;
  const buffers = inputs.map((data) => {
    const b = gpu.createBuffer(data.byteLength, 'test input');
    device.queue.writeBuffer(b, 0, data);
    return b;
  });
  const out = gpu.createBuffer(outLength * 4, 'test output');
  const pipeline = await gpu.pipeline(code, inputs.length, false);
  const bindGroup = device.createBindGroup({
    layout: gpu.layout(inputs.length, false),
    entries: [...buffers, out].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(workgroups);
  pass.end();
  device.queue.submit([encoder.finish()]);
  const data = await gpu.readBuffer(out, { shape: [outLength], dtype: 'f32' });
  [...buffers, out].forEach((b) => gpu.destroyBuffer(b));
  return data as Float32Array;
}

describe('the matmul epilogue', () => {
  const reluBias: MatmulEpilogue = { extraInputs: 1, expr: (acc, _row, col) => `max(${acc} + e0[${col}], 0.0)` };
  const shapes: [string, number[], number[], boolean, boolean][] = [
    ['2-D with tails', [33, 20], [20, 13], false, false],
    ['batched', [2, 5, 8], [8, 6], false, false],
  ];
  for (const variant of GEMM_VARIANTS) {
    for (const [name, aShape, bShape, transA, transB] of shapes) {
      it(`bias + ReLU, ${variant}, ${name}: relu(a·b + bias) as on the CPU`, async () => {
        const gpu = await gpuBackend({ matmul: variant });
        try {
          const n = transB ? bShape[0]! : bShape[1]!;
          const inputs: TestInput[] = [{ shape: aShape }, { shape: bShape }, { shape: [n] }];
          const expected = await runGraph(new CpuBackend(), inputs, (b, [x, y, bias]) => b.relu(b.add(b.matmul(x!, y!, transA, transB), bias!)), false);
          const outShape = [...aShape.slice(0, -1), n];
          const [d] = matmulDispatches(
            {
              inputs: [
                { shape: aShape, dtype: 'f32' },
                { shape: bShape, dtype: 'f32' },
              ],
              attrs: { transA, transB },
              out: { shape: outShape, dtype: 'f32' },
              options: gpu.options,
            },
            reluBias,
          );
          expect(d!.inputs).toEqual([0, 1, 2]);
          const data = inputs.map((inp, i) => valuesFor(inp, i + 1) as Float32Array);
          const actual = await runDispatch(
            gpu,
            d!.code,
            data,
            outShape.reduce((p, q) => p * q, 1),
            d!.workgroups,
          );
          expect(actual.some((v) => v === 0) && actual.some((v) => v > 0)).toBe(true); // the ReLU did cut something
          expectClose(actual, expected.data[0]!, 'relu(a·b + bias)', 1e-4, 1e-4);
        } finally {
          gpu.dispose();
        }
      });
    }
  }
});
