/**
 * conv2d and its gradient ops (implicit GEMMs) in every GEMM variant against the CPU reference:
 * padding, strides, dilation, channel groups, 1×1 pointwise convolutions (plain matmuls), and
 * channel counts that do and do not allow vec4 loads. compareWithCpu also checks the gradients,
 * which runs conv2d_grad_input and conv2d_grad_filter.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { ConvAttrs } from '../../ops/types';
import type { WebGpuBackend } from './backend';
import type { MatmulVariant } from './kernel';
import { GEMM_VARIANTS } from './kernels/gemm';
import { compareWithCpu, gpuBackend, type TestInput } from './testing';

const f = (...shape: number[]): TestInput => ({ shape });
const attrs = (stride: [number, number], padding: [number, number, number, number], dilation: [number, number] = [1, 1], groups = 1): ConvAttrs => ({
  stride,
  padding,
  dilation,
  groups,
});

/** [name, x NHWC, w HWIO, attrs] */
const CASES: [string, TestInput, TestInput, ConvAttrs][] = [
  ['5×5 same padding, one channel (LeNet first layer)', f(2, 9, 9, 1), f(5, 5, 1, 6), attrs([1, 1], [2, 2, 2, 2])],
  ['groups 2, padding 1', f(2, 5, 6, 4), f(3, 3, 2, 6), attrs([1, 1], [1, 1, 1, 1], [1, 1], 2)],
  ['stride 2×1, dilation 2×1, uneven padding', f(1, 7, 6, 3), f(2, 3, 3, 5), attrs([2, 1], [1, 0, 0, 1], [2, 1])],
  ['channels of 8 (vec4 loads), valid', f(2, 6, 6, 8), f(3, 3, 8, 8), attrs([1, 1], [0, 0, 0, 0])],
  ['groups 2 of 4 channels each (aligned group offsets)', f(1, 5, 5, 8), f(3, 3, 4, 8), attrs([1, 1], [1, 1, 1, 1], [1, 1], 2)],
  ['1×1 pointwise (plain matmul)', f(2, 5, 3, 8), f(1, 1, 8, 12), attrs([1, 1], [0, 0, 0, 0])],
  ['1×1 pointwise, groups 3, odd channels', f(1, 4, 3, 9), f(1, 1, 3, 6), attrs([1, 1], [0, 0, 0, 0], [1, 1], 3)],
  ['1×1 stride 2 (not pointwise)', f(1, 5, 5, 4), f(1, 1, 4, 4), attrs([2, 2], [0, 0, 0, 0])],
];

/**
 * Which cases each variant runs: all for 'register'; register_wide differs from it only on dense
 * (1×1) operands; the barrier variants compile for many seconds per kernel on SwiftShader, so they
 * get a cross-section (padding, stride and dilation, groups, pointwise).
 */
const PLAN: [MatmulVariant, typeof CASES][] = GEMM_VARIANTS.map((v) => [
  v,
  v === 'register' ? CASES : v === 'register_wide' ? CASES.filter(([n]) => n.startsWith('1×1 pointwise')) : [CASES[1]!, CASES[2]!, CASES[6]!],
]);

describe.each(PLAN)('conv2d as an implicit GEMM, variant %s, matches the CPU reference', (variant, cases) => {
  let gpu: WebGpuBackend;
  beforeAll(async () => {
    gpu = await gpuBackend({ matmul: variant });
  });
  afterAll(() => gpu?.dispose());
  for (const [name, x, w, a] of cases) {
    it(`${name}, with both gradients`, async () => {
      await compareWithCpu(gpu, [x, w], (b, [p, q]) => b.conv2d(p!, q!, a), { rtol: 1e-4, atol: 1e-4 });
    });
  }
});
