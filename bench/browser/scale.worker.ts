/// <reference lib="webworker" />
/**
 * The bench:scale worker (the page's `?suite=scale`): the scaling grid on Wiregrad and TensorFlow.js,
 * all in this one Worker on one adapter. Posts progress lines, then a report whose text is JSON:
 * { report: the printed report, svg: the plot }.
 */
import { CpuBackend } from '../../engine/backends/cpu/backend';
import { WebGpuBackend } from '../../engine/backends/webgpu/backend';
import type { BenchEnv } from '../lib/suite';
import { tf } from '../lib/tfjs';
import { scaleChartSvg } from '../scale/chart';
import { parseScaleOptions } from '../scale/options';
import { formatScaleReport } from '../scale/report';
import { runScale } from '../scale/run';
import type { WorkerMessage } from './protocol';
import wasmPlain from '../../node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '../../node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '../../node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

const post = (m: WorkerMessage) => postMessage(m);
let wasmLoaded = false;

async function adapterInfo(): Promise<Record<string, string> | null> {
  const adapter = await navigator.gpu?.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return null;
  const { vendor, architecture, device, description } = adapter.info;
  return { vendor, architecture, device, description };
}

/** The same host as `npm run bench`'s worker (bench.worker.ts): one Worker, tfjs-wasm single-threaded SIMD. */
async function scaleEnv(): Promise<BenchEnv> {
  const ua = navigator.userAgent.match(/(HeadlessChrome|Chrome|Chromium)\/[\d.]+/)?.[0] ?? navigator.userAgent;
  return {
    platform: `${ua}, dedicated Worker, ${navigator.hardwareConcurrency} logical cores${crossOriginIsolated ? ', cross-origin isolated' : ''}; tfjs ${tf.version.tfjs}`,
    adapter: await adapterInfo(),
    async wiregradBackend(kind) {
      return kind === 'cpu' ? new CpuBackend() : WebGpuBackend.create(navigator.gpu);
    },
    async useTfjs(kind) {
      if (kind === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
      if (kind === 'wasm' && !wasmLoaded) {
        const wasm = await import('@tensorflow/tfjs-backend-wasm');
        // As in bench.worker.ts: the threaded build's pthread workers cannot load an ES module bundle.
        tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
        wasm.setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });
        wasmLoaded = true;
      }
      if (!(await tf.setBackend(kind))) throw new Error(`tfjs could not start its ${kind} backend`);
      await tf.ready();
      if (kind !== 'wasm') return '';
      const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) ? 'SIMD' : 'no SIMD';
      return `${simd}, single thread`;
    },
    log: (line) => post({ kind: 'log', line }),
  };
}

addEventListener('message', (e: MessageEvent<Record<string, string>>) => {
  const query = e.data;
  (async () => {
    const result = await runScale(await scaleEnv(), parseScaleOptions((name) => query[name]));
    post({ kind: 'report', text: JSON.stringify({ report: formatScaleReport(result), svg: scaleChartSvg(result) }) });
  })().catch((err: unknown) => post({ kind: 'error', message: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) }));
}, { once: true });
