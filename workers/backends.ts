import { BackendError, type Backend } from '../engine/backends/backend';
import { CpuBackend } from '../engine/backends/cpu/backend';
import type { TuneStore } from '../engine/backends/webgpu/kernel';
import type { BackendInfo } from './types';

/**
 * WebGPU when the browser offers an adapter, else the CPU backend — with the reason said (`gpu`
 * is navigator.gpu unless given).
 */
export async function createBestBackend(
  prefer: 'auto' | 'cpu' = 'auto',
  gpu: GPU | undefined = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu,
  tuneStore?: TuneStore,
): Promise<{ backend: Backend; info: BackendInfo }> {
  const cpu = () => {
    const backend = new CpuBackend();
    return { backend, device: backend.device };
  };
  if (prefer === 'cpu') {
    const { backend, device } = cpu();
    return { backend, info: { kind: 'cpu', device, fallbackReason: 'CPU chosen' } };
  }
  let reason = 'this browser has no WebGPU';
  if (gpu) {
    try {
      const { WebGpuBackend } = await import('../engine/backends/webgpu/backend');
      const backend = await WebGpuBackend.create(gpu, tuneStore ? { tuneStore } : {});
      const { maxBufferSize, maxStorageBufferBindingSize } = backend.gpu.limits;
      return { backend, info: { kind: 'webgpu', device: backend.device, limits: { maxBufferSize, maxStorageBufferBindingSize } } };
    } catch (e) {
      // 'unavailable' already says why in the user's words (no adapter, no device).
      reason = e instanceof BackendError && e.code === 'unavailable' ? e.message : `WebGPU failed to start: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  const { backend, device } = cpu();
  return { backend, info: { kind: 'cpu', device, fallbackReason: reason } };
}
