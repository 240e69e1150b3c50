/**
 * Per-adapter GEMM autotuning (DESIGN.md: kernel variants are chosen per adapter by measuring once
 * at compile time). For each distinct matmul / convolution of a graph (by shape, transposes,
 * window), every candidate variant runs a few times on the adapter in hand, timed with
 * queue.onSubmittedWorkDone (timestamp queries are often unavailable), and the fastest is kept in
 * the backend's `options.tuned` (kernels read it there) and in `options.tuneStore` under the
 * adapter's name, so a later backend on the same adapter measures nothing.
 *
 * A variant that is pathological on this adapter (split-K and workgroup tiles run 10-100× slower
 * on SwiftShader, whose barriers are costly) would make tuning itself slow, so each adapter is
 * first probed on two small GEMMs; variants far behind there are not tried on the real shapes.
 */
import type { GraphNode } from '../../compile/graph';
import type { Op, TensorType } from '../../ops/types';
import type { WebGpuBackend } from './backend';
import type { Dispatch, KernelArgs, KernelOptions, MatmulVariant, TuneClock, WgslKernel } from './kernel';
import { convKey, isConvOp } from './kernels/conv';
import { GEMM_VARIANTS } from './kernels/gemm';
import { WGSL_KERNELS } from './kernels';
import { matmulKey } from './kernels/matmul';

/** GEMMs with fewer multiply-adds than this keep the fixed rule: measuring would cost more than it saves. */
const MIN_MACS = 1 << 18;
/** Target GPU time of one timed batch of runs (ms); small kernels repeat up to MAX_REPS times. */
const BATCH_MS = 20;
const MAX_REPS = 10;
/** A candidate this many times slower than the best on its first run is not timed further. */
const GIVE_UP = 4;
/** On the probes, a variant this many times slower than the best is not tried on real shapes. */
const PROBE_CUTOFF = 3;
/** Key prefix of the probe's verdicts in `tuned` and in the store. */
const VIABLE = 'viable:';

/**
 * Choices measured in this process, by adapter and shape, for backends given no store: a new
 * backend on the same adapter (one per compile, say) measures nothing again.
 */
const PROCESS_STORE = memoryTuneStore();

/** One GEMM-shaped node to tune, with its kernel's inputs. */
interface Job {
  readonly key: string;
  readonly op: Op;
  readonly args: KernelArgs<Op>;
  /** Variants worth trying for this shape (split-K only where the output is small). */
  readonly candidates: readonly MatmulVariant[];
}

/** Multiply-adds of a GEMM node (output size × inner dimension), and its output's 4×4 block count. */
function work(op: Op, inputs: readonly TensorType[], out: TensorType, attrs: KernelArgs<Op>['attrs']): { macs: number; blocks: number } {
  const size = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
  let inner: number;
  let blocks: number;
  if (op === 'matmul') {
    const { transA } = attrs as KernelArgs<'matmul'>['attrs'];
    const a = inputs[0]!.shape;
    inner = transA ? a[a.length - 2]! : a[a.length - 1]!;
    const r = out.shape.length;
    blocks = size(out.shape.slice(0, -2)) * Math.ceil(out.shape[r - 2]! / 4) * Math.ceil(out.shape[r - 1]! / 4);
  } else {
    // Convolutions as implicit GEMMs: the inner dimension is a filter window (or, for the filter
    // gradient, every output pixel); filters are [kh, kw, in/groups, out].
    const q = inputs[1]!;
    const last = (s: readonly number[]) => s[s.length - 1]!;
    inner = op === 'conv2d' ? size(q.shape) / last(q.shape) : op === 'conv2d_grad_input' ? size(q.shape) / q.shape[2]! : size(q.shape) / last(q.shape);
    blocks = Math.ceil(size(out.shape) / 16);
  }
  return { macs: size(out.shape) * inner, blocks };
}

function keyOf(op: Op, inputs: readonly TensorType[], attrs: KernelArgs<Op>['attrs']): string | undefined {
  if (op === 'matmul') {
    const { transA, transB } = attrs as KernelArgs<'matmul'>['attrs'];
    return matmulKey(inputs, transA, transB);
  }
  return isConvOp(op) ? convKey(op, inputs, attrs as KernelArgs<typeof op>['attrs']) : undefined;
}

function isVariant(v: string | undefined): v is MatmulVariant {
  return v !== undefined && (GEMM_VARIANTS as readonly string[]).includes(v);
}

/** The real clock: wall time around the submit, until the GPU says it is done. */
const wallClock: TuneClock = async (_batch, run) => {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
};

/** Buffers for one kernel's inputs and output, and a timer for a dispatch list on them. */
class Bench {
  private readonly buffers: GPUBuffer[];

  constructor(
    private readonly backend: WebGpuBackend,
    inputs: readonly TensorType[],
    out: TensorType,
  ) {
    const bytes = (t: TensorType) => Math.max(16, t.shape.reduce((p, d) => p * d, 1) * 4);
    this.buffers = [...inputs, out].map((t) => backend.createBuffer(bytes(t), 'autotune'));
  }

  /** A function that runs `dispatches` (variant `variant` of GEMM `key`) `reps` times in one submit and returns ms per run. */
  async runner(dispatches: readonly Dispatch[], key: string, variant: MatmulVariant): Promise<(reps: number) => Promise<number>> {
    const { backend } = this;
    const device = backend.gpu;
    const clock = backend.options.clock ?? wallClock;
    const out = this.buffers[this.buffers.length - 1]!;
    const maxPerDim = device.limits.maxComputeWorkgroupsPerDimension;
    const passes = await Promise.all(
      dispatches
        .filter((d) => d.workgroups > 0)
        .map(async (d) => {
          if (d.params) throw new Error('autotune: GEMM kernels take no params uniform');
          const pipeline = await backend.pipeline(d.code, d.inputs.length, false);
          const bindGroup = device.createBindGroup({
            layout: backend.layout(d.inputs.length, false),
            entries: [...d.inputs.map((i) => this.buffers[i]!), out].map((buffer, binding) => ({ binding, resource: { buffer } })),
          });
          const x = Math.min(d.workgroups, maxPerDim);
          return { pipeline, bindGroup, x, y: Math.ceil(d.workgroups / x) };
        }),
    );
    return async (reps) => {
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      for (let r = 0; r < reps; r++) {
        for (const p of passes) {
          pass.setPipeline(p.pipeline);
          pass.setBindGroup(0, p.bindGroup);
          pass.dispatchWorkgroups(p.x, p.y);
        }
      }
      pass.end();
      await device.queue.onSubmittedWorkDone(); // earlier work must not count
      const ms = await clock({ key, variant, reps }, async () => {
        device.queue.submit([encoder.finish()]);
        await device.queue.onSubmittedWorkDone();
      });
      return ms / reps;
    };
  }

  dispose(): void {
    this.buffers.forEach((b) => this.backend.destroyBuffer(b));
  }
}

/** ms per run of each candidate on `job`'s kernel (candidates far behind after one run are dropped). */
async function measure(backend: WebGpuBackend, job: Job): Promise<Partial<Record<MatmulVariant, number>>> {
  const kernel = WGSL_KERNELS[job.op] as WgslKernel<Op>;
  const bench = new Bench(backend, job.args.inputs, job.args.out);
  try {
    const runners = await Promise.all(
      job.candidates.map((v) => {
        const plan = kernel({ ...job.args, options: { ...backend.options, matmul: v } });
        if (!('dispatches' in plan)) throw new Error(`autotune: ${job.key} has no dispatches`);
        return bench.runner(plan.dispatches, job.key, v);
      }),
    );
    const ms: Partial<Record<MatmulVariant, number>> = {};
    let best = Infinity;
    for (const [i, v] of job.candidates.entries()) {
      const first = await runners[i]!(1); // also pays for lazy first-use work
      if (first > GIVE_UP * best) continue;
      const reps = Math.min(MAX_REPS, Math.max(1, Math.round(BATCH_MS / Math.max(first, 0.01))));
      ms[v] = Math.min(await runners[i]!(reps), await runners[i]!(reps));
      best = Math.min(best, ms[v]);
    }
    return ms;
  } finally {
    bench.dispose();
  }
}

/** The probe GEMMs: a square one (tiles, register blocking) and a thin one with a long inner dimension (split-K). */
function probeJobs(): Job[] {
  const t = (...shape: number[]): TensorType => ({ shape, dtype: 'f32' });
  const job = (key: string, a: TensorType, b: TensorType, out: TensorType, candidates: readonly MatmulVariant[]): Job => ({
    key,
    op: 'matmul',
    args: { inputs: [a, b], attrs: { transA: false, transB: false }, out } as KernelArgs<Op>,
    candidates,
  });
  return [
    job(
      'probe square',
      t(128, 128),
      t(128, 128),
      t(128, 128),
      GEMM_VARIANTS.filter((v) => v !== 'splitk'),
    ),
    job('probe thin', t(8, 4096), t(4096, 8), t(8, 8), ['register', 'splitk']),
  ];
}

/** The variants worth trying on this adapter (probed once per adapter; remembered like choices). */
async function viableVariants(
  backend: WebGpuBackend,
  tuned: Map<string, MatmulVariant>,
  store: NonNullable<KernelOptions['tuneStore']>,
): Promise<MatmulVariant[]> {
  const known = (v: MatmulVariant) => tuned.get(VIABLE + v);
  if (!tuned.has(`${VIABLE}register`)) {
    const saved = await store.get(`${backend.device}|${VIABLE}`);
    saved
      ?.split(',')
      .filter(isVariant)
      .forEach((v) => tuned.set(VIABLE + v, v));
  }
  if (!tuned.has(`${VIABLE}register`)) {
    const viable = new Set<MatmulVariant>(['register']);
    for (const job of probeJobs()) {
      const ms = await measure(backend, job);
      const best = Math.min(...Object.values(ms));
      for (const [v, t] of Object.entries(ms) as [MatmulVariant, number][]) if (t <= PROBE_CUTOFF * best) viable.add(v);
    }
    viable.forEach((v) => tuned.set(VIABLE + v, v));
    await store.set(`${backend.device}|${VIABLE}`, [...viable].join(','));
  }
  return GEMM_VARIANTS.filter((v) => known(v) !== undefined);
}

/**
 * Measure (or recall) the best kernel variant of every matmul and convolution among `nodes`;
 * kernels then find it in `backend.options.tuned`. Does nothing when the options force a variant,
 * turn tuning off, or give no `tuned` map.
 */
export async function tuneMatmuls(backend: WebGpuBackend, nodes: readonly GraphNode[]): Promise<void> {
  const { matmul, tune, tuned, tuneStore: store = PROCESS_STORE, onTune } = backend.options;
  if (matmul !== undefined || tune === false || !tuned) return;
  const types = new Map(nodes.map((n) => [n.id, n.type]));
  const jobs = new Map<string, Omit<Job, 'candidates'> & { blocks: number }>();
  for (const node of nodes) {
    if (node.kind !== 'op') continue;
    const inputs = node.inputs.map((i) => types.get(i));
    if (inputs.some((t) => t === undefined)) continue;
    const key = keyOf(node.op, inputs as TensorType[], node.attrs);
    if (key === undefined || tuned.has(key) || jobs.has(key)) continue;
    const { macs, blocks } = work(node.op, inputs as TensorType[], node.type, node.attrs);
    if (macs < MIN_MACS) continue;
    jobs.set(key, { key, op: node.op, args: { inputs: inputs as TensorType[], attrs: node.attrs, out: node.type }, blocks });
  }
  let viable: MatmulVariant[] | undefined;
  for (const job of jobs.values()) {
    const storeKey = `${backend.device}|${job.key}`;
    const saved = await store.get(storeKey);
    if (isVariant(saved)) {
      tuned.set(job.key, saved);
      continue;
    }
    viable ??= await viableVariants(backend, tuned, store);
    // Split-K gives each 4×4 output block a workgroup: only for small outputs.
    // register_wide is register for convolutions (gemm.ts).
    const candidates = viable.filter((v) => (v !== 'splitk' || job.blocks <= 256) && (v !== 'register_wide' || job.op === 'matmul'));
    if (candidates.length < 2) {
      tuned.set(job.key, candidates[0] ?? 'register');
      continue;
    }
    const ms = await measure(backend, { ...job, candidates });
    const chosen = (Object.entries(ms) as [MatmulVariant, number][]).reduce((a, b) => (b[1] < a[1] ? b : a))[0];
    tuned.set(job.key, chosen);
    await store.set(storeKey, chosen);
    onTune?.({ key: job.key, ms, chosen });
  }
}

/** A TuneStore in memory: share one between backends (say, one per compile) on the same adapter. */
export function memoryTuneStore(): NonNullable<KernelOptions['tuneStore']> {
  const map = new Map<string, string>();
  return { get: (k) => map.get(k), set: (k, v) => void map.set(k, v) };
}
