/** Backend choice: WebGPU when an adapter answers, else the WASM CPU backend (else the JS one), with the reason in the user's words. */
import { describe, expect, it, vi } from 'vitest';
import { CpuBackend } from '../engine/backends/cpu/backend';
import { WasmBackend } from '../engine/backends/wasm/backend';
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
    expect([none.backend.kind, none.info.device, none.info.fallbackReason]).toEqual(['cpu', 'WASM SIMD, 1 thread', 'this browser has no WebGPU']);
    expect(none.backend).toBeInstanceOf(WasmBackend);
    const noAdapter = { requestAdapter: async () => null } as unknown as GPU;
    const missing = await createBestBackend('auto', noAdapter);
    expect(missing.backend).toBeInstanceOf(WasmBackend);
    expect(missing.info.fallbackReason).toMatch(/^WebGPU found no adapter/);
  });

  it('falls back to the JS CPU backend, saying why, when WebAssembly cannot start', async () => {
    const real = globalThis.WebAssembly;
    const broken = { ...real, instantiate: () => Promise.reject(new Error("Refused to compile: 'wasm-unsafe-eval' is not allowed")) };
    Object.defineProperty(globalThis, 'WebAssembly', { value: broken, configurable: true, writable: true });
    try {
      const { backend, info } = await createBestBackend('auto', undefined);
      expect(backend).toBeInstanceOf(CpuBackend);
      expect(info.device).toBe('CPU (JavaScript)');
      expect(info.fallbackReason).toBe("this browser has no WebGPU; WebAssembly could not start: Refused to compile: 'wasm-unsafe-eval' is not allowed");
    } finally {
      Object.defineProperty(globalThis, 'WebAssembly', { value: real, configurable: true, writable: true });
    }
  });

  it('uses the WASM backend when asked', async () => {
    const { backend, info } = await createBestBackend('wasm', { requestAdapter: () => expect.fail('asked for an adapter') } as unknown as GPU);
    expect(backend).toBeInstanceOf(WasmBackend);
    expect(info).toEqual({ kind: 'cpu', device: 'WASM SIMD, 1 thread', fallbackReason: 'WASM chosen' });
  });

  it('says the WASM backend runs one thread because the page is not cross-origin isolated', async () => {
    vi.stubGlobal('crossOriginIsolated', false);
    try {
      const { backend, info } = await createBestBackend('auto', undefined);
      expect(info).toEqual({ kind: 'cpu', device: 'WASM SIMD, 1 thread (page not cross-origin isolated)', fallbackReason: 'this browser has no WebGPU' });
      backend.dispose();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('uses the CPU when asked, without touching WebGPU', async () => {
    const { info } = await createBestBackend('cpu', { requestAdapter: () => expect.fail('asked for an adapter') } as unknown as GPU);
    expect(info).toEqual({ kind: 'cpu', device: 'CPU (JavaScript)', fallbackReason: 'CPU chosen' });
  });
});
