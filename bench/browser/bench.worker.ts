/// <reference lib="webworker" />
/**
 * The benchmark worker: every implementation runs here, in one dedicated Worker on one adapter, as
 * the studio's training does. Receives the options (URL query of the page), posts progress lines
 * and the report.
 */
import { CpuBackend } from '../../engine/backends/cpu/backend';
import { WebGpuBackend } from '../../engine/backends/webgpu/backend';
import { parseOptions } from '../lib/options';
import { formatReport } from '../lib/report';
import { runSuite, type BenchEnv } from '../lib/suite';
import { tf } from '../lib/tfjs';
import { engineSteps } from './engine-steps';
import type { WorkerMessage } from './protocol';
import wasmPlain from '../../node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '../../node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '../../node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

const post = (m: WorkerMessage) => postMessage(m);

async function adapterInfo(): Promise<Record<string, string> | null> {
  const adapter = await navigator.gpu?.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return null;
  const { vendor, architecture, device, description } = adapter.info;
  return { vendor, architecture, device, description };
}

let wasmLoaded = false;

async function main(query: Record<string, string>): Promise<void> {
  const opts = parseOptions((name) => query[name]);
  const ua = navigator.userAgent.match(/(HeadlessChrome|Chrome|Chromium)\/[\d.]+/)?.[0] ?? navigator.userAgent;
  const env: BenchEnv = {
    platform: `${ua}, dedicated Worker, ${navigator.hardwareConcurrency} logical cores${crossOriginIsolated ? ', cross-origin isolated' : ''}; tfjs ${tf.version.tfjs}`,
    adapter: await adapterInfo(),
    async wiregradBackend(kind) {
      return kind === 'cpu' ? new CpuBackend() : WebGpuBackend.create(navigator.gpu);
    },
    async useTfjs(kind) {
      if (kind === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
      if (kind === 'wasm' && !wasmLoaded) {
        const wasm = await import('@tensorflow/tfjs-backend-wasm');
        // The threaded build's pthread workers load the main script classically, which fails for an ES module
        // bundle ("e is not defined"): run tfjs-wasm single-threaded (SIMD), and say so in its note.
        tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
        wasm.setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });
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
  post({ kind: 'report', text: formatReport(await runSuite(env, opts)) });
}

/** `?mode=engine&template=…&seconds=…&data=<app origin>`: only the engine-alone steps/s for bench:app. */
async function engine(query: Record<string, string>): Promise<void> {
  const run = await engineSteps(query.template ?? 'mlp-mnist', Number(query.seconds ?? 30), query.data ?? location.origin, (line) => post({ kind: 'log', line }));
  post({ kind: 'report', text: JSON.stringify(run) });
}

addEventListener('message', (e: MessageEvent<Record<string, string>>) => {
  (e.data.mode === 'engine' ? engine(e.data) : main(e.data)).catch((err: unknown) => post({ kind: 'error', message: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) }));
}, { once: true });
