/**
 * `npm run bench:serve`: `wiregrad serve` under a bounded loopback load against the MNIST MLP
 * template (seeded random weights), beside the same model exported to ONNX (engine/interchange/onnx)
 * in onnxruntime-node behind the same hono routes, validation and batcher (bench/serve/onnxServer.ts).
 * Each server runs in its own process; each request carries one MNIST-shaped instance, and every
 * answer is checked against the engine's own inference (a wrong answer counts as an error).
 *
 *   npm run bench:serve -- [--requests N] [--concurrency 1,8,32] [--max-batch N] [--backend cpu|webgpu|auto] [--max-cell-s S]
 *
 * Prints a table and a last line `BENCH {"serve": {...}}`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exportOnnx } from '../engine/interchange/onnx/export';
import { engineForward, mnistMlp, randomImages, randomWeights, writeModel } from '../cli/serve/testModels';
import { runLoad, type LoadCase, type LoadResult } from './serve/load';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '1,8,32' },
    'max-batch': { type: 'string', default: '32' },
    backend: { type: 'string', default: 'cpu' },
    'max-cell-s': { type: 'string', default: '25' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log('npm run bench:serve -- [--requests 5000] [--concurrency 1,8,32] [--max-batch 32] [--backend cpu|webgpu|auto] [--max-cell-s 25]');
  process.exit(0);
}
const REQUESTS = Number(values.requests);
const LEVELS = values.concurrency.split(',').map(Number);
const MAX_BATCH = Number(values['max-batch']);
const MAX_CELL_S = Number(values['max-cell-s']);
if (![REQUESTS, MAX_BATCH, MAX_CELL_S, ...LEVELS].every((n) => Number.isInteger(n) && n > 0)) {
  console.error('--requests, --concurrency, --max-batch and --max-cell-s take positive whole numbers');
  process.exit(2);
}

const ROOT = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(os.tmpdir(), 'wg-bench-serve-'));
const doc = mnistMlp();
const weights = randomWeights(doc, 2026);
const paths = writeModel(dir, doc, weights);
const onnxPath = join(dir, 'model.onnx');
const exported = exportOnnx(doc, weights, { producerVersion: '0.1.0' });
writeFileSync(onnxPath, exported.bytes);

// 64 distinct instances, their bodies and the engine's answers for them.
const SAMPLES = 64;
const x = randomImages(SAMPLES, 1);
const want = await engineForward(doc, weights, 'x', x, 'logits');
const bodies = Array.from({ length: SAMPLES }, (_v, k) => JSON.stringify({ instances: [Array.from(x.subarray(k * 784, (k + 1) * 784))] }));
const TOLERANCE = 1e-4;
let worstDiff = { wiregrad: 0, onnx: 0 };
const checker = (impl: 'wiregrad' | 'onnx'): LoadCase => ({
  bodies,
  check: (k, answer) => {
    const p = (answer as { predictions?: number[][] }).predictions?.[0];
    if (!p || p.length !== 10) return false;
    let worst = 0;
    for (let j = 0; j < 10; j++) worst = Math.max(worst, Math.abs(p[j]! - want[k * 10 + j]!));
    worstDiff = { ...worstDiff, [impl]: Math.max(worstDiff[impl], worst) };
    return worst <= TOLERANCE;
  },
});

/** Start a server process and wait for its "listening on URL" line. */
function startServer(command: readonly string[], label: string): Promise<{ url: string; child: ChildProcess; device: string }> {
  const child = spawn(process.execPath, [...command], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not start in 120 s:\n${err}`)), 120_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const url = /listening on (http:\/\/\S+)/.exec(err)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url, child, device: /AVAILABLE \(.*; ([^;]*)\)\n/.exec(err)?.[1] ?? '?' });
      }
    });
    child.on('exit', (code) => reject(new Error(`${label} exited (${code}) before listening:\n${err}`)));
  });
}

const stop = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGINT');
  });

const impls = [
  {
    key: 'wiregrad',
    label: `wiregrad serve (${values.backend})`,
    command: [
      join(ROOT, 'cli/wiregrad.mjs'),
      'serve',
      '--model',
      `mnist=${paths.doc},${paths.weights}`,
      '--port',
      '0',
      '--backend',
      values.backend,
      '--max-batch',
      String(MAX_BATCH),
    ],
  },
  {
    key: 'onnx',
    label: 'onnxruntime-node',
    command: ['--import', import.meta.resolve('tsx'), join(ROOT, 'bench/serve/onnxServer.ts'), onnxPath, 'mnist', String(MAX_BATCH)],
  },
] as const;

const results: Record<string, LoadResult[]> = {};
const devices: Record<string, string> = {};
const exitCodes: Record<string, number | null> = {};
console.log(
  `bench:serve — MNIST MLP (784-256-10), ${REQUESTS} requests of 1 instance per cell, concurrency ${LEVELS.join(', ')}, --max-batch ${MAX_BATCH}, ${os.cpus().length} CPU cores`,
);
// Both servers up at once, cells alternating between them, so a change in the machine's load hits both alike.
const servers = [];
for (const impl of impls) {
  const server = await startServer(impl.command, impl.label);
  devices[impl.key] = server.device;
  servers.push({ impl, server, endpoint: `${server.url}/v1/models/mnist:predict` });
  results[impl.key] = [];
}
for (const { impl, endpoint } of servers) await runLoad(endpoint, checker(impl.key), 200, 8, MAX_CELL_S); // warm-up
for (const c of LEVELS) {
  for (const { impl, endpoint } of servers) {
    const r = await runLoad(endpoint, checker(impl.key), REQUESTS, c, MAX_CELL_S);
    results[impl.key]!.push(r);
    console.log(
      `  ${impl.label.padEnd(26)} c=${String(c).padEnd(3)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50Ms.toFixed(2).padStart(7)} ms  p99 ${r.p99Ms.toFixed(2).padStart(7)} ms  errors ${r.errors}${r.capped ? `  (capped at ${MAX_CELL_S} s: ${r.requests} requests)` : ''}`,
    );
  }
}
for (const { impl, server } of servers) exitCodes[impl.key] = await stop(server.child);
rmSync(dir, { recursive: true, force: true });

const round = (v: number, d: number) => Number(v.toFixed(d));
const bench: Record<string, unknown> = {
  requests: REQUESTS,
  max_batch: MAX_BATCH,
  backend: values.backend,
  wiregrad_device: devices.wiregrad,
  cores: os.cpus().length,
  max_abs_diff_wiregrad: worstDiff.wiregrad,
  max_abs_diff_onnx: worstDiff.onnx,
  clean_exit_wiregrad: exitCodes.wiregrad === 0,
};
for (const impl of impls) {
  for (const r of results[impl.key]!) {
    const k = `${impl.key}_c${r.concurrency}`;
    Object.assign(bench, {
      [`${k}_rps`]: round(r.rps, 1),
      [`${k}_p50_ms`]: round(r.p50Ms, 3),
      [`${k}_p99_ms`]: round(r.p99Ms, 3),
      [`${k}_errors`]: r.errors,
      [`${k}_requests`]: r.requests,
    });
  }
}
for (const c of LEVELS) {
  const w = results.wiregrad!.find((r) => r.concurrency === c)!;
  const o = results.onnx!.find((r) => r.concurrency === c)!;
  bench[`rps_ratio_c${c}`] = round(w.rps / o.rps, 3);
}
console.log(`BENCH ${JSON.stringify({ serve: bench })}`);
const errors = Object.values(results)
  .flat()
  .reduce((n, r) => n + r.errors, 0);
process.exit(errors ? 1 : 0);
