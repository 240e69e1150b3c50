import type { Backend, Data, Executable } from '../backends/backend';
import type { GraphDocument } from '../graph/document';
import { formatError, type GraphError } from '../graph/errors';
import { lowerDocument, type Lowered } from '../graph/lower';
import { validateDocument } from '../graph/validate';
import { initialValues } from '../nn/init';
import { optimizerUpdates, type Assignment, type ParamWithGrad } from '../nn/optimizers';
import { learningRateAt } from '../nn/schedules';
import { OpBuilder } from '../ops/builder';
import { lowbias32 } from '../ops/random';
import type { Shape, TensorType } from '../ops/types';
import { gradients } from './autodiff';
import { ancestors, Graph, GraphBuildError, type ValueId } from './graph';

/** The document cannot be compiled; `errors` name the nodes at fault. */
export class CompileError extends Error {
  constructor(readonly errors: readonly GraphError[]) {
    super(errors.map(formatError).join('\n'));
    this.name = 'CompileError';
  }
}

/** One batch: the values of each dataset field the graph reads, batch dim first, row-major. */
export type Batch = Readonly<Record<string, Data>>;

/** Reserved placeholder names fed by the program itself. */
const LR = '__lr';
const STEP_T = '__t';
const COUNTER = '__step';

/** A trainable or state variable of the program. */
export interface VariableInfo {
  readonly name: string;
  /** The document node that owns it. */
  readonly node: string;
  readonly shape: Shape;
  readonly trainable: boolean;
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
}

/** Runs allowed in flight on the device before step() waits (backpressure without readback). */
const MAX_IN_FLIGHT = 2;
/** Inference programs kept prepared (validation's full and last partial chunk, the dashboard's views). */
const MAX_INFERENCE_PROGRAMS = 4;

/** Placeholder fed with the batch's sample indices when the dataset is resident. */
const BATCH_INDEX = '__batch';
/**
 * Device-side latch set by the first step whose loss is not finite: from then on no update applies,
 * so the weights stay as they were before that step and the step can be replayed to find where the
 * first NaN/Inf appeared (see halted() / replay()).
 */
const HALTED = '__halted';
/** |loss| below this counts as finite (a comparison, not x != x, which finite-math compilers may fold). */
const FINITE_LIMIT = 3e38;

function seedFor(seed: number, name: string): number {
  let h = lowbias32(seed);
  for (let i = 0; i < name.length; i++) h = lowbias32(h ^ name.charCodeAt(i));
  return h;
}

interface Prepared {
  readonly graph: Graph;
  readonly lowered: Lowered<ValueId>;
  readonly exec: Executable;
}

/**
 * A document compiled for one backend (TensorFlow's Session.run, Keras' compiled model): one
 * static training program — forward, backward, optimizer and state updates — run once per step,
 * plus an inference program compiled on first use.
 */
export class Program {
  /** Training steps taken so far. */
  stepCount = 0;
  /** Base learning rate (the schedule scales it); may change between steps. */
  learningRate: number;
  readonly variables: readonly VariableInfo[];
  /** Number of trainable scalars. */
  readonly paramCount: number;
  /** Per-sample type of each dataset field the graph reads. */
  readonly fields: ReadonlyMap<string, TensorType>;

  /** True when the dataset lives on the backend and steps take sample indices (stepIndices). */
  readonly resident: boolean;

  /** Inference programs by batch size, fed fields and wanted nodes; the few most recent are kept. */
  private readonly inference = new Map<string, Prepared>();
  /** The last forward call; the next one waits for it. */
  private forwardQueue: Promise<unknown> = Promise.resolve();
  private inFlight: Promise<void>[] = [];
  /** Learning rate of each step run but not yet drained, oldest first. */
  private undrainedLr: number[] = [];

  private constructor(
    private readonly doc: GraphDocument,
    readonly backend: Backend,
    private readonly train: Prepared,
    private readonly loss: ValueId,
    private readonly grads: ReadonlyMap<ValueId, ValueId>,
    variables: VariableInfo[],
    private readonly paramGrads: ReadonlyMap<string, ValueId>,
    private readonly phases: { readonly backwardFrom: number; readonly updateFrom: number },
    resident: boolean,
  ) {
    this.resident = resident;
    this.learningRate = doc.training.lr;
    this.variables = variables;
    this.paramCount = variables.filter((v) => v.trainable).reduce((n, v) => n + v.shape.reduce((a, d) => a * d, 1), 0);
    this.fields = new Map([...train.lowered.inputs].map(([f, i]) => [f, { shape: i.type.shape.slice(1), dtype: i.type.dtype }]));
  }

  /** Validate, lower, differentiate and prepare the training program. Throws CompileError naming nodes. */
  static async create(doc: GraphDocument, backend: Backend, options: ProgramOptions = {}): Promise<Program> {
    const { errors } = validateDocument(doc);
    if (errors.length) throw new CompileError(errors);
    const { training } = doc;
    const variables: VariableInfo[] = [];
    const graph = new Graph();
    const resident = options.resident;
    const lowered = buildGraph(doc, graph, backend, true, training.batchSize, (info) => variables.push(info), resident && residentInput(graph, backend, resident, training.batchSize));
    const b = new OpBuilder(graph);

    graph.origin = undefined;
    const loss = lowered.losses.map((l) => l.value).reduce((acc, v) => b.add(acc, v));
    const trainable = lowered.variables.filter((v) => v.request.trainable);
    const backwardFrom = graph.nodes.length;
    const grads = wrap(() => gradients(graph, loss, trainable.map((v) => v.value)));
    const updateFrom = graph.nodes.length;

    const params: ParamWithGrad<ValueId>[] = [];
    for (const v of trainable) {
      const grad = grads.get(v.value);
      if (grad !== undefined) params.push({ name: v.name, value: v.value, grad });
    }
    const lr = graph.input(LR, [], 'f32');
    const t = graph.input(STEP_T, [], 'f32');
    const updates: Assignment<ValueId>[] = wrap(() =>
      optimizerUpdates(training.optimizer, {
        b, lr, t,
        slot(p, slot, fill) {
          const name = `${p.name}:${slot}`;
          const type = graph.typeOf(p.value);
          if (!backend.hasVariable(name)) backend.createVariable(name, type, new Float32Array(type.shape.reduce((a, d) => a * d, 1)).fill(fill));
          return { name, value: graph.variable(name, type.shape) };
        },
      }, params),
    );
    updates.push(...lowered.assigns);
    // The global gradient norm, logged every step with the loss and metrics. The latch checks only
    // the loss: the sum of squares overflows for large but finite gradients (|g| > 1.8e19), and
    // halting there would name no non-finite node; a NaN gradient makes the next step's loss NaN.
    const squares = params.map((p) => b.sum(b.square(p.grad)));
    const gradNorm = b.sqrt(squares.length ? squares.reduce((acc, v) => b.add(acc, v)) : b.scalar(0));
    const guarded = guardUpdates(graph, backend, b, [loss], updates);

    const scalars = [loss, gradNorm, ...lowered.metrics.map((m) => b.cast(m.value, 'f32'))];

    const probes = [...lowered.outputs.values()].flatMap((ports) => Object.values(ports));
    const probeGrads = probes.map((v) => grads.get(v)).filter((g): g is ValueId => g !== undefined);
    const paramGrads = new Map(params.map((p) => [p.name, p.grad]));
    const outputs = [...new Set([loss, ...lowered.metrics.map((m) => m.value), ...probes, ...probeGrads, ...paramGrads.values()])];
    const exec = await backend.prepare(graph, { outputs, updates: guarded, scalars });
    return new Program(doc, backend, { graph, lowered, exec }, loss, grads, variables, paramGrads, { backwardFrom, updateFrom }, resident !== undefined);
  }

  /** The learning rate the next step will use (base rate through the schedule). */
  get currentLearningRate(): number {
    return learningRateAt(this.learningRate, this.doc.training.schedule, this.stepCount);
  }

  /**
   * One training step on `batch` (forward, backward and update in one run of the static program)
   * without reading anything back: the loss and metrics are logged on the device and come back
   * in batches from drain(). Resolves once the device has room for the next step (at most
   * MAX_IN_FLIGHT runs queued), so a loop of `await run()` neither stalls on readback nor races ahead.
   */
  async run(batch: Batch): Promise<void> {
    if (this.resident) throw new Error('this program holds its dataset on the device: step it with stepIndices(sample indices)');
    await this.submit(this.feeds(this.train.lowered, batch));
  }

  /** One training step on the samples at `indices` of the resident dataset (see ProgramOptions.resident). */
  async stepIndices(indices: Int32Array): Promise<void> {
    if (!this.resident) throw new Error('stepIndices needs a program created with a resident dataset');
    const batch = this.doc.training.batchSize;
    if (indices.length !== batch) throw new Error(`a step takes exactly ${batch} sample indices (the batch size), not ${indices.length}`);
    await this.submit(new Map([[BATCH_INDEX, indices]]));
  }

  /** The StepRecords of every step run since the last drain, oldest first. */
  async drain(): Promise<StepRecord[]> {
    // Everything is taken now, before awaiting, so runs submitted meanwhile go to the next drain.
    const lrs = this.undrainedLr;
    this.undrainedLr = [];
    const end = this.stepCount;
    const logged = await this.train.exec.drainScalars();
    const first = end - logged.length + 1;
    const metricNodes = this.train.lowered.metrics.map((m) => m.node);
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
    return this.train.exec.settled();
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

  private async submit(feeds: Map<string, Data>): Promise<void> {
    const lr = this.currentLearningRate;
    // Float64 so the f64 reference backend sees exact hyperparameters; other backends round to f32.
    feeds.set(LR, new Float64Array([lr]));
    feeds.set(STEP_T, new Float64Array([this.stepCount + 1]));
    feeds.set(COUNTER, new Int32Array([this.stepCount]));
    this.train.exec.run(feeds);
    this.stepCount++;
    this.undrainedLr.push(lr);
    // A lost device rejects these; the error reaches the caller through drain()/read(), not here.
    this.inFlight.push(this.train.exec.settled().catch(() => {}));
    while (this.inFlight.length > MAX_IN_FLIGHT) await this.inFlight.shift();
  }

  /**
   * Re-run step `step` (1-based) on `batch` (or sample indices when resident) with the same
   * dropout counter, learning rate position and, if the program halted on a NaN, the same weights
   * (the latch keeps updates from applying), so the retained values show where the NaN appeared.
   * Counts as no step; nothing is logged.
   */
  async replay(step: number, batch: Batch | Int32Array): Promise<void> {
    await this.settled();
    const feeds = batch instanceof Int32Array ? new Map<string, Data>([[BATCH_INDEX, batch]]) : this.feeds(this.train.lowered, batch);
    feeds.set(LR, new Float64Array([learningRateAt(this.learningRate, this.doc.training.schedule, step - 1)]));
    feeds.set(STEP_T, new Float64Array([step]));
    feeds.set(COUNTER, new Int32Array([step - 1]));
    // Latched, so the replay applies no update even if its loss is finite; resumeBefore() clears it.
    this.backend.writeVariable(HALTED, new Float32Array([1]));
    this.train.exec.run(feeds);
    await this.train.exec.drainScalars();
  }

  /**
   * After a NaN halted training at step `step`: forget the steps from there on (their updates
   * never applied), clear the latch, and continue from the weights before that step.
   */
  async resumeBefore(step: number): Promise<void> {
    await this.train.exec.drainScalars();
    this.undrainedLr = [];
    this.stepCount = Math.min(this.stepCount, step - 1);
    this.backend.writeVariable(HALTED, new Float32Array(1));
  }

  /** Each trainable variable's gradient at the last step, by variable name. */
  async readGradients(): Promise<Record<string, Float32Array>> {
    const out: Record<string, Float32Array> = {};
    for (const [name, id] of this.paramGrads) out[name] = Float32Array.from(await this.train.exec.read(id));
    return out;
  }

  /** How many NaN/Inf elements each document node's output holds at the last step (counted on the device). */
  async nonFiniteCounts(nodes: readonly string[]): Promise<Map<string, number>> {
    const ids = nodes.map((n) => this.train.lowered.outputs.get(n)).map((ports) => ports && Object.values(ports)[0]);
    const present = ids.map((id, k) => [nodes[k]!, id] as const).filter((e): e is readonly [string, ValueId] => e[1] !== undefined);
    const counts = await this.train.exec.countNonFinite(present.map(([, id]) => id));
    return new Map(present.map(([node], k) => [node, counts[k]!]));
  }

  /** The lowered training program's ops (forward, autodiff's backward, updates) with their document origins. */
  opGraph(): OpView[] {
    const { backwardFrom, updateFrom } = this.phases;
    return this.train.graph.nodes.map((n) => ({
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
    for (const m of this.train.lowered.metrics) out[m.node] = (await this.train.exec.read(m.value))[0]!;
    return out;
  }

  /**
   * A node's output (or the loss's gradient with respect to it) at the last training step.
   * Rejects if the node has no such value (no gradient flows through it, say).
   */
  async read(node: string, what: 'value' | 'grad' = 'value', port?: string): Promise<{ data: Data; shape: Shape }> {
    const ports = this.train.lowered.outputs.get(node);
    const value = ports && (port ? ports[port] : Object.values(ports)[0]);
    if (value === undefined) throw new Error(`node ${node} has no output${port ? ` "${port}"` : ''}`);
    const id = what === 'value' ? value : this.grads.get(value);
    if (id === undefined) throw new Error(`no gradient flows through node ${node}`);
    return { data: await this.train.exec.read(id), shape: this.train.graph.typeOf(id).shape };
  }

  /**
   * Inference (dropout off, batch norm on running statistics) on `batch`: the outputs of every
   * node that the given fields suffice for (so labels are optional), by node id and port. With
   * `nodes`, only those nodes' outputs are computed and read back (validation wants two scalars,
   * not every activation of the batch).
   */
  forward(batch: Batch, options: { readonly nodes?: readonly string[] } = {}): Promise<Map<string, Record<string, { data: Data; shape: Shape }>>> {
    // One at a time: a run overwrites its program's outputs, and a prepared program may be evicted.
    const result = this.forwardQueue.then(() => this.forwardNow(batch, options));
    this.forwardQueue = result.catch(() => undefined);
    return result;
  }

  private async forwardNow(batch: Batch, options: { readonly nodes?: readonly string[] }): Promise<Map<string, Record<string, { data: Data; shape: Shape }>>> {
    const fed = [...this.fields.keys()].filter((f) => batch[f] !== undefined);
    if (!fed.length && this.fields.size) throw new Error(`forward needs data for at least one of the fields ${[...this.fields.keys()].join(', ')}`);
    const perSample = fed.length ? this.fields.get(fed[0]!)!.shape.reduce((a, d) => a * d, 1) : 1;
    const batchSize = fed.length ? batch[fed[0]!]!.length / perSample : 1;
    const wanted = options.nodes && new Set(options.nodes);
    const key = `${batchSize}:${fed.join(',')}:${options.nodes?.join(',') ?? '*'}`;
    let prepared = this.inference.get(key);
    if (prepared) this.inference.delete(key);
    else prepared = await this.prepareInference(batchSize, new Set([...fed, COUNTER]), wanted);
    this.inference.set(key, prepared);
    for (const [k, p] of this.inference) {
      if (this.inference.size <= MAX_INFERENCE_PROGRAMS) break;
      p.exec.dispose();
      this.inference.delete(k);
    }
    const { graph, lowered, exec } = prepared;
    const feeds = new Map<string, Data>(fed.map((f) => [f, batch[f]!]));
    feeds.set(COUNTER, new Int32Array([this.stepCount]));
    exec.run(feeds);
    const reads = [...lowered.outputs].filter(([node]) => !wanted || wanted.has(node)).flatMap(([node, ports]) =>
      Object.entries(ports).map(async ([port, id]) => ({ node, port, id, data: await exec.read(id).catch(() => undefined) })),
    );
    const result = new Map<string, Record<string, { data: Data; shape: Shape }>>();
    for (const { node, port, id, data } of await Promise.all(reads)) {
      if (!data) continue;
      const entry = result.get(node) ?? {};
      entry[port] = { data, shape: graph.typeOf(id).shape };
      result.set(node, entry);
    }
    return result;
  }

  /** The inference graph for `batchSize`, its outputs those of `wanted` nodes (all when undefined) computable from the `available` inputs. */
  private async prepareInference(batchSize: number, available: ReadonlySet<string>, wanted: ReadonlySet<string> | undefined): Promise<Prepared> {
    const graph = new Graph();
    const lowered = buildGraph(this.doc, graph, this.backend, false, batchSize, () => {});
    const computable = (id: ValueId) => ancestors(graph, [id]).every((a) => {
      const n = graph.nodes[a]!;
      return n.kind !== 'input' || available.has(n.name);
    });
    const outputs = [...lowered.outputs].filter(([node]) => !wanted || wanted.has(node)).flatMap(([, ports]) => Object.values(ports)).filter(computable);
    return { graph, lowered, exec: await this.backend.prepare(graph, { outputs, updates: [] }) };
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

  dispose(): void {
    this.train.exec.dispose();
    for (const p of this.inference.values()) p.exec.dispose();
    this.inference.clear();
  }

  private feeds(lowered: Lowered<ValueId>, batch: Batch): Map<string, Data> {
    const feeds = new Map<string, Data>();
    for (const [field, info] of lowered.inputs) {
      const data = batch[field];
      if (!data) throw new CompileError([{ code: 'missing_input', node: info.nodes[0], message: `no data for field "${field}" read by node ${info.nodes.join(', ')}` }]);
      feeds.set(field, data);
    }
    return feeds;
  }
}

type InputFn = (field: string, shape: Shape, dtype: TensorType['dtype']) => ValueId;

/**
 * Inputs for a resident dataset: each field is a variable holding every sample, and a batch is
 * gathered on the device from the fed sample indices.
 */
function residentInput(graph: Graph, backend: Backend, data: Readonly<Record<string, Data>>, batchSize: number): InputFn {
  let indices: ValueId | undefined;
  const b = new OpBuilder(graph);
  return (field, shape, dtype) => {
    const all = data[field];
    if (!all) throw new CompileError([{ code: 'missing_input', message: `the dataset has no field "${field}"` }]);
    const perSample = shape.slice(1).reduce((a, d) => a * d, 1);
    const name = `__data/${field}`;
    const count = all.length / perSample;
    if (!backend.hasVariable(name)) backend.createVariable(name, { shape: [count, ...shape.slice(1)], dtype }, all);
    indices ??= graph.input(BATCH_INDEX, [batchSize], 'i32');
    return b.gather(graph.variable(name, [count, ...shape.slice(1)], dtype), indices, 0);
  };
}

/**
 * Every update applies only while the checked values (the loss) are finite and no earlier step
 * was halted; a non-finite one sets the HALTED latch. So after a NaN loss the variables keep their
 * values from before that step.
 */
function guardUpdates(graph: Graph, backend: Backend, b: OpBuilder<ValueId>, checked: readonly ValueId[], updates: readonly Assignment<ValueId>[]): Assignment<ValueId>[] {
  if (!backend.hasVariable(HALTED)) backend.createVariable(HALTED, { shape: [], dtype: 'f32' }, new Float32Array(1));
  const halted = graph.variable(HALTED, []);
  const finite = b.greater(checked.map((v) => b.mask(b.less(b.abs(v), b.scalar(FINITE_LIMIT)))).reduce((acc, m) => b.mul(acc, m)), b.scalar(0.5));
  const ok = b.greater(b.mul(b.mask(finite), b.mask(b.equal(halted, b.scalar(0)))), b.scalar(0.5));
  const guarded = updates.map((u) => {
    const type = graph.typeOf(u.value);
    return { name: u.name, value: b.where(ok, u.value, graph.variable(u.name, type.shape, type.dtype)) };
  });
  guarded.push({ name: HALTED, value: b.where(finite, halted, b.scalar(1)) });
  return guarded;
}

/** Lower `doc` onto `graph`, creating (once) and initialising each variable on the backend. */
function buildGraph(doc: GraphDocument, graph: Graph, backend: Backend, training: boolean, batchSize: number, onVariable: (v: VariableInfo) => void, input?: InputFn): Lowered<ValueId> {
  const lowered = wrap(() =>
    lowerDocument(doc, {
      emitter: graph,
      input: input ?? ((field, shape, dtype) => graph.input(field, shape, dtype)),
      variable(name, req) {
        if (!backend.hasVariable(name)) {
          backend.createVariable(name, { shape: req.shape, dtype: 'f32' }, initialValues(req.init, req.shape, req.fans, seedFor(doc.training.seed, name)));
        }
        onVariable({ name, node: name.slice(0, name.lastIndexOf('/')), shape: req.shape, trainable: req.trainable });
        return graph.variable(name, req.shape);
      },
      counter: () => graph.input(COUNTER, [], 'i32'),
      enterNode: (id) => (graph.origin = id),
    }, { training, batchSize, seed: doc.training.seed }),
  );
  if (lowered.errors.length) throw new CompileError(lowered.errors);
  return lowered;
}

/** Turn a shape error raised while building (lowering, autodiff) into a CompileError naming its node. */
function wrap<R>(f: () => R): R {
  try {
    return f();
  } catch (e) {
    if (e instanceof GraphBuildError) throw new CompileError([{ code: 'shape', node: e.origin, message: e.message }]);
    throw e;
  }
}
