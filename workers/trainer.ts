/**
 * The training loop that runs inside the worker: it owns the compiled Program, the dataset and
 * every tensor, and streams throttled events to the page. Pure TypeScript (no worker globals),
 * so it is tested in Node.
 */
import type { Backend } from '../engine/backends/backend';
import { CompileError, Program } from '../engine/compile/program';
import { epochBatches, gatherBatch, splitIndices, type Dataset } from '../engine/data';
import type { GraphDocument } from '../engine/graph/document';
import { inferShapes } from '../engine/graph/infer';
import { getNodeSpec } from '../engine/graph/nodes';
import { topologicalOrder } from '../engine/graph/structure';
import { validateDocument } from '../engine/graph/validate';
import { downsample, histogram, tensorStats } from './stats';
import type { BackendInfo, CompileReport, Inspection, MetricPoint, TrainError, TrainEvent, TrainState } from './types';

/** Where the trainer gets its backend and data; the worker passes real ones, tests pass CPU ones. */
export interface TrainerDeps {
  createBackend(): Promise<{ backend: Backend; info: BackendInfo }>;
  loadDataset(doc: GraphDocument): Promise<Dataset>;
  /** Milliseconds clock. */
  now?(): number;
}

/** Events are flushed at most this often (display rate), except state changes, which go at once. */
const FLUSH_MS = 100;
/** Work this long between yields, so pause/stop/inspect messages are served promptly. */
const SLICE_MS = 12;

const yieldToEvents = () => new Promise<void>((r) => setTimeout(r, 0));

export class Trainer {
  private doc: GraphDocument | undefined;
  private program: Program | undefined;
  private backendInfo: BackendInfo | undefined;
  private dataset: Dataset | undefined;
  private split: { train: Int32Array; validation: Int32Array } | undefined;
  private state: TrainState = 'idle';
  private listener: ((e: TrainEvent) => void) | undefined;
  private pending: MetricPoint[] = [];
  private lastFlush = 0;
  private epoch = 0;
  private batches: Generator<Int32Array> | undefined;
  private startedAt = 0;
  private stepTimes: number[] = [];
  private loop: Promise<void> | undefined;
  private stepBudget = Infinity;

  constructor(private readonly deps: TrainerDeps) {}

  private now(): number {
    return this.deps.now?.() ?? performance.now();
  }

  /** Validate and compile `doc`; on success the trainer is ready to train it from fresh weights. */
  async compile(doc: GraphDocument): Promise<CompileReport> {
    await this.stop();
    const { errors } = validateDocument(doc);
    const inferred = inferShapes(doc);
    const nodes = Object.fromEntries([...inferred.nodes].map(([id, info]) => [id, info]));
    const paramCount = [...inferred.nodes.values()].reduce((n, i) => n + i.paramCount, 0);
    // One backend per compile: a WebGPU device is costly, so it is never created just to read its name.
    this.program?.dispose();
    this.program?.backend.dispose();
    this.program = undefined;
    const { backend, info } = await this.deps.createBackend();
    this.backendInfo = info;
    const report = (ok: boolean, errs = errors): CompileReport => ({ ok, errors: errs, nodes, paramCount, backend: this.backendInfo! });
    if (errors.length) {
      backend.dispose();
      return report(false);
    }
    try {
      this.program = await Program.create(doc, backend);
      this.dataset = await this.deps.loadDataset(doc);
      this.split = splitIndices(this.dataset.length, doc.training.validationSplit, doc.training.seed);
      this.doc = doc;
      this.resetCounters();
      const dataError = this.checkData();
      if (dataError) return report(false, [{ code: 'missing_input', message: dataError.message, ...(dataError.node ? { node: dataError.node } : {}) }]);
      return report(true, []);
    } catch (e) {
      if (e instanceof CompileError) return report(false, [...e.errors]);
      return report(false, [{ code: 'schema', message: e instanceof Error ? e.message : String(e) }]);
    }
  }

  /** Start (or resume) training; events go to `onEvent`. Resolves once the loop is running. */
  async train(onEvent?: (e: TrainEvent) => void): Promise<void> {
    if (onEvent) this.listener = onEvent;
    if (!this.program) return this.fail({ code: 'compile', message: 'compile a graph before training' });
    if (this.state === 'running') return;
    this.stepBudget = Infinity;
    this.run();
  }

  /** Stop after the current step, keeping weights and position. */
  pause(): void {
    if (this.state === 'running') this.setState('paused');
  }

  /** Take exactly `n` steps, then pause. Resolves when they are done. */
  async step(n: number): Promise<void> {
    if (!this.program || this.state === 'running') return;
    this.stepBudget = n;
    this.run();
    await this.loop;
  }

  /** Pause and wait for the loop to finish its step. */
  async stop(): Promise<void> {
    this.pause();
    await this.loop;
  }

  /** Fresh weights and counters, same document. */
  async reset(): Promise<CompileReport | undefined> {
    if (!this.doc) return undefined;
    return this.compile(this.doc);
  }

  setLearningRate(lr: number): void {
    if (this.program && Number.isFinite(lr) && lr > 0) this.program.learningRate = lr;
  }

  get status() {
    const total = this.totalSteps();
    const times = this.stepTimes;
    const span = times.length > 1 ? times[times.length - 1]! - times[0]! : 0;
    return { state: this.state, step: this.program?.stepCount ?? 0, epoch: this.epoch, totalSteps: total, stepsPerSecond: span > 0 ? ((times.length - 1) * 1000) / span : 0 };
  }

  /** A node's value or gradient at the current step, summarised for display. */
  async inspect(node: string, what: 'value' | 'grad', options: { bins?: number; maxValues?: number } = {}): Promise<Inspection> {
    if (!this.program) throw new Error('nothing is compiled');
    const { data, shape } = await this.program.read(node, what);
    const stats = tensorStats(data);
    return { node, what, step: this.program.stepCount, shape: [...shape], stats, histogram: histogram(data, options.bins ?? 30, stats), values: downsample(data, options.maxValues ?? 4096) };
  }

  async getWeights(): Promise<Record<string, Float32Array>> {
    if (!this.program) throw new Error('nothing is compiled');
    return this.program.getWeights();
  }

  setWeights(weights: Record<string, Float32Array>): void {
    if (!this.program) throw new Error('nothing is compiled');
    this.program.setWeights(weights);
  }

  private resetCounters(): void {
    this.state = 'idle';
    this.epoch = 0;
    this.batches = undefined;
    this.pending = [];
    this.stepTimes = [];
  }

  private totalSteps(): number {
    if (!this.doc || !this.split) return 0;
    const t = this.doc.training;
    return t.steps ?? t.epochs * Math.floor(this.split.train.length / t.batchSize);
  }

  private checkData(): TrainError | undefined {
    const program = this.program!;
    const ds = this.dataset!;
    for (const [field, type] of program.fields) {
      const spec = ds.fields[field];
      if (!spec) return { code: 'data', message: `the dataset "${ds.name}" has no field "${field}" (it has ${Object.keys(ds.fields).join(', ')})` };
      const need = type.shape.reduce((a, d) => a * d, 1);
      const have = spec.shape.reduce((a, d) => a * d, 1);
      if (need !== have || spec.dtype !== type.dtype) {
        return { code: 'data', message: `field "${field}" holds [${spec.shape.join(', ')}] ${spec.dtype} per sample but the graph reads [${type.shape.join(', ')}] ${type.dtype}` };
      }
    }
    const batch = this.doc!.training.batchSize;
    if (this.split!.train.length < batch) {
      return { code: 'data', message: `the training split has ${this.split!.train.length} samples, fewer than the batch size ${batch}: lower the batch size or the validation split` };
    }
    return undefined;
  }

  private run(): void {
    this.startedAt ||= this.now();
    this.setState('running');
    this.loop = this.runLoop().catch((e) => this.fail({ code: 'internal', message: e instanceof Error ? e.message : String(e) }));
  }

  private nextBatch(): Int32Array {
    const t = this.doc!.training;
    for (;;) {
      this.batches ??= epochBatches(this.split!.train, t.batchSize, t.seed, this.epoch, true);
      const next = this.batches.next();
      if (!next.done) return next.value;
      this.batches = undefined;
      this.epoch++;
    }
  }

  private async runLoop(): Promise<void> {
    const program = this.program!;
    const total = this.totalSteps();
    let sliceStart = this.now();
    while (this.state === 'running') {
      if (program.stepCount >= total) {
        await this.validate();
        this.setState('done');
        break;
      }
      if (this.stepBudget <= 0) {
        this.setState('paused');
        break;
      }
      const epochBefore = this.epoch;
      const idx = this.nextBatch();
      if (this.epoch !== epochBefore) await this.validate(epochBefore);
      const lr = program.currentLearningRate;
      const loss = await program.step(gatherBatch(this.dataset!, idx));
      this.stepBudget--;
      const metrics = await program.metrics();
      const now = this.now();
      this.stepTimes.push(now);
      if (this.stepTimes.length > 50) this.stepTimes.shift();
      this.pending.push({ step: program.stepCount, epoch: this.epoch, time: now - this.startedAt, loss, lr, metrics });
      if (!Number.isFinite(loss)) {
        this.flush();
        const node = await this.firstNonFinite();
        this.fail({ code: 'nan', message: `the loss became ${loss} at step ${program.stepCount}${node ? `; the first non-finite value appears at node ${node}` : ''} — try a lower learning rate`, ...(node ? { node } : {}) }, 'paused');
        break;
      }
      if (now - this.lastFlush >= FLUSH_MS) this.flush();
      if (now - sliceStart >= SLICE_MS) {
        await yieldToEvents();
        sliceStart = this.now();
      }
    }
    this.flush();
  }

  /** Loss and metrics over the validation split, in batches of the training batch size. */
  private async validate(epoch = this.epoch): Promise<void> {
    const program = this.program!;
    const val = this.split!.validation;
    if (!val.length) return;
    const withRole = (role: string) => this.doc!.nodes.filter((n) => getNodeSpec(n.type)?.role === role).map((n) => n.id);
    const lossNodes = withRole('loss');
    const metricNodes = withRole('metric');
    const sums: Record<string, number> = {};
    const out = await program.forward(gatherBatch(this.dataset!, val));
    for (const id of [...lossNodes, ...metricNodes]) {
      const port = out.get(id);
      const v = port && Object.values(port)[0];
      if (v) sums[id] = v.data[0]!;
    }
    const loss = lossNodes.reduce((s, id) => s + (sums[id] ?? 0), 0);
    const metrics = Object.fromEntries(metricNodes.filter((id) => id in sums).map((id) => [id, sums[id]!]));
    this.emit({ type: 'validation', point: { step: program.stepCount, epoch, loss, metrics } });
  }

  /** The first node, in graph order, whose output holds NaN or Inf at the current step. */
  private async firstNonFinite(): Promise<string | undefined> {
    for (const id of topologicalOrder(this.doc!)) {
      const value = await this.program!.read(id).catch(() => undefined);
      if (value && Array.from(value.data).some((v) => !Number.isFinite(v))) return id;
    }
    return undefined;
  }

  private flush(): void {
    this.lastFlush = this.now();
    if (this.pending.length) this.emit({ type: 'metrics', points: this.pending });
    this.pending = [];
    this.emit({ type: 'status', status: this.status });
  }

  private setState(state: TrainState): void {
    this.state = state;
    this.flush();
  }

  private fail(error: TrainError, state: TrainState = 'error'): void {
    this.emit({ type: 'error', error });
    this.setState(state);
  }

  private emit(e: TrainEvent): void {
    this.listener?.(e);
  }
}
