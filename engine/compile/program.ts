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

  private inference: Prepared | undefined;
  /** Batch size and fed fields the inference program was prepared for. */
  private inferenceKey = '';

  private constructor(
    private readonly doc: GraphDocument,
    readonly backend: Backend,
    private readonly train: Prepared,
    private readonly loss: ValueId,
    private readonly grads: ReadonlyMap<ValueId, ValueId>,
    variables: VariableInfo[],
  ) {
    this.learningRate = doc.training.lr;
    this.variables = variables;
    this.paramCount = variables.filter((v) => v.trainable).reduce((n, v) => n + v.shape.reduce((a, d) => a * d, 1), 0);
    this.fields = new Map([...train.lowered.inputs].map(([f, i]) => [f, { shape: i.type.shape.slice(1), dtype: i.type.dtype }]));
  }

  /** Validate, lower, differentiate and prepare the training program. Throws CompileError naming nodes. */
  static async create(doc: GraphDocument, backend: Backend): Promise<Program> {
    const { errors } = validateDocument(doc);
    if (errors.length) throw new CompileError(errors);
    const { training } = doc;
    const variables: VariableInfo[] = [];
    const graph = new Graph();
    const lowered = buildGraph(doc, graph, backend, true, training.batchSize, (info) => variables.push(info));
    const b = new OpBuilder(graph);

    graph.origin = undefined;
    const loss = lowered.losses.map((l) => l.value).reduce((acc, v) => b.add(acc, v));
    const trainable = lowered.variables.filter((v) => v.request.trainable);
    const grads = wrap(() => gradients(graph, loss, trainable.map((v) => v.value)));

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

    const probes = [...lowered.outputs.values()].flatMap((ports) => Object.values(ports));
    const probeGrads = probes.map((v) => grads.get(v)).filter((g): g is ValueId => g !== undefined);
    const outputs = [...new Set([loss, ...lowered.metrics.map((m) => m.value), ...probes, ...probeGrads])];
    const exec = await backend.prepare(graph, { outputs, updates });
    return new Program(doc, backend, { graph, lowered, exec }, loss, grads, variables);
  }

  /** The learning rate the next step will use (base rate through the schedule). */
  get currentLearningRate(): number {
    return learningRateAt(this.learningRate, this.doc.training.schedule, this.stepCount);
  }

  /**
   * One training step on `batch`: forward, backward and update in one run of the static program.
   * Resolves with the loss of this batch (before the update).
   */
  step(batch: Batch): Promise<number> {
    const feeds = this.feeds(this.train.lowered, batch);
    // Float64 so the f64 reference backend sees exact hyperparameters; other backends round to f32.
    feeds.set(LR, new Float64Array([this.currentLearningRate]));
    feeds.set(STEP_T, new Float64Array([this.stepCount + 1]));
    feeds.set(COUNTER, new Int32Array([this.stepCount]));
    this.train.exec.run(feeds);
    this.stepCount++;
    return this.train.exec.read(this.loss).then((d) => d[0]!);
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
   * node that the given fields suffice for (so labels are optional), by node id and port.
   */
  async forward(batch: Batch): Promise<Map<string, Record<string, { data: Data; shape: Shape }>>> {
    const fed = [...this.fields.keys()].filter((f) => batch[f] !== undefined);
    if (!fed.length && this.fields.size) throw new Error(`forward needs data for at least one of the fields ${[...this.fields.keys()].join(', ')}`);
    const perSample = fed.length ? this.fields.get(fed[0]!)!.shape.reduce((a, d) => a * d, 1) : 1;
    const batchSize = fed.length ? batch[fed[0]!]!.length / perSample : 1;
    const key = `${batchSize}:${fed.join(',')}`;
    if (!this.inference || this.inferenceKey !== key) {
      this.inference?.exec.dispose();
      const graph = new Graph();
      const lowered = buildGraph(this.doc, graph, this.backend, false, batchSize, () => {});
      const available = new Set([...fed, COUNTER]);
      const computable = (id: ValueId) => ancestors(graph, [id]).every((a) => {
        const n = graph.nodes[a]!;
        return n.kind !== 'input' || available.has(n.name);
      });
      const outputs = [...lowered.outputs.values()].flatMap((ports) => Object.values(ports)).filter(computable);
      this.inference = { graph, lowered, exec: await this.backend.prepare(graph, { outputs, updates: [] }) };
      this.inferenceKey = key;
    }
    const { graph, lowered, exec } = this.inference;
    const feeds = new Map<string, Data>(fed.map((f) => [f, batch[f]!]));
    feeds.set(COUNTER, new Int32Array([this.stepCount]));
    exec.run(feeds);
    const result = new Map<string, Record<string, { data: Data; shape: Shape }>>();
    for (const [node, ports] of lowered.outputs) {
      const entry: Record<string, { data: Data; shape: Shape }> = {};
      for (const [port, id] of Object.entries(ports)) {
        const data = await exec.read(id).catch(() => undefined);
        if (data) entry[port] = { data, shape: graph.typeOf(id).shape };
      }
      if (Object.keys(entry).length) result.set(node, entry);
    }
    return result;
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
    this.inference?.exec.dispose();
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

/** Lower `doc` onto `graph`, creating (once) and initialising each variable on the backend. */
function buildGraph(doc: GraphDocument, graph: Graph, backend: Backend, training: boolean, batchSize: number, onVariable: (v: VariableInfo) => void): Lowered<ValueId> {
  const lowered = wrap(() =>
    lowerDocument(doc, {
      emitter: graph,
      input: (field, shape, dtype) => graph.input(field, shape, dtype),
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
