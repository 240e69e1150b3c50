import type { Backend } from '../engine/backends/backend';
import { CpuBackend } from '../engine/backends/cpu/backend';
import type { BackendInfo } from './types';

/** WebGPU when the browser offers an adapter, else the CPU backend — with the reason said. */
export async function createBestBackend(prefer: 'auto' | 'cpu' = 'auto'): Promise<{ backend: Backend; info: BackendInfo }> {
  const cpu = () => {
    const backend = new CpuBackend();
    return { backend, device: backend.device };
  };
  if (prefer === 'cpu') {
    const { backend, device } = cpu();
    return { backend, info: { kind: 'cpu', device, fallbackReason: 'CPU chosen' } };
  }
  let reason = 'this browser has no WebGPU';
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (gpu) {
    try {
      const { WebGpuBackend } = await import('../engine/backends/webgpu/backend');
      const backend = await WebGpuBackend.create(gpu);
      return { backend, info: { kind: 'webgpu', device: backend.device } };
    } catch (e) {
      reason = `WebGPU failed to start: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  const { backend, device } = cpu();
  return { backend, info: { kind: 'cpu', device, fallbackReason: reason } };
}
