/**
 * A training session: a compiled document (compiler.ts) with its variables on one backend — weights,
 * optimizer slots, running statistics, the step count — stepped without readback, inspected,
 * checkpointed, and hot-edited by carrying variables over into a recompiled session.
 */
import type { Backend, Data, Executable } from '../backends/backend';
import type { GraphDocument } from '../graph/document';
import type { OptimizerConfig, ScheduleConfig, TrainingConfig } from '../graph/training';
import { canApplyLive, stepScalars } from '../nn/optimizers';
import { learningRateAt } from '../nn/schedules';
import { sizeOf } from '../ops/shape';
import type { Shape, TensorType } from '../ops/types';
import { CompileError, compileTraining, FEEDS, HALTED, type CompiledTraining } from './compiler';
import type { ValueId } from './graph';
import { InferenceCache, type Batch, type ForwardResult } from './inference';
import { InFlightSteps, type StepTiming } from './inFlight';
import { lastSession, materialise, renameCarried, sameShape, type CarryReport, type SessionRecord } from './variables';

export type { CarryReport };

/** A trainable or state variable of the document (optimizer slots and the program's own excluded). */
export interface VariableInfo {
  readonly name: string;
  /** The document node that owns it. */
  readonly node: string;
  readonly shape: Shape;
  /** Gets gradients and updates. */
  readonly trainable: boolean;
  /** A parameter frozen by its node's Trainable switch: kept, read and saved, never updated. */
  readonly frozen: boolean;
}

/** What one training step logged: read back in batches by drain(), never per step. */
export interface StepRecord {
  /** Step number after this step (1 for the first). */
  readonly step: number;
  readonly loss: number;
  /** Metric values by metric node id. */
  readonly metrics: Readonly<Record<string, number>>;
  /** Global L2 norm of all parameter gradients at this step. */
  readonly gradNorm: number;
  /** Learning rate used by this step. */
  readonly lr: number;
}

/** One lowered op of the training program, for showing what a layer lowers to and what autodiff made. */
export interface OpView {
  readonly id: number;
  /** Op name, or the input's / variable's name. */
  readonly label: string;
  readonly kind: 'op' | 'input' | 'variable';
  /** The document node it came from (gradient ops carry their forward node's id). */
  readonly origin: string | undefined;
  readonly inputs: readonly number[];
  readonly shape: readonly number[];
  /** forward pass, backward pass (made by autodiff), or optimizer/state update. */
  readonly phase: 'forward' | 'backward' | 'update';
}

/** Options for Program.create. */
export interface ProgramOptions {
  /**
   * The whole dataset (every field, sample-major): stored on the backend once, so each step only
   * sends the batch's sample indices and the batch is gathered on the device (stepIndices).
   */
  readonly resident?: Readonly<Record<string, Data>>;
  /**
   * A hot edit: carry variables over from the earlier session on the same backend — 'backend' for the
   * last session created there (disposed or not), or that session itself. Each variable whose name,
   * shape and dtype are unchanged keeps its value (parameters, running statistics, and optimizer
   * slots when the optimizer type is unchanged); the others are initialised. Without it every
   * variable is initialised from the seed, whatever the backend holds. Either way the earlier
   * session must not run again (dispose it); set `stepCount` to continue its run.
   */
  readonly carry?: CarryFrom;
  /**
   * With carry: variables of the earlier session to take over under new names first (a composite
   * node expanded into its parts while training, see expandedWeightNames), with their optimizer slots.
   */
  readonly renamed?: ReadonlyMap<string, string>;
}

/** Where a hot edit carries variables from (ProgramOptions.carry). */
export type CarryFrom = 'backend' | Program;

/** Every variable's values at one step (ProgramOptions.carry keeps them in place; this copies them out). */
export interface Checkpoint {
  /** Training steps taken when it was taken. */
  readonly step: number;
  /** Parameters, optimizer slots and state, by variable name. */
  readonly values: ReadonlyMap<string, Float32Array>;
  readonly shapes: ReadonlyMap<string, Shape>;
  /** Bytes of all values. */
  readonly bytes: number;
}

/** What a session can change between steps without recompiling. */
export interface LiveSettings {
  /** Base learning rate. */
  readonly lr?: number;
  readonly schedule?: ScheduleConfig;
  /** New hyperparameters for the same optimizer type (see canApplyLive). */
  readonly optimizer?: OptimizerConfig;
}

/** How long each backend's steps take, so a recompiled program queues as many steps as the last one did. */
const stepTimings = new WeakMap<Backend, StepTiming>();

/**
 * A document compiled for one backend (TensorFlow's Session.run, Keras' compiled model): one
 * static training program — forward, backward, optimizer and state updates — run once per step,
 * plus inference programs compiled on first use.
 */
export class Program {
  /** Training steps taken so far; settable, to continue a run (the schedule and Adam's bias correction read it). */
  stepCount = 0;
  /** Base learning rate (the schedule scales it); may change between steps. */
  learningRate: number;
  /** The learning-rate schedule; may change between steps. */
  schedule: ScheduleConfig;
  readonly variables: readonly VariableInfo[];
  /** Number of trainable scalars. */
  readonly paramCount: number;
  /** Number of parameter scalars frozen by their nodes' Trainable switches. */
  readonly frozenParamCount: number;
  /** Per-sample type of each dataset field the graph reads. */
  readonly fields: ReadonlyMap<string, TensorType>;
  /** True when the dataset lives on the backend and steps take sample indices (stepIndices). */
  readonly resident: boolean;
  /** What this session kept from ProgramOptions.carry (everything initialised when there was none). */
  readonly carried: CarryReport;

  private optimizerConfig: OptimizerConfig;
  private readonly inference: InferenceCache;
  private readonly inFlight: InFlightSteps;
  /** Learning rate of each step run but not yet drained, oldest first. */
  private undrainedLr: number[] = [];

  private constructor(
    private readonly doc: GraphDocument,
    readonly backend: Backend,
    private readonly compiled: CompiledTraining,
    private readonly exec: Executable,
    private readonly residentData: Readonly<Record<string, Data>> | undefined,
    carried: CarryReport,
  ) {
    this.resident = residentData !== undefined;
    this.learningRate = doc.training.lr;
    this.schedule = doc.training.schedule;
    this.optimizerConfig = doc.training.optimizer;
    this.carried = carried;
    this.variables = compiled.variables
      .filter((v) => v.kind === 'param' || (v.kind === 'state' && v.node !== undefined))
      .map((v) => ({ name: v.name, node: v.node!, shape: v.shape, trainable: v.trainable, frozen: v.frozen === true }));
    this.paramCount = this.variables.filter((v) => v.trainable).reduce((n, v) => n + sizeOf(v.shape), 0);
    this.frozenParamCount = this.variables.filter((v) => v.frozen).reduce((n, v) => n + sizeOf(v.shape), 0);
    this.fields = new Map([...compiled.lowered.inputs].map(([f, i]) => [f, { shape: i.type.shape.slice(1), dtype: i.type.dtype }]));
    this.inference = new InferenceCache(doc, backend, this.fields);
    let timing = stepTimings.get(backend);
    if (!timing) stepTimings.set(backend, (timing = {}));
    this.inFlight = new InFlightSteps(undefined, timing);
  }

  /**
   * Validate, lower, differentiate and prepare the training program; initialise its variables on
   * the backend (or carry them over, see ProgramOptions.carry) and free the backend's variables it
   * does not read. Throws CompileError naming nodes, before touching the backend.
   */
  static async create(doc: GraphDocument, backend: Backend, options: ProgramOptions = {}): Promise<Program> {
    const compiled = compileTraining(doc, options.resident ? { resident: options.resident } : {});
    const { carry } = options;
    if (carry instanceof Program) {
      if (carry.backend !== backend) throw new Error('a session carries variables over only from a session on the same backend');
      await carry.settled().catch(() => {});
    }
    let from = carry === undefined ? undefined : carry === 'backend' ? lastSession.get(backend) : carry.record;
    if (from && options.renamed?.size) from = await renameCarried(backend, from, options.renamed);
    const carried = materialise(backend, compiled.variables, doc.training.optimizer, options.resident, from);
    lastSession.set(backend, { variables: compiled.variables, optimizer: doc.training.optimizer, resident: options.resident });
    const exec = await backend.prepare(compiled.graph, compiled.spec);
    return new Program(doc, backend, compiled, exec, options.resident, carried);
  }

  /** The optimizer configuration the next step uses. */
  get optimizer(): OptimizerConfig {
    return this.optimizerConfig;
  }

  /** The learning rate the next step will use (base rate through the schedule). */
  get currentLearningRate(): number {
    return learningRateAt(this.learningRate, this.schedule, this.stepCount);
  }

  /**
   * New optimizer hyperparameters from the next step on. Throws unless canApplyLive(current, cfg)
   * (the same optimizer type and terms): otherwise recompile, carrying this session over.
   */
  setOptimizerHyperparameters(cfg: OptimizerConfig): void {
    if (!canApplyLive(this.optimizerConfig, cfg))
      throw new Error(`optimizer ${this.optimizerConfig.type} cannot change to this configuration without recompiling`);
    this.optimizerConfig = cfg;
  }

  /**
   * Take a document's new training settings live if this program can (learning rate, schedule,
   * optimizer hyperparameters; the same optimizer terms, batch size and seed): true when applied,
   * false when nothing was changed and a recompile is needed. Dataset and run length are the caller's.
   */
  applyTraining(training: TrainingConfig): boolean {
    const compiled = this.doc.training;
    if (training.batchSize !== compiled.batchSize || training.seed !== compiled.seed || !canApplyLive(this.optimizerConfig, training.optimizer)) return false;
    this.setLive({ lr: training.lr, schedule: training.schedule, optimizer: training.optimizer });
    return true;
  }

  /** Apply live changes (learning rate, schedule, optimizer hyperparameters) from the next step on. */
  setLive(settings: LiveSettings): void {
    if (settings.optimizer) this.setOptimizerHyperparameters(settings.optimizer);
    if (settings.lr !== undefined) this.learningRate = settings.lr;
    if (settings.schedule) this.schedule = settings.schedule;
  }

  /**
   * One training step on `batch` (forward, backward and update in one run of the static program)
   * without reading anything back: the loss and metrics are logged on the device and come back
   * in batches from drain(). Waits first until the device has room for it (one or two
   * steps queued, see InFlightSteps), so a loop of `await run()` neither stalls on readback nor races ahead.
   */
  async run(batch: Batch): Promise<void> {
    if (this.resident) throw new Error('this program holds its dataset on the device: step it with stepIndices(sample indices)');
    await this.submit(this.feeds(batch));
  }

  /** One training step on the samples at `indices` of the resident dataset (see ProgramOptions.resident). */
  async stepIndices(indices: Int32Array): Promise<void> {
    if (!this.resident) throw new Error('stepIndices needs a program created with a resident dataset');
    const batch = this.doc.training.batchSize;
    if (indices.length !== batch) throw new Error(`a step takes exactly ${batch} sample indices (the batch size), not ${indices.length}`);
    await this.submit(new Map([[FEEDS.batch.name, indices]]));
  }

  /** The StepRecords of every step run since the last drain, oldest first. */
  async drain(): Promise<StepRecord[]> {
    // Everything is taken now, before awaiting, so runs submitted meanwhile go to the next drain.
    const lrs = this.undrainedLr;
    this.undrainedLr = [];
    const end = this.stepCount;
    const logged = await this.exec.drainScalars();
    const first = end - logged.length + 1;
    const metricNodes = this.compiled.lowered.metrics.map((m) => m.node);
    return logged.map((row, k) => ({
      step: first + k,
      loss: row[0]!,
      gradNorm: row[1]!,
      metrics: Object.fromEntries(metricNodes.map((node, j) => [node, row[2 + j]!])),
      lr: lrs[lrs.length - logged.length + k] ?? this.currentLearningRate,
    }));
  }

  /** Resolves when every step run so far has finished on the device. */
  settled(): Promise<void> {
    return this.exec.settled();
  }

  /**
   * One step, then wait for its loss (a readback per step: convenient for scripts and tests; a
   * training loop uses run() and drain()). Earlier undrained records are consumed.
   */
  async step(batch: Batch): Promise<number> {
    await this.run(batch);
    const records = await this.drain();
    return records[records.length - 1]!.loss;
  }

  /** The program's own feeds for the step after `done` steps, at learning rate `lr`. */
  private ownFeeds(feeds: Map<string, Data>, done: number, lr: number): Map<string, Data> {
    // Float64 so the f64 reference backend sees exact hyperparameters; other backends round to f32.
    const set = (feed: keyof typeof FEEDS, value: Data) => this.compiled.feeds.has(feed) && feeds.set(FEEDS[feed].name, value);
    set('lr', new Float64Array([lr]));
    set('t', new Float64Array([done + 1]));
    set('counter', new Int32Array([done]));
    for (const [name, value] of Object.entries(stepScalars(this.optimizerConfig, lr, done + 1))) set(name as keyof typeof FEEDS, new Float64Array([value]));
    return feeds;
  }

  /**
   * Resolves when the device has room for another step (see InFlightSteps). run() and stepIndices()
   * wait for it themselves; a training loop awaits it first to see a pause or an edit that came
   * meanwhile before it submits another step.
   */
  room(): Promise<void> {
    return this.inFlight.room();
  }

  private async submit(feeds: Map<string, Data>): Promise<void> {
    await this.inFlight.room();
    const lr = this.currentLearningRate;
    this.exec.run(this.ownFeeds(feeds, this.stepCount, lr));
    this.stepCount++;
    this.undrainedLr.push(lr);
    // A lost device rejects these; the error reaches the caller through drain()/read(), not here.
    this.inFlight.add(this.exec.settled());
  }

  /**
   * Re-run step `step` (1-based) on `batch` (or sample indices when resident) with the same
   * dropout counter, learning rate position and, if the program halted on a NaN, the same weights
   * (the latch keeps updates from applying), so the retained values show where the NaN appeared.
   * Counts as no step; nothing is logged.
   */
  async replay(step: number, batch: Batch | Int32Array): Promise<void> {
    await this.settled();
    const feeds = batch instanceof Int32Array ? new Map<string, Data>([[FEEDS.batch.name, batch]]) : this.feeds(batch);
    // Latched, so the replay applies no update even if its loss is finite; resumeBefore() clears it.
    this.backend.writeVariable(HALTED, new Float32Array([1]));
    this.exec.run(this.ownFeeds(feeds, step - 1, learningRateAt(this.learningRate, this.schedule, step - 1)));
    await this.exec.drainScalars();
  }

  /**
   * After a NaN halted training at step `step`: forget the steps from there on (their updates
   * never applied), clear the latch, and continue from the weights before that step.
   */
  async resumeBefore(step: number): Promise<void> {
    await this.exec.drainScalars();
    this.undrainedLr = [];
    this.stepCount = Math.min(this.stepCount, step - 1);
    this.backend.writeVariable(HALTED, new Float32Array(1));
  }

  /** Each trainable variable's gradient at the last step, by variable name. */
  async readGradients(): Promise<Record<string, Float32Array>> {
    const out: Record<string, Float32Array> = {};
    for (const [name, id] of this.compiled.paramGrads) out[name] = Float32Array.from(await this.exec.read(id));
    return out;
  }

  /** How many NaN/Inf elements each document node's output holds at the last step (counted on the device). */
  async nonFiniteCounts(nodes: readonly string[]): Promise<Map<string, number>> {
    const ids = nodes.map((n) => this.compiled.lowered.outputs.get(n)).map((ports) => ports && Object.values(ports)[0]);
    const present = ids.map((id, k) => [nodes[k]!, id] as const).filter((e): e is readonly [string, ValueId] => e[1] !== undefined);
    const counts = await this.exec.countNonFinite(present.map(([, id]) => id));
    return new Map(present.map(([node], k) => [node, counts[k]!]));
  }

  /** The lowered training program's ops (forward, autodiff's backward, updates) with their document origins. */
  opGraph(): OpView[] {
    const { backwardFrom, updateFrom } = this.compiled.phases;
    return this.compiled.graph.nodes.map((n) => ({
      id: n.id,
      label: n.kind === 'op' ? n.op : n.name,
      kind: n.kind,
      origin: n.origin,
      inputs: [...n.inputs],
      shape: [...n.type.shape],
      phase: n.id < backwardFrom ? 'forward' : n.id < updateFrom ? 'backward' : 'update',
    }));
  }

  /** Metric values (by node id) of the last training step. */
  async metrics(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const m of this.compiled.lowered.metrics) out[m.node] = (await this.exec.read(m.value))[0]!;
    return out;
  }

  /**
   * A node's output (or the loss's gradient with respect to it) at the last training step.
   * Rejects if the node has no such value (no gradient flows through it, say).
   */
  async read(node: string, what: 'value' | 'grad' = 'value', port?: string): Promise<{ data: Data; shape: Shape }> {
    const ports = this.compiled.lowered.outputs.get(node);
    const value = ports && (port ? ports[port] : Object.values(ports)[0]);
    if (value === undefined) throw new Error(`node ${node} has no output${port ? ` "${port}"` : ''}`);
    const id = what === 'value' ? value : this.compiled.grads.get(value);
    if (id === undefined) throw new Error(`no gradient flows through node ${node}`);
    return { data: await this.exec.read(id), shape: this.compiled.graph.typeOf(id).shape };
  }

  /**
   * Inference (dropout off, batch norm on running statistics) on `batch`: the outputs of every
   * node that the given fields suffice for (so labels are optional), by node id and port. With
   * `nodes`, only those nodes' outputs are computed and read back (validation wants two scalars,
   * not every activation of the batch).
   */
  forward(batch: Batch, options: { readonly nodes?: readonly string[] } = {}): Promise<ForwardResult> {
    return this.inference.forward(batch, this.stepCount, options.nodes);
  }

  /** Every variable's current values by name (parameters, running statistics; optimizer slots excluded). */
  async getWeights(): Promise<Record<string, Float32Array>> {
    const out: Record<string, Float32Array> = {};
    for (const v of this.variables) out[v.name] = Float32Array.from(await this.backend.readVariable(v.name));
    return out;
  }

  /** Replace variables by name; unknown names or wrong sizes are errors naming the variable. */
  setWeights(weights: Readonly<Record<string, ArrayLike<number>>>): void {
    for (const [name, values] of Object.entries(weights)) {
      const v = this.variables.find((x) => x.name === name);
      if (!v) throw new Error(`this graph has no variable named ${name}`);
      this.backend.writeVariable(name, Float32Array.from(values));
    }
  }

  /** A copy of every variable (parameters, optimizer slots, running statistics, the NaN latch) and the step count. */
  async snapshot(): Promise<Checkpoint> {
    await this.settled();
    const values = new Map<string, Float32Array>();
    const shapes = new Map<string, Shape>();
    let bytes = 0;
    for (const v of this.compiled.variables) {
      if (v.kind === 'data') continue;
      const data = Float32Array.from(await this.backend.readVariable(v.name));
      values.set(v.name, data);
      shapes.set(v.name, v.shape);
      bytes += data.byteLength;
    }
    return { step: this.stepCount, values, shapes, bytes };
  }

  /**
   * Put back a snapshot: every variable of this session with the same name and shape in `checkpoint`
   * takes its values (the others keep theirs), the step count becomes the checkpoint's, and steps
   * not yet drained are forgotten. Returns the names restored.
   */
  async restore(checkpoint: Checkpoint): Promise<string[]> {
    await this.settled();
    await this.exec.drainScalars();
    this.undrainedLr = [];
    const restored: string[] = [];
    for (const v of this.compiled.variables) {
      const values = checkpoint.values.get(v.name);
      const shape = checkpoint.shapes.get(v.name);
      if (v.kind === 'data' || !values || !shape || !sameShape(shape, v.shape)) continue;
      this.backend.writeVariable(v.name, values);
      restored.push(v.name);
    }
    this.stepCount = checkpoint.step;
    return restored;
  }

  dispose(): void {
    this.exec.dispose();
    this.inference.dispose();
  }

  private feeds(batch: Batch): Map<string, Data> {
    const feeds = new Map<string, Data>();
    for (const [field, info] of this.compiled.lowered.inputs) {
      const data = batch[field];
      if (!data)
        throw new CompileError([{ code: 'missing_input', node: info.nodes[0], message: `no data for field "${field}" read by node ${info.nodes.join(', ')}` }]);
      feeds.set(field, data);
    }
    return feeds;
  }

  /** @internal What a session carrying this one over needs. */
  get record(): SessionRecord {
    return { variables: this.compiled.variables, optimizer: this.optimizerConfig, resident: this.residentData };
  }
}
