/**
 * The backend a command-line run trains on: WebGPU through Dawn (the `webgpu` package) when it finds
 * an adapter, else the WASM CPU backend (or the JS reference where WebAssembly cannot start) — the worker's own choice (workers/backends.ts), with
 * Dawn standing in for navigator.gpu. The launcher (wiregrad.mjs) points Vulkan at Chromium's
 * SwiftShader on machines without a Vulkan loader of their own.
 */
import { createBestBackend } from '../workers/backends';
import type { Backend } from '../engine/backends/backend';
import type { BackendInfo } from '../workers/types';

/** What `--backend` asks for: auto (WebGPU when there is an adapter, else the WASM CPU backend), or one of them. */
export type BackendChoice = 'auto' | 'webgpu' | 'wasm' | 'cpu';

/** The backend could not be had as asked (WebGPU demanded where there is none). */
export class BackendUnavailable extends Error {}

/**
 * The process's one Dawn instance. It must outlive every device made from it: collected while a
 * device works, Dawn crashes (an abort or a segfault mid-step). It also keeps Node alive, so the CLI
 * exits explicitly.
 */
let instance: GPU | undefined;

async function dawn(): Promise<GPU | undefined> {
  if (instance) return instance;
  try {
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    // DAWN_FLAGS (comma-separated, e.g. backend=vulkan), as bench:node takes them.
    const flags = (process.env.DAWN_FLAGS ?? '')
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean);
    instance = create(flags);
    return instance;
  } catch {
    return undefined; // no prebuilt Dawn for this platform
  }
}

export async function createBackend(choice: BackendChoice): Promise<{ backend: Backend; info: BackendInfo }> {
  if (choice === 'cpu') return createBestBackend('cpu');
  if (choice === 'wasm') {
    const got = await createBestBackend('wasm');
    if (got.info.fallbackReason === 'WASM chosen') return got;
    got.backend.dispose();
    throw new BackendUnavailable(`--backend wasm: ${got.info.fallbackReason}`);
  }
  const gpu = await dawn();
  const got = await createBestBackend('auto', gpu);
  if (choice === 'webgpu' && got.info.kind !== 'webgpu') {
    got.backend.dispose();
    throw new BackendUnavailable(`--backend webgpu: ${gpu ? got.info.fallbackReason : 'the webgpu package (Dawn) has no build for this platform'}`);
  }
  if (!gpu && got.info.kind === 'cpu') return { ...got, info: { ...got.info, fallbackReason: 'Dawn (the webgpu package) could not load here' } };
  return got;
}
