/**
 * Where one char-GPT training step spends its time on the WebGPU backend in Node (Dawn): every
 * dispatch of the training program submitted alone and waited for (WebGpuExecutable.profile), then
 * totals per kernel kind (gemm, fused elementwise, reduction, movement, gather, …) and the slowest
 * kernels by label (kind, op, shape). On SwiftShader (a CPU emulation) times are total shader work.
 *
 *   LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json \
 *     nice -n 10 npx tsx bench/profile-gpt.ts [--top 25] [--runs 2] [--matmul register|register_wide|workgroup|splitk]
 *
 * Each dispatch carries one submit's overhead; compare kinds' shares, not the sum to a step time.
 */
import process from 'node:process';
import { create, globals } from 'webgpu';
import type { Data, Executable } from '../engine/backends/backend';
import { WebGpuBackend } from '../engine/backends/webgpu/backend';
import type { PassTime, WebGpuExecutable } from '../engine/backends/webgpu/executable';
import type { MatmulVariant } from '../engine/backends/webgpu/kernel';
import { ADAM } from './lib/models';
import { table } from './lib/table';
import { gptBatch, gptWorkload } from './lib/transformer';
import { wiregradCase } from './lib/wiregrad';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const top = arg('top', 25);
const runs = arg('runs', 2);
const at = process.argv.indexOf('--matmul');
/** Force one GEMM variant (default: the backend's tuner picks per shape). */
const matmul = at >= 0 ? (process.argv[at + 1] as MatmulVariant) : undefined;

Object.assign(globalThis, globals);
const gpu = create([]);
const backend = await WebGpuBackend.create(gpu, matmul ? { matmul } : {});

// Keep every executable the program prepares, and the feeds of its last run, to profile them later.
const prepared: { exec: WebGpuExecutable; feeds?: ReadonlyMap<string, Data> }[] = [];
const prepare = backend.prepare.bind(backend);
backend.prepare = async (...args: Parameters<typeof prepare>): Promise<Executable> => {
  const exec = (await prepare(...args)) as WebGpuExecutable;
  const entry: (typeof prepared)[number] = { exec };
  prepared.push(entry);
  const run = exec.run.bind(exec);
  exec.run = (feeds) => {
    entry.feeds = feeds;
    run(feeds);
  };
  return exec;
};

const w = gptWorkload(1, ADAM);
const c = await wiregradCase(w, gptBatch(1), backend);
await c.step();
await c.sync();
const t0 = performance.now();
await c.step();
await c.sync();
const stepMs = performance.now() - t0;
const step = prepared.filter((p) => p.feeds).sort((a, b) => b.exec.dispatchesPerRun - a.exec.dispatchesPerRun)[0];
if (!step?.feeds) throw new Error('the training step prepared no executable that ran');

let best: PassTime[] | undefined;
for (let r = 0; r < runs; r++) {
  const times = await step.exec.profile(step.feeds);
  // Per dispatch, the fastest of the runs (the machine is shared).
  best = best ? times.map((t, i) => (t.ms < best![i]!.ms ? t : best![i]!)) : times;
}
const times = best!;
const total = times.reduce((s, t) => s + t.ms, 0);
const group = (key: (t: PassTime) => string) => {
  const m = new Map<string, { n: number; ms: number }>();
  for (const t of times) {
    const g = m.get(key(t)) ?? { n: 0, ms: 0 };
    g.n++;
    g.ms += t.ms;
    m.set(key(t), g);
  }
  return [...m].sort((a, b) => b[1].ms - a[1].ms);
};
const rows = (groups: [string, { n: number; ms: number }][]) => [
  ['kernel', 'dispatches', 'ms', 'share'],
  ...groups.map(([k, g]) => [k, String(g.n), g.ms.toFixed(1), `${((100 * g.ms) / total).toFixed(1)}%`]),
];
const kindOf = (t: PassTime) => {
  const [kind, op] = t.label.split(' ');
  return kind === 'gemm' || kind!.startsWith('elementwise(') ? kind!.replace(/\(.*/, '') : `${kind} ${op}`;
};
console.log(`${w.title}\none step timed as usual: ${stepMs.toFixed(0)} ms; ${times.length} dispatches profiled one by one: ${total.toFixed(0)} ms\n`);
console.log(table(rows(group(kindOf))));
console.log(`\nslowest ${top} kernels by label:`);
console.log(table(rows(group((t) => t.label).slice(0, top))));
c.dispose();
backend.dispose();
process.exit(0);
