/** RNN, LSTM and GRU against PyTorch on the WebGPU backend (SwiftShader through Dawn in Node). */
import { afterAll, describe } from 'vitest';
import type { WebGpuBackend } from '../../backends/webgpu/backend';
import { gpuBackend } from '../../backends/webgpu/testing';
import { recurrentMatchesPyTorch } from './recurrentTorch';

const made: WebGpuBackend[] = [];
afterAll(() => made.forEach((b) => b.dispose()));

describe('recurrent layers on the WebGPU backend', () => {
  recurrentMatchesPyTorch(async () => {
    const b = await gpuBackend();
    made.push(b);
    return b;
  });
});
