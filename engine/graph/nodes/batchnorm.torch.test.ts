/** BatchNorm against PyTorch on the CPU reference backend (the WebGPU run: batchnorm.torch.gpu.test.ts). */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../backends/cpu/backend';
import { getNodeSpec } from './index';
import { batchNormMatchesPyTorch, TORCH_BATCHNORM } from './batchnormTorch';

describe('BatchNorm on the CPU backend', () => {
  it("has PyTorch's defaults: momentum 0.1 (the new batch's weight), epsilon 1e-5", () => {
    const defaults = getNodeSpec('BatchNorm')!.params.parse({}) as { momentum: number; epsilon: number };
    for (const c of TORCH_BATCHNORM.cases) {
      expect(defaults.momentum).toBeCloseTo(c.defaults.momentum, 12);
      expect(defaults.epsilon).toBeCloseTo(c.defaults.eps, 12);
    }
  });
  batchNormMatchesPyTorch(() => new CpuBackend());
});
