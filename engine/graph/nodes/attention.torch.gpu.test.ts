/** MultiHeadAttention against PyTorch on the WebGPU backend (SwiftShader through Dawn in Node). */
import { afterAll, describe } from 'vitest';
import type { WebGpuBackend } from '../../backends/webgpu/backend';
import { gpuBackend } from '../../backends/webgpu/testing';
import { attentionMatchesPyTorch } from './attentionTorch';

const made: WebGpuBackend[] = [];
afterAll(() => made.forEach((b) => b.dispose()));

describe('MultiHeadAttention on the WebGPU backend', () => {
  attentionMatchesPyTorch(async () => {
    const b = await gpuBackend();
    made.push(b);
    return b;
  });
});
