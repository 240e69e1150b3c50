/**
 * The training loop that runs inside the worker: it owns the compiled Program, the dataset and
 * every tensor, and streams throttled events to the page. Pure TypeScript (no worker globals),
 * so it is tested in Node.
 */
import type { Backend } from '../engine/backends/backend';
import { evaluate } from '../engine/compile/evaluate';
import { CompileError, Program, type StepRecord } from '../engine/compile/program';
import { createYield } from './yieldToEvents';
import { gatherBatch, splitIndices, type Dataset } from '../engine/data';
import { checkDatasetLabels } from '../engine/data/labels';
import { matchedValues, matchWeights, readSafetensors, type WeightMatch } from '../engine/interchange';
import { classifyChange, type DocumentChange } from '../engine/graph/change';
import { expandedWeightNames } from '../engine/graph/nodes/attentionExpand';
import type { GraphDocument } from '../engine/graph/document';
import type { GraphError } from '../engine/graph/errors';
import { inferShapes } from '../engine/graph/infer';
import { validateDocument } from '../engine/graph/validate';
import { CheckpointStore, type StoredCheckpoint } from './checkpoints';
import { Observer, type ObserveConfig } from './observe';
import { RunAnnouncer } from './runAnnouncer';
import { diagnoseNonFinite } from './nonFinite';
import { dataRefusal, datasetBytes, memoryRefusal, updateRefusal } from './admission';
import { EpochCursor } from './epochCursor';
import { SessionView } from './sessionView';
import type { BackendInfo, CheckpointPolicy, CompileReport, MetricPoint, TrainError, TrainEvent, TrainState, UpdateReport } from './types';

export type { TrainerDeps } from './sessionView';

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

const NO_CHANGE: DocumentChange = { kind: 'none', reasons: [] };

/**
 * The training session (DESIGN.md, "The training session"): the worker owns the run. The page
 * opens a document (a new run from fresh weights) and sends every later version with update(); the
 * session decides what each edit means — live (applied at the next step), hot (recompiled, every
 * tensor whose node id and shape are unchanged kept, the run goes on with its step count) or
 * restart-needed (nothing applied: only the user starts a new run) — and announces runs as events.
 * The backend (a GPU device and its pipeline cache) lives as long as the session. The commands
 * that only read the run (predict, inspect, exports …) are SessionView's (workers/sessionView.ts).
 */
export class Trainer extends SessionView {
  private backend: { backend: Backend; info: BackendInfo } | undefined;
  private state: TrainState = 'idle';
  private listener: ((e: TrainEvent) => void) | undefined;
  private pending: MetricPoint[] = [];
  private lastFlush = 0;
  private readonly cursor = new EpochCursor();
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
  /** The run in progress; announced (run_started) when its first step is taken. */
  private readonly run = new RunAnnouncer((e) => this.emit(e));
  private readonly checkpoints = new CheckpointStore();
  /** Set while a command holds the loop stopped without pausing the run (a hot edit, a roll back). */
  private suspended = false;

  private now(): number {
    return this.deps.now?.() ?? performance.now();
  }

  /** Where events go (the page subscribes once). */
  subscribe(onEvent: (e: TrainEvent) => void): void {
    this.listener = onEvent;
  }

  /**
   * Validate and compile `doc` as a new run from fresh weights (the previous run, if any, ends:
   * `reason`). The backend is kept, so a second compile reuses its device and pipelines.
   */
  open(doc: GraphDocument, reason: 'closed' | 'restarted' = 'closed'): Promise<CompileReport> {
    return this.exclusive(() => this.openNow(doc, reason));
  }

  /** Stop and forget the run (another document was opened); the backend stays for the next one. */
  close(): Promise<void> {
    return this.exclusive(async () => {
      await this.stopLoop();
      this.run.end('closed');
      this.program?.dispose();
      this.program = undefined;
      this.doc = undefined;
      this.checkpoints.clear();
      this.resetCounters();
      this.emit({ type: 'checkpoints', checkpoints: [] });
      this.flush();
    });
  }

  /** A new run of `doc` from fresh weights, on the user's request. */
  restart(doc: GraphDocument): Promise<CompileReport> {
    return this.open(doc, 'restarted');
  }

  private async openNow(doc: GraphDocument, reason: 'closed' | 'restarted' | 'forked', from?: StoredCheckpoint): Promise<CompileReport> {
    await this.stopLoop();
    this.run.end(reason);
    const { errors } = validateDocument(doc);
    const inferred = inferShapes(doc);
    const nodes = Object.fromEntries([...inferred.nodes].map(([id, info]) => [id, info]));
    const paramCount = [...inferred.nodes.values()].reduce((n, i) => n + i.paramCount, 0);
    this.program?.dispose();
    this.program = undefined;
    this.dataset = undefined;
    this.split = undefined;
    this.doc = undefined;
    if (!from) {
      this.checkpoints.clear();
      this.emit({ type: 'checkpoints', checkpoints: [] });
    }
    const { backend, info } = await this.acquireBackend();
    const report = (ok: boolean, errs: readonly GraphError[] = errors): CompileReport => ({
      ok,
      errors: errs,
      nodes,
      paramCount,
      backend: this.backend?.info ?? info,
    });
    // Before anything is allocated: the same refusal the page shows while editing.
    const memory = memoryRefusal(doc, info);
    if (memory.length) return report(false, [...memory, ...errors]);
    if (errors.length) return report(false);
    try {
      this.dataset = await this.deps.loadDataset(doc);
      // An upload's size is known only now: check again before the program allocates.
      const withData = memoryRefusal(doc, info, datasetBytes(this.dataset));
      if (withData.length) {
        this.dataset = undefined;
        return report(false, withData);
      }
      this.program = await this.createProgram(doc, backend, this.dataset, false);
      this.split = splitIndices(this.dataset.length, doc.training.validationSplit, doc.training.seed);
      this.doc = doc;
      this.resetCounters();
      if (from) {
        await this.program.restore(from.data);
        this.program.stepCount = from.info.step;
        // Another batch size reads the epoch differently: start the epoch over.
        this.cursor.moveTo(from.info.epoch, from.doc.training.batchSize === doc.training.batchSize ? from.batchInEpoch : 0);
      }
      this.run.begin({ doc, startStep: this.program.stepCount, ...(from ? { parent: { run: from.info.run, step: from.info.step } } : {}) });
      const dataError = dataRefusal(this.program, doc, this.dataset, this.split.train.length);
      if (dataError) return report(false, [{ code: 'missing_input', message: dataError.message, ...(dataError.node ? { node: dataError.node } : {}) }]);
      // A label outside a loss's classes would silently train as loss 0 on the device.
      const label = checkDatasetLabels(doc, this.dataset, inferred.nodes);
      if (label) return report(false, [{ code: 'bad_label', node: label.node, message: label.message }]);
      return report(true, []);
    } catch (e) {
      this.program?.dispose();
      this.program = undefined;
      if (e instanceof CompileError) return report(false, [...e.errors]);
      // Not the document's fault (a device limit, a lost device): the next compile starts a fresh backend.
      this.releaseBackend();
      return report(false, [{ code: 'schema', message: e instanceof Error ? e.message : String(e) }]);
    }
  }

  /**
   * The page's latest document. Applies it live or as a hot edit when the run can take it, keeping
   * the run going (or paused) as it was; otherwise says why not and changes nothing.
   */
  update(doc: GraphDocument): Promise<UpdateReport> {
    return this.exclusive(() => this.updateNow(doc));
  }

  private async updateNow(doc: GraphDocument): Promise<UpdateReport> {
    if (!this.program || !this.doc) return { applied: 'no-session', change: NO_CHANGE, errors: [] };
    const change = classifyChange(this.doc, doc);
    if (change.kind === 'none') {
      this.doc = doc;
      return { applied: 'none', change, errors: [] };
    }
    if (change.kind === 'restart') return { applied: 'restart-needed', change, errors: [] };
    const refused = updateRefusal(doc, {
      ...(this.backend ? { info: this.backend.info } : {}),
      ...(this.dataset ? { dataset: this.dataset } : {}),
      trainSamples: this.split?.train.length ?? 0,
    });
    if (refused.length) return { applied: 'invalid', change, errors: refused };
    if (change.kind === 'live' && this.program.applyTraining(doc.training)) {
      this.doc = doc;
      this.run.changed({ step: this.program.stepCount, kind: 'live', reasons: change.reasons });
      this.flush();
      return { applied: 'live', change, errors: [] };
    }
    return this.hotEdit(doc, change);
  }

  /** Recompile `doc` on the same backend, carrying over every tensor whose name and shape are unchanged. */
  private async hotEdit(doc: GraphDocument, change: DocumentChange): Promise<UpdateReport> {
    const old = this.program!;
    const oldDoc = this.doc!;
    const step = old.stepCount;
    let failure: CompileError | undefined;
    await this.suspend(async () => {
      try {
        // Compiling is pure and fails before any variable changes, so on a CompileError the old
        // program goes on untouched; once the new one exists, the old one is done.
        // ⊞ on a composite node while training: its weights go on under its parts' names.
        const renamed = expandedWeightNames(oldDoc, doc, this.backend!.backend.variableNames());
        const program = await this.createProgram(doc, this.backend!.backend, this.dataset!, true, renamed);
        program.stepCount = step;
        old.dispose();
        this.program = program;
        this.doc = doc;
      } catch (e) {
        if (!(e instanceof CompileError)) throw e;
        failure = e;
        return;
      }
      if (doc.training.batchSize !== oldDoc.training.batchSize) this.cursor.restartEpoch();
    });
    if (failure) return { applied: 'invalid', change, errors: failure.errors };
    const carried = this.program!.carried;
    this.run.changed({ step, kind: 'hot', reasons: change.reasons, ...(carried ? { carried } : {}) });
    this.flush();
    return { applied: 'hot', change, errors: [], ...(carried ? { carried } : {}) };
  }

  /** A new run from checkpoint `step` of run `run`, with `doc`'s graph and settings (weights matched by name and shape). */
  fork(run: string, step: number, doc: GraphDocument): Promise<CompileReport> {
    return this.exclusive(async () => {
      const from = this.checkpoints.find(run, step);
      if (!from) throw new Error(`there is no checkpoint at step ${step} of this run (it may have been dropped to save memory)`);
      return this.openNow(doc, 'forked', from);
    });
  }

  /** Continue the current run from its checkpoint at `step`; the later steps are forgotten. */
  rollback(step: number): Promise<void> {
    return this.exclusive(async () => {
      const run = this.run.id;
      const cp = run && this.checkpoints.find(run, step);
      if (!cp || !this.program) throw new Error(`there is no checkpoint at step ${step} of this run (it may have been dropped to save memory)`);
      await this.suspend(async () => {
        await this.program!.restore(cp.data);
        this.program!.stepCount = step;
        this.cursor.moveTo(cp.info.epoch, cp.batchInEpoch);
        this.checkpoints.dropAfter(cp.info.run, step);
      });
      this.run.changed({ step, kind: 'rollback', reasons: [`rolled back to step ${step}`] });
      this.emit({ type: 'checkpoints', checkpoints: this.checkpoints.list() });
      this.flush();
    });
  }

  /** When snapshots are taken and how many are kept. */
  setCheckpointPolicy(policy: CheckpointPolicy): void {
    this.checkpoints.policy = { everySteps: Math.max(0, Math.floor(policy.everySteps)), keep: Math.max(1, Math.floor(policy.keep)) };
  }

  /** Stop the loop (if it runs) without pausing the run, do `f`, then let the loop go on as it was. */
  private async suspend(f: () => Promise<void>): Promise<void> {
    this.suspended = true;
    try {
      await this.loop;
      await f();
    } finally {
      this.suspended = false;
      // A pause that came meanwhile set the state to paused; otherwise carry on.
      if (this.state === 'running') this.startLoop();
      else this.flush();
    }
  }

  /**
   * The backend this session trains on (creating it if need be), so the page can check graphs
   * against the device's real limits before the first compile.
   */
  backendInfo(): Promise<BackendInfo> {
    return this.exclusive(async () => (await this.acquireBackend()).info);
  }

  private async acquireBackend(): Promise<{ backend: Backend; info: BackendInfo }> {
    this.backend ??= await this.deps.createBackend();
    return this.backend;
  }

  private releaseBackend(): void {
    this.backend?.backend.dispose();
    this.backend = undefined;
  }

  /**
   * On WebGPU a dataset that fits is uploaded once and batches are gathered on the device; if the
   * resident program cannot be prepared (device limits), fall back to feeding batches on a fresh
   * backend (the failed attempt's dataset variables would otherwise stay on the device).
   */
  private async createProgram(doc: GraphDocument, backend: Backend, dataset: Dataset, carry: boolean, renamed?: ReadonlyMap<string, string>): Promise<Program> {
    const options = carry ? { carry: 'backend' as const, ...(renamed ? { renamed } : {}) } : {};
    if (backend.kind === 'webgpu' && datasetBytes(dataset) <= RESIDENT_MAX_BYTES) {
      try {
        return await Program.create(doc, backend, { ...options, resident: dataset.data });
      } catch (e) {
        if (e instanceof CompileError) throw e;
        this.releaseBackend();
        backend = (await this.acquireBackend()).backend;
      }
    }
    return Program.create(doc, backend, options);
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

  /** Start (or resume) the run; events go to `onEvent` (or the subscriber). Resolves once the loop is running. */
  train(onEvent?: (e: TrainEvent) => void): Promise<void> {
    if (onEvent) this.listener = onEvent;
    return this.exclusive(async () => {
      if (!this.program) return this.fail({ code: 'compile', message: 'compile a graph before training' });
      if (this.state === 'running') return;
      this.stepBudget = Infinity;
      this.startLoop();
    });
  }

  /** Stop after the current step, keeping weights and position. */
  pause(): void {
    // No status yet: the loop is finishing its step and says 'paused' with the final step count,
    // so the page never shows a paused step number that is about to change.
    if (this.state === 'running') this.state = 'paused';
  }

  /** Take exactly `n` steps, then pause. Resolves when they are done. */
  step(n: number): Promise<void> {
    return this.exclusive(async () => {
      if (!this.program || this.state === 'running') return;
      this.stepBudget = n;
      this.startLoop();
      await this.loop;
    });
  }

  /** Pause and wait for the loop to finish its step. */
  async stop(): Promise<void> {
    this.pause();
    await this.loop;
  }

  /** Pause without a status event and wait (a new run is about to replace this one). */
  private async stopLoop(): Promise<void> {
    if (this.state === 'running') this.state = 'paused';
    await this.loop;
  }

  get status() {
    const total = this.totalSteps();
    const times = this.stepTimes;
    const span = times.length > 1 ? times[times.length - 1]! - times[0]! : 0;
    return {
      state: this.state,
      step: this.program?.stepCount ?? 0,
      epoch: this.cursor.epoch,
      totalSteps: total,
      stepsPerSecond: span > 0 ? ((times.length - 1) * 1000) / span : 0,
    };
  }

  setWeights(weights: Record<string, Float32Array>): void {
    if (!this.program) throw new Error('nothing is compiled');
    this.program.setWeights(weights);
  }

  /**
   * Put a safetensors file's tensors into the open run, matched by name and shape; nothing is
   * written unless every tensor of the file that names a variable fits it. The report names every
   * node whose weights were missing, unexpected or of another shape.
   */
  loadWeights(bytes: Uint8Array): Promise<WeightMatch> {
    return this.exclusive(async () => {
      if (!this.program) throw new Error('nothing is compiled: open a graph before loading weights into it');
      const file = readSafetensors(bytes);
      const match = matchWeights(this.program.variables, file);
      if (match.shapeMismatches.length || match.typeMismatches.length || !match.matched.length) return match;
      await this.suspend(async () => this.program!.setWeights(matchedValues(file, match)));
      // A run that has weights of its own now: Train resumes from them (fine-tuning) instead of starting afresh.
      if (this.state === 'idle' || this.state === 'done') {
        this.state = 'paused';
        this.flush();
      }
      return match;
    });
  }

  private resetCounters(): void {
    this.state = 'idle';
    this.startedAt = 0;
    this.submitTimes = [];
    this.submitted = [];
    this.lastValidation = -Infinity;
    this.cursor.reset();
    this.pending = [];
    this.stepTimes = [];
  }

  private totalSteps(): number {
    if (!this.doc || !this.split) return 0;
    const t = this.doc.training;
    return t.steps ?? t.epochs * Math.floor(this.split.train.length / t.batchSize);
  }

  private startLoop(): void {
    this.startedAt ||= this.now();
    this.setState('running');
    this.loop = this.runLoop().catch((e) => this.fail({ code: 'internal', message: e instanceof Error ? e.message : String(e) }));
  }

  /** run_started (with a snapshot of the start) before the run's first step. */
  private async announceRun(): Promise<void> {
    if (this.run.announce()) await this.takeCheckpoint();
  }

  private checkpointDue(): boolean {
    const run = this.run.id;
    return !!run && !!this.program && this.checkpoints.due(run, this.program.stepCount);
  }

  private async takeCheckpoint(): Promise<void> {
    const run = this.run.id;
    if (!run || !this.program || !this.doc) return;
    const data = await this.program.snapshot();
    this.checkpoints.add({
      info: { run, step: this.program.stepCount, epoch: this.cursor.epoch, bytes: data.bytes },
      batchInEpoch: this.cursor.batchInEpoch,
      doc: this.doc,
      data,
    });
    this.emit({ type: 'checkpoints', checkpoints: this.checkpoints.list() });
  }

  private async runLoop(): Promise<void> {
    const program = this.program!;
    const total = this.totalSteps();
    let sliceStart = this.now();
    let failed = false;
    // The first step after a start, a resume or an edit is shown as soon as it is done.
    let shown = false;
    await this.announceRun();
    while (this.state === 'running' && !this.suspended) {
      // A pause or an edit that came while the device was busy goes first: no step is queued behind it.
      await program.room();
      if (this.state !== 'running' || this.suspended) break;
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
      const epochBefore = this.cursor.epoch;
      const t = this.doc!.training;
      const idx = this.cursor.next(this.split!.train, t.batchSize, t.seed);
      if (this.cursor.epoch !== epochBefore && this.now() - this.lastValidation >= VALIDATE_MIN_MS) {
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
      if (!shown || now - this.lastFlush >= FLUSH_MS) {
        shown = true;
        if ((failed = await this.collect())) break;
        this.flush();
        await this.observeAfterFlush(false);
        if (this.checkpointDue()) await this.takeCheckpoint();
      }
      if (now - sliceStart >= SLICE_MS) {
        await yieldToEvents();
        sliceStart = this.now();
      }
    }
    if (!failed) failed = await this.collect();
    this.flush();
    // Held for a hot edit or a roll back: the run goes on in a moment, nothing to show yet.
    if (!this.suspended) await this.observeAfterFlush(true);
    if (!failed && this.checkpointDue()) await this.takeCheckpoint();
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
      this.pending.push({
        step: r.step,
        epoch: this.cursor.epoch,
        time: (times[k] ?? this.now()) - this.startedAt,
        loss: r.loss,
        lr: r.lr,
        gradNorm: r.gradNorm,
        metrics: r.metrics,
      });
      if (r === bad) break;
    }
    if (!bad) return false;
    this.flush();
    const error = await diagnoseNonFinite(program, this.doc!, this.dataset!, bad.step, bad.loss, batches[records.indexOf(bad)]);
    this.submitTimes = [];
    this.submitted = [];
    this.fail(error, 'paused');
    return true;
  }

  private async observeAfterFlush(final: boolean): Promise<void> {
    if (!this.program || !this.doc || !this.dataset || !this.split) return;
    const events = await this.observer.afterFlush({ program: this.program, doc: this.doc, dataset: this.dataset, split: this.split, final });
    events.forEach((e) => this.emit(e));
  }

  /** Loss and metrics over the validation split (see engine/compile/evaluate.ts). */
  private async validate(epoch = this.cursor.epoch): Promise<void> {
    const val = this.split!.validation;
    if (!val.length) return;
    this.lastValidation = this.now();
    const { loss, metrics } = await evaluate(this.program!, this.doc!, this.dataset!, val);
    this.emit({ type: 'validation', point: { step: this.program!.stepCount, epoch, loss, metrics }, ...this.run.tag() });
  }

  private flush(): void {
    this.lastFlush = this.now();
    if (this.pending.length) this.emit({ type: 'metrics', points: this.pending, ...this.run.tag() });
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
