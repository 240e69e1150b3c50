import { BackendError, type Backend } from '../engine/backends/backend';
import { CpuBackend } from '../engine/backends/cpu/backend';
import type { TuneStore } from '../engine/backends/webgpu/kernel';
import type { BackendInfo } from './types';

/** Which backend to start: the best there is ('auto'), the WASM CPU backend, or the JS reference. */
export type BackendPreference = 'auto' | 'wasm' | 'cpu';

const why = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The WASM backend (SIMD kernels; its device says how many threads), else the JS reference with the
 * reason WebAssembly could not start (no WebAssembly, no SIMD, a policy that forbids compiling it).
 */
async function cpuBackend(reason: string): Promise<{ backend: Backend; info: BackendInfo }> {
  try {
    const { WasmBackend } = await import('../engine/backends/wasm/backend');
    const backend = await WasmBackend.create();
    return { backend, info: { kind: 'cpu', device: backend.device, fallbackReason: reason } };
  } catch (e) {
    const backend = new CpuBackend();
    return { backend, info: { kind: 'cpu', device: backend.device, fallbackReason: `${reason}; ${why(e)}` } };
  }
}

/**
 * WebGPU when the browser offers an adapter, else the WASM CPU backend, else the JS one — with the
 * reason said (`gpu` is navigator.gpu unless given). 'cpu' is the JS reference, 'wasm' the WASM one.
 */
export async function createBestBackend(
  prefer: BackendPreference = 'auto',
  gpu: GPU | undefined = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu,
  tuneStore?: TuneStore,
): Promise<{ backend: Backend; info: BackendInfo }> {
  if (prefer === 'cpu') {
    const backend = new CpuBackend();
    return { backend, info: { kind: 'cpu', device: backend.device, fallbackReason: 'CPU chosen' } };
  }
  if (prefer === 'wasm') return cpuBackend('WASM chosen');
  let reason = 'this browser has no WebGPU';
  if (gpu) {
    try {
      const { WebGpuBackend } = await import('../engine/backends/webgpu/backend');
      const backend = await WebGpuBackend.create(gpu, tuneStore ? { tuneStore } : {});
      const { maxBufferSize, maxStorageBufferBindingSize } = backend.gpu.limits;
      return { backend, info: { kind: 'webgpu', device: backend.device, limits: { maxBufferSize, maxStorageBufferBindingSize } } };
    } catch (e) {
      // 'unavailable' already says why in the user's words (no adapter, no device).
      reason = e instanceof BackendError && e.code === 'unavailable' ? e.message : `WebGPU failed to start: ${why(e)}`;
    }
  }
  return cpuBackend(reason);
}
