/**
 * `npm run bench:node`: the MLP, CNN and matmul comparison in Node — Wiregrad on WebGPU through
 * Dawn (the `webgpu` package) and on its CPU backend, against TensorFlow.js's CPU and WASM backends
 * (and its WebGPU backend on the same Dawn adapter, when it starts). Same table and `BENCH` line as
 * `npm run bench`. With `--suite scale` first, bench:scale's grid instead (the same tables, BENCH line
 * and plot as in the browser; the plot is written to $BENCH_SCALE_OUT, default bench/out/scale-node).
 * scripts/bundle-bench-node.mjs makes this one self-contained file for a GPU box.
 *
 *   npm run bench:node -- [--steps auto|N] [--impls …] [--matmul …]   (--help lists them)
 *   npm run bench:node -- --suite scale [--quick 1] [--total-budget ms] …
 *
 * Dawn needs a Vulkan driver (without a GPU: Chromium's SwiftShader, see vulkanFallbackNote); DAWN_FLAGS
 * passes flags to Dawn, e.g. DAWN_FLAGS=backend=opengles.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import process from 'node:process';
import { create, globals } from 'webgpu';
import { CpuBackend } from '../engine/backends/cpu/backend';
import { MAX_THREADS, WasmBackend } from '../engine/backends/wasm/backend';
import { spawnNodeThread } from '../engine/backends/wasm/nodeThreads';
import { WebGpuBackend } from '../engine/backends/webgpu/backend';
import { argvOrEnv, parseOptions, type BenchOptions } from './lib/options';
import { formatReport } from './lib/report';
import { runSuite, type BenchEnv } from './lib/suite';
import { tf } from './lib/tfjs';
import { wasmDir } from './node/wasm-files';
import { scaleChartSvg } from './scale/chart';
import { parseScaleOptions, scaleOptionsFromArgv, type ScaleOptions } from './scale/options';
import { formatScaleReport } from './scale/report';
import { runScale } from './scale/run';

/** Where Debian's Chromium keeps libvulkan.so.1 and SwiftShader, a software Vulkan driver. */
const CHROMIUM_LIB = '/usr/lib/chromium';
const SWIFTSHADER_ICD = `${CHROMIUM_LIB}/vk_swiftshader_icd.json`;

/** Dawn dlopens libvulkan: without a GPU driver, point it at Chromium's SwiftShader (if this machine has one). */
function vulkanFallbackNote(): string {
  if (process.env.VK_ICD_FILENAMES || !existsSync(SWIFTSHADER_ICD)) return '';
  return `no adapter found; for SwiftShader run with LD_LIBRARY_PATH=${CHROMIUM_LIB} VK_ICD_FILENAMES=${SWIFTSHADER_ICD}`;
}

/**
 * With no adapter and no Vulkan settings, run this same command again on SwiftShader (the dynamic
 * loader reads LD_LIBRARY_PATH only at start, so it takes a new process). Resolves only if it did not.
 */
async function rerunOnSwiftShader(): Promise<void> {
  if (process.env.VK_ICD_FILENAMES || process.env.WIREGRAD_BENCH_RERUN || !existsSync(SWIFTSHADER_ICD)) return;
  console.error(`[bench] no WebGPU adapter: running again on SwiftShader (VK_ICD_FILENAMES=${SWIFTSHADER_ICD})`);
  const env = {
    ...process.env,
    LD_LIBRARY_PATH: [CHROMIUM_LIB, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
    VK_ICD_FILENAMES: SWIFTSHADER_ICD,
    XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp',
    WIREGRAD_BENCH_RERUN: '1',
  };
  const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
  process.exit(child.status ?? 1);
}

const argv = process.argv.slice(2);
const scaleSuite = argv[0] === '--suite=scale' || (argv[0] === '--suite' && argv[1] === 'scale');
let opts: BenchOptions | undefined;
let scaleOpts: ScaleOptions | undefined;
try {
  if (scaleSuite) scaleOpts = parseScaleOptions(scaleOptionsFromArgv(argv.slice(argv[0] === '--suite' ? 2 : 1), process.env));
  else if (argv[0] === '--suite' || argv[0]?.startsWith('--suite='))
    throw new Error(`--suite takes scale (first), or leave it out for the MLP/CNN/matmul suite`);
  else opts = parseOptions(argvOrEnv(argv, process.env));
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(2);
}

Object.assign(globalThis, globals);
// DAWN_FLAGS (comma-separated, e.g. backend=vulkan or adapter=NVIDIA) pass through to Dawn's create().
const dawnFlags = (process.env.DAWN_FLAGS ?? '')
  .split(',')
  .map((f) => f.trim())
  .filter(Boolean);
const gpu: GPU = create(dawnFlags);
// tfjs-backend-webgpu looks for navigator.gpu (Node 20 has no navigator).
const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
if (nav) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
else Object.assign(globalThis, { navigator: { gpu } });

const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
const info = adapter?.info;
if (!adapter) {
  await rerunOnSwiftShader();
  console.error(`WebGPU: ${vulkanFallbackNote() || 'Dawn found no adapter'}`);
}

tf.enableProdMode(); // silences tfjs's advice to install tfjs-node
let wasmLoaded = false;
const env: BenchEnv = {
  platform: `Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, ${os.platform()} ${os.arch()}; tfjs ${tf.version.tfjs}`,
  adapter: info ? { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description } : null,
  async wiregradBackend(kind) {
    if (kind === 'cpu') return new CpuBackend();
    if (kind === 'wasm') return WasmBackend.create({ threads: 1 });
    if (kind === 'wasm-mt') return WasmBackend.create({ threads: Math.min(os.availableParallelism(), MAX_THREADS), spawn: spawnNodeThread });
    if (!adapter) throw new Error(vulkanFallbackNote() || 'Dawn found no WebGPU adapter');
    return WebGpuBackend.create(gpu);
  },
  async useTfjs(kind) {
    if (kind === 'webgpu') {
      if (!adapter) throw new Error('Dawn found no WebGPU adapter');
      await import('@tensorflow/tfjs-backend-webgpu');
    }
    if (kind === 'wasm' && !wasmLoaded) {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const dir = await wasmDir();
      if (dir) wasm.setWasmPaths(dir);
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
  log: (line) => console.error(`[bench] ${line}`),
};

if (scaleOpts) {
  const result = await runScale(env, scaleOpts);
  const dir = process.env.BENCH_SCALE_OUT ?? 'bench/out/scale-node';
  mkdirSync(dir, { recursive: true });
  const report = formatScaleReport(result);
  writeFileSync(`${dir}/scale.svg`, scaleChartSvg(result));
  writeFileSync(`${dir}/scale.txt`, `${report}\n`);
  const lines = report.split('\n');
  const benchLine = lines.pop();
  console.log([...lines, `plot: ${dir}/scale.svg (report: ${dir}/scale.txt)`, benchLine].join('\n'));
} else {
  console.log(formatReport(await runSuite(env, opts!)));
}
// Dawn's instance keeps Node alive: exit explicitly.
process.exit(0);
