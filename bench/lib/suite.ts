/**
 * The whole comparison, run the same way in a browser worker and in Node: each workload on each
 * implementation (same initial weights, same batch; warm-up excluded; N steps then one sync), then
 * matmul GFLOPS. Rows that cannot run say why; nothing here asserts on a time.
 */
import type { Backend } from '../../engine/backends/backend';
import { Rng } from '../../engine/ops/random';
import type { Impl, MatmulCase, TrainCase } from './cases';
import { fixedBatch, MATMULS, matmulKey, workload, type MatmulShape, type ModelName } from './models';
import type { BenchOptions } from './options';
import { median } from './table';
import { tfjsCase, tfjsMatmul } from './tfjs';
import { initialWeights, wiregradCase, wiregradMatmul } from './wiregrad';

/** What the host (browser worker or Node) provides. */
export interface BenchEnv {
  /** Where it runs, e.g. "Chromium 156, dedicated Worker". */
  readonly platform: string;
  /** The WebGPU adapter's info (vendor, architecture, device, description), or null without WebGPU. */
  readonly adapter: Readonly<Record<string, string>> | null;
  /** A fresh Wiregrad backend. */
  wiregradBackend(kind: WiregradKind): Promise<Backend>;
  /** Make `kind` TensorFlow.js's current backend; resolves with a note (e.g. "SIMD, 2 threads"); throws if unavailable. */
  useTfjs(kind: 'webgpu' | 'wasm' | 'cpu'): Promise<string>;
  log(line: string): void;
}

/** One training row: a workload on one implementation. */
export interface TrainRow {
  readonly impl: Impl;
  /** 'ok', or why there is no number. */
  readonly status: 'ok' | 'skipped' | 'failed';
  readonly reason?: string;
  readonly msPerStep?: number;
  /** ms/step of each round. */
  readonly rounds?: readonly number[];
  /** Timed steps per round. */
  readonly steps?: number;
  readonly compileMs?: number;
  /** Loss of the very first step (same weights and batch everywhere, so it must agree across rows). */
  readonly firstLoss?: number;
  /** Loss of the last timed step. */
  readonly lastLoss?: number;
  /** Every loss seen was finite and the last is below the first (undefined: only one step was run). */
  readonly trains?: boolean;
  readonly note?: string;
}

export interface MatmulRow {
  readonly impl: Impl;
  readonly status: 'ok' | 'skipped' | 'failed';
  readonly reason?: string;
  readonly gflops?: number;
  readonly msPerRun?: number;
  /** Largest error of sampled entries of C against a float64 reference, relative to Σ|a·b|. */
  readonly maxError?: number;
}

export interface BenchResult {
  readonly platform: string;
  readonly adapter: Readonly<Record<string, string>> | null;
  readonly notes: Readonly<Record<string, string>>;
  readonly options: BenchOptions;
  readonly train: Partial<Record<ModelName, { readonly title: string; readonly rows: readonly TrainRow[] }>>;
  readonly matmul: readonly { readonly shape: MatmulShape; readonly rows: readonly MatmulRow[] }[];
  readonly seconds: number;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 200);
const isTfjs = (impl: Impl) => impl.startsWith('tfjs-');
/** A Wiregrad backend: 'wasm' on one thread, 'wasm-mt' on as many as it starts. */
export type WiregradKind = 'webgpu' | 'wasm' | 'wasm-mt' | 'cpu';
const backendKind = (impl: Impl) => impl.slice(impl.indexOf('-') + 1) as WiregradKind;

/** Run everything `opts` asks for. */
export async function runSuite(env: BenchEnv, opts: BenchOptions): Promise<BenchResult> {
  const t0 = performance.now();
  const notes: Record<string, string> = {};
  /** Backends that failed to start, so later rows skip them at once. */
  const unavailable = new Map<Impl, string>();
  const useTfjs = async (impl: Impl) => {
    const note = await env.useTfjs(backendKind(impl) as 'webgpu' | 'wasm' | 'cpu');
    if (note) notes[impl] = note;
  };

  /** WebGPU rows that failed so far: a later WebGPU failure may be their consequence (a lost GPU process). */
  const gpuFailures: string[] = [];
  const gpuHint = (impl: Impl) => (backendKind(impl) === 'webgpu' && gpuFailures.length ? ` [after the WebGPU failure of ${gpuFailures[0]}]` : '');
  const train: Record<string, { title: string; rows: TrainRow[] }> = {};
  const trainModel = async (name: ModelName) => {
    const w = workload(name, opts.seed);
    const batch = fixedBatch(w, opts.seed);
    const weights = await initialWeights(w);
    const rows: TrainRow[] = [];
    train[name] = { title: w.title, rows };
    for (const impl of opts.impls) {
      if (unavailable.has(impl)) {
        rows.push({ impl, status: 'skipped', reason: unavailable.get(impl)! });
        continue;
      }
      env.log(`${name} · ${impl} …`);
      let backend: Backend | undefined;
      let c: TrainCase | undefined;
      try {
        const row = await withDeadline(opts.maxRowMs, `did not finish in ${opts.maxRowMs / 1000} s ${DEADLINE}`, async () => {
          const tc = performance.now();
          if (isTfjs(impl)) {
            try {
              await useTfjs(impl);
            } catch (e) {
              unavailable.set(impl, `unavailable: ${message(e)}`);
              throw e;
            }
            c = tfjsCase(w, batch, weights);
          } else {
            try {
              backend = await env.wiregradBackend(backendKind(impl));
            } catch (e) {
              unavailable.set(impl, `unavailable: ${message(e)}`);
              throw e;
            }
            if (impl.startsWith('wiregrad-wasm')) notes[impl] = backend.device; // how many threads
            c = await wiregradCase(w, batch, backend);
          }
          return timeTraining(impl, c, opts, performance.now() - tc);
        });
        rows.push(row);
        env.log(`${name} · ${impl}: ${row.msPerStep!.toFixed(2)} ms/step, loss ${row.firstLoss!.toFixed(4)} → ${row.lastLoss!.toFixed(4)}`);
      } catch (e) {
        rows.push({ impl, status: 'failed', reason: message(e) + gpuHint(impl) });
        if (backendKind(impl) === 'webgpu') gpuFailures.push(`${name} ${impl}`);
        env.log(`${name} · ${impl} failed: ${message(e)}`);
      } finally {
        try {
          // A row cut off by its deadline may still be compiling: destroying its device then can crash Dawn, so it is left.
          if (!cutOff(rows)) {
            c?.dispose();
            backend?.dispose();
          }
        } catch (_e) {
          // a failed row may leave a half-made case; the next row starts afresh
        }
      }
    }
    checkAgreement(rows);
  };

  const matmul: { shape: MatmulShape; rows: MatmulRow[] }[] = [];
  const shapes = MATMULS.filter((s) => opts.matmuls.includes(matmulKey(s)));
  const runMatmul = async (s: MatmulShape) => {
    const rows: MatmulRow[] = [];
    matmul.push({ shape: s, rows });
    const rng = new Rng(opts.seed + 7);
    const a = Float32Array.from({ length: s.m * s.k }, () => 2 * rng.next() - 1);
    const b = Float32Array.from({ length: s.k * s.n }, () => 2 * rng.next() - 1);
    for (const impl of opts.matmulImpls) {
      if (unavailable.has(impl)) {
        rows.push({ impl, status: 'skipped', reason: unavailable.get(impl)! });
        continue;
      }
      if (backendKind(impl) !== 'webgpu' && s.m * s.k * s.n > opts.cpuMaxMatmul) {
        rows.push({ impl, status: 'skipped', reason: `over --cpu-max-matmul ${opts.cpuMaxMatmul}` });
        continue;
      }
      env.log(`matmul ${matmulKey(s)} · ${impl} …`);
      let backend: Backend | undefined;
      let c: MatmulCase | undefined;
      try {
        const row = await withDeadline(opts.maxRowMs, `did not finish in ${opts.maxRowMs / 1000} s ${DEADLINE}`, async () => {
          if (isTfjs(impl)) {
            await useTfjs(impl);
            c = tfjsMatmul(s, a, b);
          } else {
            backend = await env.wiregradBackend(backendKind(impl));
            c = await wiregradMatmul(s, a, b, backend);
          }
          return timeMatmul(impl, s, c, a, b, opts);
        });
        rows.push(row);
        env.log(`matmul ${matmulKey(s)} · ${impl}: ${row.gflops!.toFixed(2)} GFLOPS`);
      } catch (e) {
        rows.push({ impl, status: 'failed', reason: message(e) + gpuHint(impl) });
        if (backendKind(impl) === 'webgpu') gpuFailures.push(`matmul ${matmulKey(s)} ${impl}`);
        env.log(`matmul ${matmulKey(s)} · ${impl} failed: ${message(e)}`);
      } finally {
        try {
          // A row cut off by its deadline may still be compiling: destroying its device then can crash Dawn, so it is left.
          if (!cutOff(rows)) {
            c?.dispose();
            backend?.dispose();
          }
        } catch (_e) {
          // as above
        }
      }
    }
  };

  // The MLP, then the matmuls, then the CNN: a CNN kernel that brings the GPU process down (slow shader
  // compiles on a software adapter can) then spoils no other section.
  const [first, ...rest] = opts.models;
  if (first) await trainModel(first);
  for (const s of shapes) await runMatmul(s);
  for (const name of rest) await trainModel(name);
  return { platform: env.platform, adapter: env.adapter, notes, options: opts, train, matmul, seconds: (performance.now() - t0) / 1000 };
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

const DEADLINE = '(--max-row)';
/** Whether the last row pushed was cut off by its deadline. */
const cutOff = (rows: readonly { readonly reason?: string }[]) => rows[rows.length - 1]?.reason?.includes(DEADLINE) ?? false;

/** `f()`, or a rejection with `message` after `ms` (the work itself goes on; the caller disposes its backend). */
function withDeadline<T>(ms: number, message: string, f: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([f(), timeout]).finally(() => clearTimeout(timer));
}

/** Warm up, pick N from the budget, then time rounds of "N steps, one sync". */
async function timeTraining(impl: Impl, c: TrainCase, opts: BenchOptions, compileMs: number): Promise<TrainRow> {
  const losses: number[] = [];
  const t1 = performance.now();
  await c.step();
  losses.push(await c.sync());
  const firstMs = performance.now() - t1;
  if (opts.steps === 'auto' && firstMs > opts.maxStepMs) {
    // Too slow to time again: the first step (compile work included) stands for the row.
    return {
      impl,
      status: 'ok',
      msPerStep: firstMs,
      rounds: [firstMs],
      steps: 1,
      compileMs,
      firstLoss: losses[0],
      lastLoss: losses[0],
      note: `${c.note ? c.note + '; ' : ''}ONE STEP ONLY: the first step took ${(firstMs / 1000).toFixed(1)} s (> --max-step ${opts.maxStepMs} ms), pipeline compilation included; not checked for falling loss`,
    };
  }
  // A row whose first step alone takes half the budget gets one timed step after it, no more.
  const slow = opts.steps === 'auto' && firstMs > opts.budgetMs / 2;
  const warmup = slow ? 1 : opts.warmup;
  const tw = performance.now();
  for (let i = 1; i < warmup; i++) await c.step();
  if (warmup > 1) losses.push(await c.sync());
  // The first step (compile-time work, JIT) is left out of the estimate when there is more warm-up.
  const est = warmup > 1 ? (performance.now() - tw) / (warmup - 1) : firstMs;
  const steps = slow ? 1 : opts.steps === 'auto' ? Math.round(clamp(opts.budgetMs / opts.rounds / Math.max(est, 1e-3), 2, 1000)) : opts.steps;
  const roundCount = slow ? 1 : opts.rounds;
  const rounds: number[] = [];
  for (let r = 0; r < roundCount; r++) {
    const t = performance.now();
    for (let i = 0; i < steps; i++) await c.step();
    losses.push(await c.sync());
    rounds.push((performance.now() - t) / steps);
  }
  const first = losses[0]!;
  const last = losses[losses.length - 1]!;
  return {
    impl,
    status: 'ok',
    msPerStep: median(rounds),
    rounds,
    steps,
    compileMs,
    firstLoss: first,
    lastLoss: last,
    trains: losses.every(Number.isFinite) && last < first,
    note: [c.note, slow && `slow row (first step ${(firstMs / 1000).toFixed(1)} s): 1 warm-up step, 1 timed step`].filter(Boolean).join('; ') || undefined,
  };
}

/** The first step's losses of every ok row must agree (same weights, same batch): flag rows that differ from the reference. */
function checkAgreement(rows: TrainRow[]): void {
  const ref = rows.find((r) => r.impl === 'wiregrad-cpu' && r.status === 'ok') ?? rows.find((r) => r.status === 'ok');
  if (!ref) return;
  rows.forEach((r, i) => {
    if (r.status !== 'ok' || r === ref) return;
    const d = Math.abs(r.firstLoss! - ref.firstLoss!) / Math.max(Math.abs(ref.firstLoss!), 1e-12);
    if (!(d <= 1e-3)) rows[i] = { ...r, note: `${r.note ? r.note + '; ' : ''}FIRST LOSS DIFFERS from ${ref.impl} by ${d.toExponential(1)} relative` };
  });
}

async function timeMatmul(impl: Impl, s: MatmulShape, c: MatmulCase, a: Float32Array, b: Float32Array, opts: BenchOptions): Promise<MatmulRow> {
  c.run();
  await c.sync();
  const maxError = checkMatmul(s, a, b, await c.result());
  const tw = performance.now();
  c.run();
  await c.sync();
  const est = performance.now() - tw;
  const runs = opts.steps === 'auto' ? Math.round(clamp(opts.matmulBudgetMs / opts.rounds / Math.max(est, 1e-3), 1, 2000)) : opts.steps;
  // A run slower than a round's budget: the timed second run stands for the row.
  const rounds: number[] = opts.steps === 'auto' && est > opts.matmulBudgetMs / opts.rounds ? [est] : [];
  for (let r = rounds.length ? opts.rounds : 0; r < opts.rounds; r++) {
    const t = performance.now();
    for (let i = 0; i < runs; i++) c.run();
    await c.sync();
    rounds.push((performance.now() - t) / runs);
  }
  const ms = median(rounds);
  if (!(maxError <= 1e-4))
    return { impl, status: 'failed', reason: `wrong result: sampled entries off by ${maxError.toExponential(1)} relative`, msPerRun: ms, maxError };
  return { impl, status: 'ok', gflops: (2 * s.m * s.k * s.n) / (ms * 1e6), msPerRun: ms, maxError };
}

/** Largest error over 32 sampled entries of C against float64 sums, relative to Σ|a·b| for that entry. */
function checkMatmul(s: MatmulShape, a: Float32Array, b: Float32Array, c: ArrayLike<number>): number {
  const rng = new Rng(99);
  let worst = 0;
  for (let t = 0; t < 32; t++) {
    const i = rng.int(s.m);
    const j = rng.int(s.n);
    let sum = 0;
    let mag = 0;
    for (let k = 0; k < s.k; k++) {
      const x = s.transA ? a[k * s.m + i]! : a[i * s.k + k]!;
      const y = s.transB ? b[j * s.k + k]! : b[k * s.n + j]!;
      sum += x * y;
      mag += Math.abs(x * y);
    }
    worst = Math.max(worst, Math.abs(c[i * s.n + j]! - sum) / Math.max(mag, 1e-30));
    if (!Number.isFinite(c[i * s.n + j]!)) return Infinity;
  }
  return worst;
}
