/** MultiHeadAttention against PyTorch on the CPU reference backend (the WebGPU run: attention.torch.gpu.test.ts). */
import { describe } from 'vitest';
import { CpuBackend } from '../../backends/cpu/backend';
import { attentionMatchesPyTorch } from './attentionTorch';

describe('MultiHeadAttention on the CPU backend', () => {
  attentionMatchesPyTorch(() => new CpuBackend());
});
