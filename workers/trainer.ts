/**
 * The training loop that runs inside the worker: it owns the compiled Program, the dataset and
 * every tensor, and streams throttled events to the page. Pure TypeScript (no worker globals),
 * so it is tested in Node.
 */
import type { Backend } from '../engine/backends/backend';
import { evaluate } from '../engine/compile/evaluate';
import { CompileError, Program, type OpView, type StepRecord } from '../engine/compile/program';
import { createYield } from './yieldToEvents';
import { epochBatches, gatherBatch, splitIndices, type Dataset } from '../engine/data';
import type { GraphDocument } from '../engine/graph/document';
import { inferShapes } from '../engine/graph/infer';
import { topologicalOrder } from '../engine/graph/structure';
import { validateDocument } from '../engine/graph/validate';
import { Observer, type ObserveConfig } from './observe';
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
export const FLUSH_MS = 100;
/**
 * Validation runs at the end of an epoch, but at most this often: a tiny dataset on a fast GPU
 * finishes hundreds of epochs a second, and validating (and redrawing) each would swamp the page.
 */
export const VALIDATE_MIN_MS = 500;
/** Work this long between yields, so pause/stop/inspect messages are served promptly. */
const SLICE_MS = 12;

const yieldToEvents = createYield();

/** Datasets up to this size live on the GPU (uploaded once; batches gathered there from indices). */
const RESIDENT_MAX_BYTES = 96 * 1024 * 1024;

function datasetBytes(ds: Dataset): number {
  return Object.values(ds.data).reduce((n, a) => n + a.byteLength, 0);
}

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
  private lastValidation = -Infinity;
  /** When each step not yet drained was submitted (ms), oldest first. */
  private submitTimes: number[] = [];
  /** The sample indices of each step not yet drained, oldest first (to replay a step that went NaN). */
  private submitted: Int32Array[] = [];
  private readonly observer = new Observer();

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
    this.dataset = undefined;
    this.split = undefined;
    this.doc = undefined;
    const report = (ok: boolean, errs = errors): CompileReport => ({ ok, errors: errs, nodes, paramCount, backend: this.backendInfo! });
    if (errors.length) {
      backend.dispose();
      return report(false);
    }
    try {
      this.dataset = await this.deps.loadDataset(doc);
      this.program = await this.createProgram(doc, backend, this.dataset);
      this.split = splitIndices(this.dataset.length, doc.training.validationSplit, doc.training.seed);
      this.doc = doc;
      this.resetCounters();
      const dataError = this.checkData();
      if (dataError) return report(false, [{ code: 'missing_input', message: dataError.message, ...(dataError.node ? { node: dataError.node } : {}) }]);
      return report(true, []);
    } catch (e) {
      // Nothing compiled: give the device back now (the next compile would not find it).
      this.program?.dispose();
      (this.program?.backend ?? backend).dispose();
      this.program = undefined;
      if (e instanceof CompileError) return report(false, [...e.errors]);
      return report(false, [{ code: 'schema', message: e instanceof Error ? e.message : String(e) }]);
    }
  }

  /**
   * On WebGPU a dataset that fits is uploaded once and batches are gathered on the device; if the
   * resident program cannot be prepared (device limits), fall back to feeding batches on a fresh
   * backend (the failed attempt's dataset variables would otherwise stay on the device).
   */
  private async createProgram(doc: GraphDocument, backend: Backend, dataset: Dataset): Promise<Program> {
    if (backend.kind === 'webgpu' && datasetBytes(dataset) <= RESIDENT_MAX_BYTES) {
      try {
        return await Program.create(doc, backend, { resident: dataset.data });
      } catch (e) {
        if (e instanceof CompileError) throw e;
        backend.dispose();
        const fresh = await this.deps.createBackend();
        this.backendInfo = fresh.info;
        backend = fresh.backend;
      }
    }
    return Program.create(doc, backend);
  }

  /** True when the compiled program holds the dataset on the device (batches gathered there). */
  get dataOnDevice(): boolean {
    return this.program?.resident ?? false;
  }

  /** What the dashboard wants sampled while training (histograms, probes …). */
  observe(config: ObserveConfig): void {
    this.observer.configure(config);
  }

  /** Sample what observe() asked for right now, when not training (a probe opened while paused); the events are returned. */
  async observeNow(): Promise<TrainEvent[]> {
    if (!this.program || !this.doc || !this.dataset || !this.split || this.state === 'running') return [];
    return this.observer.afterFlush({ program: this.program, doc: this.doc, dataset: this.dataset, split: this.split, final: true });
  }

  /** The compiled training program's ops (forward, autodiff's backward, updates); empty before compiling. */
  opGraph(): OpView[] {
    return this.program?.opGraph() ?? [];
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
    // No status yet: the loop is finishing its step and says 'paused' with the final step count,
    // so the page never shows a paused step number that is about to change.
    if (this.state === 'running') this.state = 'paused';
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
    this.submitTimes = [];
    this.submitted = [];
    this.lastValidation = -Infinity;
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
    let failed = false;
    while (this.state === 'running') {
      if (program.stepCount >= total) {
        if ((failed = await this.collect())) break;
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
      if (this.epoch !== epochBefore && this.now() - this.lastValidation >= VALIDATE_MIN_MS) {
        if ((failed = await this.collect())) break;
        await this.validate(epochBefore);
      }
      // No readback here: the loss and metrics are logged on the device and drained at flush time.
      if (program.resident) await program.stepIndices(idx);
      else await program.run(gatherBatch(this.dataset!, idx));
      this.stepBudget--;
      const now = this.now();
      this.submitTimes.push(now);
      this.submitted.push(idx);
      this.stepTimes.push(now);
      if (this.stepTimes.length > 50) this.stepTimes.shift();
      if (now - this.lastFlush >= FLUSH_MS) {
        if ((failed = await this.collect())) break;
        this.flush();
        await this.observeAfterFlush(false);
      }
      if (now - sliceStart >= SLICE_MS) {
        await yieldToEvents();
        sliceStart = this.now();
      }
    }
    if (!failed) failed = await this.collect();
    this.flush();
    await this.observeAfterFlush(true);
  }

  /**
   * Drain the steps logged since the last call into pending metric points. A non-finite loss
   * pauses training with the first non-finite node named; returns true then.
   */
  private async collect(): Promise<boolean> {
    const program = this.program!;
    const records: StepRecord[] = await program.drain();
    const times = this.submitTimes.splice(0, records.length);
    const batches = this.submitted.splice(0, records.length);
    // The device latches (stops updating) on a non-finite loss: that ends the run here.
    const bad = records.find((r) => !Number.isFinite(r.loss));
    for (const [k, r] of records.entries()) {
      this.pending.push({ step: r.step, epoch: this.epoch, time: (times[k] ?? this.now()) - this.startedAt, loss: r.loss, lr: r.lr, gradNorm: r.gradNorm, metrics: r.metrics });
      if (r === bad) break;
    }
    if (!bad) return false;
    this.flush();
    // The program halted its updates at the bad step, so its weights are those before it:
    // replaying that step's batch reproduces the values where the NaN/Inf first appeared.
    const idx = batches[records.indexOf(bad)];
    if (idx) await program.replay(bad.step, program.resident ? idx : gatherBatch(this.dataset!, idx));
    const node = await this.firstNonFinite();
    await program.resumeBefore(bad.step);
    this.submitTimes = [];
    this.submitted = [];
    this.fail({ code: 'nan', message: `the loss became ${bad.loss} at step ${bad.step}${node ? `; the first non-finite value appears at node ${node}` : ''}. Training paused with the weights from before that step — lower the learning rate and resume`, ...(node ? { node } : {}) }, 'paused');
    return true;
  }

  private async observeAfterFlush(final: boolean): Promise<void> {
    if (!this.program || !this.doc || !this.dataset || !this.split) return;
    const events = await this.observer.afterFlush({ program: this.program, doc: this.doc, dataset: this.dataset, split: this.split, final });
    events.forEach((e) => this.emit(e));
  }

  /** Loss and metrics over the validation split (see engine/compile/evaluate.ts). */
  private async validate(epoch = this.epoch): Promise<void> {
    const val = this.split!.validation;
    if (!val.length) return;
    this.lastValidation = this.now();
    const { loss, metrics } = await evaluate(this.program!, this.doc!, this.dataset!, val);
    this.emit({ type: 'validation', point: { step: this.program!.stepCount, epoch, loss, metrics } });
  }

  /** The first node, in graph order, whose output holds NaN or Inf at the current step (counted on the device). */
  private async firstNonFinite(): Promise<string | undefined> {
    const order = topologicalOrder(this.doc!);
    const counts = await this.program!.nonFiniteCounts(order);
    return order.find((id) => (counts.get(id) ?? 0) > 0);
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
