/** Backend choice: WebGPU when an adapter answers, else the CPU with the reason in the user's words. */
import { describe, expect, it } from 'vitest';
import { dawn } from '../engine/backends/webgpu/testing';
import { createBestBackend } from './backends';

describe('createBestBackend', () => {
  it('picks WebGPU when the adapter gives a device', async () => {
    const { backend, info } = await createBestBackend('auto', dawn());
    expect([backend.kind, info.kind, info.fallbackReason]).toEqual(['webgpu', 'webgpu', undefined]);
    backend.dispose();
  });

  it('falls back to the CPU, saying why, when there is no WebGPU or no adapter', async () => {
    const none = await createBestBackend('auto', undefined);
    expect([none.backend.kind, none.info.fallbackReason]).toEqual(['cpu', 'this browser has no WebGPU']);
    const noAdapter = { requestAdapter: async () => null } as unknown as GPU;
    const missing = await createBestBackend('auto', noAdapter);
    expect(missing.backend.kind).toBe('cpu');
    expect(missing.info.fallbackReason).toMatch(/^WebGPU found no adapter/);
  });

  it('uses the CPU when asked, without touching WebGPU', async () => {
    const { info } = await createBestBackend('cpu', { requestAdapter: () => expect.fail('asked for an adapter') } as unknown as GPU);
    expect(info).toEqual({ kind: 'cpu', device: 'CPU (JavaScript)', fallbackReason: 'CPU chosen' });
  });
});
