/**
 * The scaling run: every cell of the grid on every implementation, within budgets, family by family,
 * smallest cell first, every implementation on a cell before the next (tfjs-webgpu, whose first steps
 * compile for longest, last). Each row compiles,
 * takes one untimed step (its loss is the first-step loss checked across implementations), one warm
 * step to estimate, then as many timed steps as fit --cell-budget (1…50). A row predicted to be too
 * slow, or cut off by --max-cell, is "skipped (over budget)"; one whose warm step is over --max-step
 * reports that step alone. Either way the larger cells of its family on that implementation are
 * skipped: cost only grows along a family.
 */
import type { Backend } from '../../engine/backends/backend';
import type { TrainCase } from '../lib/cases';
import { fixedBatch } from '../lib/models';
import type { BenchEnv } from '../lib/suite';
import { initialWeights, wiregradCase } from '../lib/wiregrad';
import { trainingStepBytes, type TensorBytes } from './memory';
import type { ScaleImpl, ScaleOptions } from './options';
import { tfjsScaleCase, type TfjsScaleCase } from './tfjsCase';
import { scaleCells, type Family, type ScaleCell } from './workloads';

export type RowStatus = 'ok' | 'skipped' | 'failed' | 'mismatch' | 'unsupported';

/** One cell on one implementation. */
export interface ScaleRow {
  readonly impl: ScaleImpl;
  readonly status: RowStatus;
  /** Why there is no time (skipped, failed, mismatch, unsupported). */
  readonly reason?: string;
  readonly msPerStep?: number;
  /** Timed steps behind msPerStep. */
  readonly steps?: number;
  readonly compileMs?: number;
  readonly firstLoss?: number;
  readonly lastLoss?: number;
  /** wiregrad-webgpu: the backend's peak of live GPU bytes over the steps (variables, data, planned buffers, staging). */
  readonly peakDeviceBytes?: number;
  /** tfjs: bytes of live tensors at the peak of the first step (tf.profile). */
  readonly tfjsPeakBytes?: number;
  /** The one warm step timed was slower than --max-step: larger cells of the family are skipped. */
  readonly overBudget?: boolean;
}

export interface ScaleCellResult {
  readonly family: Family;
  readonly value: number;
  readonly key: string;
  readonly title: string;
  readonly flops: number;
  /** The step's tensors from its graph: the floor a planner must reach. */
  readonly tensors: TensorBytes;
  readonly rows: readonly ScaleRow[];
}

export interface ScaleResult {
  readonly platform: string;
  readonly adapter: Readonly<Record<string, string>> | null;
  readonly notes: Readonly<Record<string, string>>;
  readonly options: ScaleOptions;
  readonly cells: readonly ScaleCellResult[];
  readonly seconds: number;
}

const OVER = 'skipped (over budget)';
const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 160);
const kindOf = (impl: ScaleImpl) => impl.split('-')[1] as 'webgpu' | 'wasm' | 'cpu';
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const cutMessage = (opts: ScaleOptions) => `${OVER}: still running after --max-cell ${seconds(opts.maxCellMs)} or at the end of --total-budget`;

/** What a row has measured so far (kept when it ends over budget). */
interface Measured {
  compileMs?: number;
  firstLoss?: number;
}

/** Thrown inside a row to end it as skipped (over budget), keeping what it measured. */
class OverBudget extends Error {
  constructor(
    readonly row: Measured,
    why: string,
  ) {
    super(why);
  }
}

/** The WebGPU backend's byte counters, where the backend has them. */
type PeakCounter = { peakBytes: number; resetPeak(): void };
const peakCounter = (b: Backend | undefined): PeakCounter | undefined =>
  b && typeof (b as Partial<PeakCounter>).resetPeak === 'function' ? (b as unknown as PeakCounter) : undefined;

export async function runScale(env: BenchEnv, opts: ScaleOptions): Promise<ScaleResult> {
  const t0 = performance.now();
  const notes: Record<string, string> = {};
  const unavailable = new Map<ScaleImpl, string>();
  /** Per family and implementation: the last cell timed (for predictions), or that a smaller cell was over budget. */
  const history = new Map<string, { ms: number; flops: number; key: string } | 'over'>();
  const cells: ScaleCellResult[] = [];

  const all = scaleCells(opts.grid, opts.seed);
  // Each family gets an equal share of --total-budget (what one leaves unused passes to the next), so the
  // slow end of one family cannot take the whole run from the others.
  const families = [...new Set(all.map((c) => c.family))];
  const runDeadline = t0 + opts.totalBudgetMs;
  for (const [k, family] of families.entries()) {
    const share = { end: t0 + (opts.totalBudgetMs * (k + 1)) / families.length, t0 };
    const mine = await Promise.all(
      all
        .filter((c) => c.family === family)
        .map(async (cell) => {
          const batch = fixedBatch(cell.workload, opts.seed);
          return { cell, batch, weights: await initialWeights(cell.workload), rows: [] as ScaleRow[] };
        }),
    );
    for (const { cell, batch, weights, rows } of mine) {
      for (const impl of opts.impls) {
        const skip = whySkip(cell, impl, opts, unavailable, history.get(`${family}/${impl}`), share);
        if (skip) {
          rows.push({ impl, status: skip.status, reason: skip.reason });
          continue;
        }
        env.log(`${cell.key} · ${impl} …`);
        const row = await runRow(env, cell, impl, opts, { batch, weights }, unavailable, notes, runDeadline);
        rows.push(row);
        if (row.status === 'ok') history.set(`${family}/${impl}`, { ms: row.msPerStep!, flops: cell.flops, key: cell.key });
        if (row.status === 'skipped' || row.overBudget) history.set(`${family}/${impl}`, 'over');
        env.log(
          `${cell.key} · ${impl}: ${row.status === 'ok' ? `${row.msPerStep!.toFixed(1)} ms/step × ${row.steps}, first loss ${row.firstLoss!.toFixed(5)}` : `${row.status}: ${row.reason}`}`,
        );
      }
    }
    for (const { cell, batch, rows } of mine) {
      const tensors = trainingStepBytes(cell.workload.doc, { x: batch.x, label: batch.label });
      cells.push({
        family,
        value: cell.value,
        key: cell.key,
        title: cell.workload.title,
        flops: cell.flops,
        tensors,
        rows: checkAgreement(rows, opts.lossTolerance),
      });
    }
  }
  return { platform: env.platform, adapter: env.adapter, notes, options: opts, cells, seconds: (performance.now() - t0) / 1000 };
}

/** Why `impl` does not run `cell`, or undefined if it does. */
function whySkip(
  cell: ScaleCell,
  impl: ScaleImpl,
  opts: ScaleOptions,
  unavailable: ReadonlyMap<ScaleImpl, string>,
  before: { ms: number; flops: number; key: string } | 'over' | undefined,
  share: { readonly end: number; readonly t0: number },
): { status: RowStatus; reason: string } | undefined {
  if (unavailable.has(impl)) return { status: 'skipped', reason: unavailable.get(impl)! };
  if (impl === 'tfjs-wasm' && cell.family === 'depth')
    return { status: 'unsupported', reason: 'tfjs-wasm has no Conv2DBackpropFilter kernel: it cannot train a conv net' };
  if (impl === 'wiregrad-cpu' && cell.flops > opts.cpuMaxFlops) {
    return { status: 'skipped', reason: `CPU runs the small sizes only (${(cell.flops / 1e6).toFixed(0)} > --cpu-max-mflop ${opts.cpuMaxFlops / 1e6})` };
  }
  if (performance.now() > share.end) {
    return {
      status: 'skipped',
      reason: `${OVER}: the run passed the ${cell.family} family's share of --total-budget (${seconds(share.end - share.t0)} from the start)`,
    };
  }
  if (before === 'over') return { status: 'skipped', reason: `${OVER}: a smaller ${cell.family} cell already was` };
  if (before) {
    const predicted = (before.ms * cell.flops) / before.flops;
    if (predicted > opts.maxStepMs) return { status: 'skipped', reason: `${OVER}: ≈${seconds(predicted)}/step predicted from ${before.key} (> --max-step)` };
  }
  return undefined;
}

async function runRow(
  env: BenchEnv,
  cell: ScaleCell,
  impl: ScaleImpl,
  opts: ScaleOptions,
  data: { batch: ReturnType<typeof fixedBatch>; weights: Awaited<ReturnType<typeof initialWeights>> },
  unavailable: Map<ScaleImpl, string>,
  notes: Record<string, string>,
  runDeadline: number,
): Promise<ScaleRow> {
  let backend: Backend | undefined;
  let c: TrainCase | undefined;
  // No row runs past --total-budget either.
  const cut = { off: false, deadline: Math.min(performance.now() + opts.maxCellMs, runDeadline) };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const partial: Measured = {};
  let running: Promise<ScaleRow> | undefined;
  const dispose = () => {
    try {
      c?.dispose();
      backend?.dispose();
    } catch (_e) {
      // a failed row may leave a half-made case; the next row starts afresh
    }
  };
  try {
    const deadline = new Promise<never>(
      (_r, reject) =>
        (timer = setTimeout(
          () => {
            cut.off = true;
            reject(new OverBudget(partial, cutMessage(opts)));
          },
          Math.max(0, cut.deadline - performance.now()),
        )),
    );
    const work = async (): Promise<ScaleRow> => {
      const tc = performance.now();
      try {
        if (impl.startsWith('tfjs-')) {
          const note = await env.useTfjs(kindOf(impl));
          if (note) notes[impl] = note;
        } else {
          backend = await env.wiregradBackend(kindOf(impl) as 'webgpu' | 'cpu');
        }
      } catch (e) {
        unavailable.set(impl, `unavailable: ${message(e)}`); // later cells skip it at once
        throw e;
      }
      c = backend ? await wiregradCase(cell.workload, data.batch, backend) : tfjsScaleCase(cell.workload, data.batch, data.weights);
      partial.compileMs = performance.now() - tc;
      return timeRow(impl, c, backend, opts, partial, cut);
    };
    running = work();
    return await Promise.race([running, deadline]);
  } catch (e) {
    if (e instanceof OverBudget) return { impl, ...e.row, status: 'skipped', reason: e.message };
    if (unavailable.has(impl)) return { impl, status: 'skipped', reason: unavailable.get(impl)! }; // no such backend here: not a failure
    return { impl, status: 'failed', reason: message(e) };
  } finally {
    clearTimeout(timer);
    // A row cut off may still be compiling: destroying its device then can crash Dawn, so it is disposed
    // once its work settles (its next step sees cut.off and stops).
    if (cut.off) void running?.then(dispose, dispose);
    else dispose();
  }
}

async function timeRow(
  impl: ScaleImpl,
  c: TrainCase,
  backend: Backend | undefined,
  opts: ScaleOptions,
  row: Measured,
  cut: { off: boolean; deadline: number },
): Promise<ScaleRow> {
  const counter = peakCounter(backend);
  counter?.resetPeak();
  const step = async () => {
    if (cut.off) throw new Error('cut off');
    // Checked here too: a backend that never yields to the event loop (CPU) would starve the deadline's timer.
    if (performance.now() > cut.deadline) throw new OverBudget(row, cutMessage(opts));
    await c.step();
  };
  // The first step compiles what the implementation compiles lazily (tfjs's shaders): only --max-cell bounds it.
  await step();
  row.firstLoss = await c.sync();
  const t2 = performance.now();
  await step();
  let lastLoss = await c.sync();
  const warm = performance.now() - t2;
  const tfjs = impl.startsWith('tfjs-') ? (c as TfjsScaleCase) : undefined;
  const measured = { impl, status: 'ok' as const, ...row, peakDeviceBytes: counter?.peakBytes, tfjsPeakBytes: tfjs?.firstStepPeakBytes };
  // A warm step slower than --max-step stands for the cell (and the larger cells of the family are skipped).
  if (warm > opts.maxStepMs) return { ...measured, msPerStep: warm, steps: 1, lastLoss, overBudget: true };
  const steps = Math.max(1, Math.min(50, Math.round(opts.cellBudgetMs / Math.max(warm, 1e-3))));
  const t = performance.now();
  for (let i = 0; i < steps; i++) await step();
  lastLoss = await c.sync();
  return { ...measured, msPerStep: (performance.now() - t) / steps, steps, lastLoss, peakDeviceBytes: counter?.peakBytes };
}

/**
 * First-step losses must agree (same weights, same batch): rows off the reference (wiregrad-cpu, else
 * wiregrad-webgpu, else the first with a loss) by more than `tolerance` relative become mismatches.
 */
export function checkAgreement(rows: readonly ScaleRow[], tolerance: number): ScaleRow[] {
  const withLoss = rows.filter((r) => r.firstLoss !== undefined);
  const ref = withLoss.find((r) => r.impl === 'wiregrad-cpu') ?? withLoss.find((r) => r.impl === 'wiregrad-webgpu') ?? withLoss[0];
  return rows.map((r) => {
    if (!ref || r === ref || r.firstLoss === undefined || r.status === 'failed') return r;
    const d = Math.abs(r.firstLoss - ref.firstLoss!) / Math.max(Math.abs(ref.firstLoss!), 1e-12);
    if (d <= tolerance) return r;
    return {
      ...r,
      status: 'mismatch',
      reason: `first loss ${r.firstLoss} vs ${ref.impl} ${ref.firstLoss} (${Number.isFinite(d) ? d.toExponential(1) : d} relative > ${tolerance})`,
    };
  });
}
