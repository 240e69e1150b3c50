/// <reference lib="webworker" />
/**
 * What a benchmark worker offers the suites (`npm run bench` and `bench:scale`): Wiregrad on the CPU
 * (JS or WASM) or this Worker's WebGPU adapter, and tfjs on the backend asked for, all in one dedicated Worker.
 */
import { CpuBackend } from '../../engine/backends/cpu/backend';
import { WasmBackend } from '../../engine/backends/wasm/backend';
import { WebGpuBackend } from '../../engine/backends/webgpu/backend';
import type { BenchEnv } from '../lib/suite';
import { tf } from '../lib/tfjs';
import type { WorkerMessage } from './protocol';
import wasmPlain from '../../node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '../../node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '../../node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

export const post = (m: WorkerMessage) => postMessage(m);

async function adapterInfo(): Promise<Record<string, string> | null> {
  const adapter = await navigator.gpu?.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return null;
  const { vendor, architecture, device, description } = adapter.info;
  return { vendor, architecture, device, description };
}

let wasmLoaded = false;

/** The platform line, the adapter, both Wiregrad backends and tfjs's; progress lines posted to the page. */
export async function workerBenchEnv(): Promise<BenchEnv> {
  const ua = navigator.userAgent.match(/(HeadlessChrome|Chrome|Chromium)\/[\d.]+/)?.[0] ?? navigator.userAgent;
  return {
    platform: `${ua}, dedicated Worker, ${navigator.hardwareConcurrency} logical cores${crossOriginIsolated ? ', cross-origin isolated' : ''}; tfjs ${tf.version.tfjs}`,
    adapter: await adapterInfo(),
    async wiregradBackend(kind) {
      if (kind === 'wasm') return WasmBackend.create({ threads: 1 });
      if (kind === 'wasm-mt') return WasmBackend.create(); // as many threads as the isolated page allows
      return kind === 'cpu' ? new CpuBackend() : WebGpuBackend.create(navigator.gpu);
    },
    async useTfjs(kind) {
      if (kind === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
      if (kind === 'wasm' && !wasmLoaded) {
        const wasm = await import('@tensorflow/tfjs-backend-wasm');
        // The threaded build's pthread workers load the main script classically, which fails for an ES module
        // bundle ("e is not defined"): run tfjs-wasm single-threaded (SIMD), and say so in its note.
        tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
        wasm.setWasmPaths({
          'tfjs-backend-wasm.wasm': wasmPlain,
          'tfjs-backend-wasm-simd.wasm': wasmSimd,
          'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
        });
        wasmLoaded = true;
      }
      if (!(await tf.setBackend(kind))) throw new Error(`tfjs could not start its ${kind} backend`);
      await tf.ready();
      if (kind === 'wasm') {
        const threads = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) ? 'threads' : 'single thread';
        const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) ? 'SIMD' : 'no SIMD';
        return `${simd}, ${threads}`;
      }
      return '';
    },
    log: (line) => post({ kind: 'log', line }),
  };
}
