/**
 * The pure compiler: a document becomes a static Graph, the specs of the variables it reads and the
 * typed feeds it expects each step. Nothing here touches a backend; a session (session.ts) creates
 * the variables and fills the feeds.
 */
import type { Data, RunSpec } from '../backends/backend';
import type { GraphDocument } from '../graph/document';
import { formatError, type GraphError } from '../graph/errors';
import { lowerDocument, type Lowered } from '../graph/lower';
import type { Initializer } from '../graph/spec';
import type { OptimizerConfig } from '../graph/training';
import { validateDocument } from '../graph/validate';
import { optimizerUpdates, type Assignment, type Hyperparameter, type ParamWithGrad } from '../nn/optimizers';
import { OpBuilder } from '../ops/builder';
import { lowbias32 } from '../ops/random';
import type { DType, Shape, TensorType } from '../ops/types';
import { gradients } from './autodiff';
import { ancestors, Graph, GraphBuildError, type ValueId } from './graph';

/** The document cannot be compiled; `errors` name the nodes at fault. */
export class CompileError extends Error {
  constructor(readonly errors: readonly GraphError[]) {
    super(errors.map(formatError).join('\n'));
    this.name = 'CompileError';
  }
}

/**
 * The program's own placeholders, which the session fills each step (dataset fields are the
 * others). Every one is a scalar except `batch`, [batchSize].
 */
export const FEEDS = {
  /** Learning rate of this step (the base rate through the schedule). */
  lr: { name: '__lr', dtype: 'f32' },
  /** 1-based number of this step (Adam's bias correction). */
  t: { name: '__t', dtype: 'f32' },
  /** 0-based step counter that random ops (dropout) read, so a replayed step draws the same masks. */
  counter: { name: '__step', dtype: 'i32' },
  /** Sample indices of this step's batch when the dataset is resident on the backend. */
  batch: { name: '__batch', dtype: 'i32' },
  beta1: { name: '__beta1', dtype: 'f32' },
  beta2: { name: '__beta2', dtype: 'f32' },
  eps: { name: '__eps', dtype: 'f32' },
  momentum: { name: '__momentum', dtype: 'f32' },
  rho: { name: '__rho', dtype: 'f32' },
  weightDecay: { name: '__weight_decay', dtype: 'f32' },
  /** Adam: lr·√(1−β2^t)/(1−β1^t), the bias-corrected step size of this step. */
  stepSize: { name: '__step_size', dtype: 'f32' },
  /** Adam: ε·√(1−β2^t). */
  epsHat: { name: '__eps_hat', dtype: 'f32' },
} as const satisfies Record<string, { readonly name: string; readonly dtype: DType }> & Record<Hyperparameter, unknown>;
/** One of the program's own feeds. */
export type Feed = keyof typeof FEEDS;

/**
 * Device-side latch set by the first step whose loss is not finite: from then on no update applies,
 * so the weights stay as they were before that step and the step can be replayed to find where the
 * first NaN/Inf appeared.
 */
export const HALTED = '__halted';
/** |loss| below this counts as finite (a comparison, not x != x, which finite-math compilers may fold). */
const FINITE_LIMIT = 3e38;

/** How a variable gets its first value. */
export type InitRecipe =
  /** Drawn from an initializer with a seed derived from the document seed and the variable name. */
  | { readonly kind: 'initializer'; readonly init: Initializer; readonly fans: readonly [number, number] | undefined; readonly seed: number }
  /** Every element `value` (optimizer slots, the NaN latch). */
  | { readonly kind: 'fill'; readonly value: number }
  /** Every sample of dataset field `field` (a resident dataset). */
  | { readonly kind: 'data'; readonly field: string };

/** A variable the program reads: what it is for and how to initialise it. */
export interface VariableSpec {
  readonly name: string;
  /** The document node that owns it (a slot: its parameter's node); undefined for the program's own. */
  readonly node: string | undefined;
  readonly shape: Shape;
  readonly dtype: DType;
  /** Gets a gradient and optimizer updates: a parameter whose node is not frozen. */
  readonly trainable: boolean;
  /** A parameter its node's Trainable switch freezes (kind 'param', trainable false). */
  readonly frozen?: boolean;
  /** param: weights (trained unless frozen); slot: optimizer state (`${param}:${slot}`); state: running statistics, the latch; data: a resident dataset field. */
  readonly kind: 'param' | 'slot' | 'state' | 'data';
  readonly init: InitRecipe;
}

/** A document compiled to one training step: forward, backward, optimizer and state updates. */
export interface CompiledTraining {
  readonly graph: Graph;
  readonly lowered: Lowered<ValueId>;
  readonly spec: RunSpec;
  /** Every variable the graph reads, in creation order. */
  readonly variables: readonly VariableSpec[];
  /** The program's own feeds the graph reads (dataset fields aside). */
  readonly feeds: ReadonlySet<Feed>;
  /** The summed loss. */
  readonly loss: ValueId;
  /** The loss's gradient with respect to each forward value that has one. */
  readonly grads: ReadonlyMap<ValueId, ValueId>;
  /** Each trained parameter's gradient by variable name. */
  readonly paramGrads: ReadonlyMap<string, ValueId>;
  /** First node ids of the backward pass and of the updates (nodes before backwardFrom are the forward pass). */
  readonly phases: { readonly backwardFrom: number; readonly updateFrom: number };
  /** Scalars logged every step: the loss, the gradient norm, then each metric (by lowered.metrics order). */
  readonly scalars: readonly ValueId[];
}

/** A document compiled for inference at one batch size. */
export interface CompiledInference {
  readonly graph: Graph;
  readonly lowered: Lowered<ValueId>;
  readonly spec: RunSpec;
}

/** Options of compileTraining. */
export interface TrainingCompileOptions {
  /** A dataset held on the backend (every sample of each field): batches are gathered from it by the FEEDS.batch indices. */
  readonly resident?: Readonly<Record<string, Data>>;
}

/** The seed of variable `name`'s initial draw. */
export function seedFor(seed: number, name: string): number {
  let h = lowbias32(seed);
  for (let i = 0; i < name.length; i++) h = lowbias32(h ^ name.charCodeAt(i));
  return h;
}

/** The name of parameter `param`'s optimizer slot `slot`. */
export const slotName = (param: string, slot: string) => `${param}:${slot}`;

/** Validate, lower, differentiate and append the optimizer: the training program of `doc`. Throws CompileError naming nodes. */
export function compileTraining(doc: GraphDocument, options: TrainingCompileOptions = {}): CompiledTraining {
  const { errors } = validateDocument(doc);
  if (errors.length) throw new CompileError(errors);
  const { training } = doc;
  const graph = new Graph();
  const variables: VariableSpec[] = [];
  const feeds = new Map<Feed, ValueId>();
  const feed = (name: Feed, shape: Shape = []) => {
    let id = feeds.get(name);
    if (id === undefined) feeds.set(name, (id = graph.input(FEEDS[name].name, shape, FEEDS[name].dtype)));
    return id;
  };
  const input = options.resident && residentInput(graph, options.resident, () => feed('batch', [training.batchSize]), variables);
  const lowered = lower(doc, graph, true, training.batchSize, variables, () => feed('counter'), input);
  const b = new OpBuilder(graph);

  graph.origin = undefined;
  const loss = lowered.losses.map((l) => l.value).reduce((acc, v) => b.add(acc, v));
  // Frozen parameters are not differentiated: autodiff emits no gradient ops for them (nor for
  // anything only they need), and they get no optimizer slots and no update.
  const trainable = lowered.variables.filter((v) => v.request.trainable && !v.frozen);
  const backwardFrom = graph.nodes.length;
  const grads = wrap(() =>
    gradients(
      graph,
      loss,
      trainable.map((v) => v.value),
    ),
  );
  const updateFrom = graph.nodes.length;

  const params: ParamWithGrad<ValueId>[] = [];
  for (const v of trainable) {
    const grad = grads.get(v.value);
    if (grad !== undefined) params.push({ name: v.name, value: v.value, grad });
  }
  const { guard, latch } = nanGuard(graph, b, [loss]);
  const updates: Assignment<ValueId>[] = wrap(() =>
    optimizerUpdates(
      training.optimizer,
      {
        b,
        // Made on first use: fed Adam reads neither (stepScalars folds them in), so its graph has no such input.
        get lr() {
          return feed('lr');
        },
        get t() {
          return feed('t');
        },
        hyperparameter: (name) => feed(name),
        guard,
        slot(p, slot, fill) {
          const name = slotName(p.name, slot);
          const type = graph.typeOf(p.value);
          const owner = variables.find((v) => v.name === p.name)?.node;
          variables.push({ name, node: owner, shape: type.shape, dtype: 'f32', trainable: false, kind: 'slot', init: { kind: 'fill', value: fill } });
          return { name, value: graph.variable(name, type.shape) };
        },
      },
      params,
    ),
  );
  updates.push(...lowered.assigns.map((a) => ({ name: a.name, value: guard(a.name, a.value) })), latch);
  // The global gradient norm, logged every step with the loss and metrics. The latch checks only
  // the loss: the sum of squares overflows for large but finite gradients (|g| > 1.8e19), and
  // halting there would name no non-finite node; a NaN gradient makes the next step's loss NaN.
  const squares = params.map((p) => b.sum(b.square(p.grad)));
  const gradNorm = b.sqrt(squares.length ? squares.reduce((acc, v) => b.add(acc, v)) : b.scalar(0));
  variables.push({ name: HALTED, node: undefined, shape: [], dtype: 'f32', trainable: false, kind: 'state', init: { kind: 'fill', value: 0 } });

  const scalars = [loss, gradNorm, ...lowered.metrics.map((m) => b.cast(m.value, 'f32'))];
  const probes = [...lowered.outputs.values()].flatMap((ports) => Object.values(ports));
  const probeGrads = probes.map((v) => grads.get(v)).filter((g): g is ValueId => g !== undefined);
  const paramGrads = new Map(params.map((p) => [p.name, p.grad]));
  const outputs = [...new Set([loss, ...lowered.metrics.map((m) => m.value), ...probes, ...probeGrads, ...paramGrads.values()])];
  return {
    graph,
    lowered,
    variables,
    loss,
    grads,
    paramGrads,
    scalars,
    spec: { outputs, updates, scalars },
    feeds: new Set(feeds.keys()),
    phases: { backwardFrom, updateFrom },
  };
}

/**
 * The inference program of `doc` for `batchSize` (dropout off, batch norm on running statistics):
 * outputs of the `wanted` nodes (all when undefined) that the `available` inputs suffice for.
 * Its variables are the training program's parameters and state, by the same names.
 */
export function compileInference(
  doc: GraphDocument,
  batchSize: number,
  available: ReadonlySet<string>,
  wanted: ReadonlySet<string> | undefined,
): CompiledInference {
  const graph = new Graph();
  const lowered = lower(doc, graph, false, batchSize, [], () => graph.input(FEEDS.counter.name, [], FEEDS.counter.dtype));
  const computable = (id: ValueId) =>
    ancestors(graph, [id]).every((a) => {
      const n = graph.nodes[a]!;
      return n.kind !== 'input' || available.has(n.name);
    });
  const outputs = [...lowered.outputs]
    .filter(([node]) => !wanted || wanted.has(node))
    .flatMap(([, ports]) => Object.values(ports))
    .filter(computable);
  return { graph, lowered, spec: { outputs, updates: [] } };
}

/** Whether two optimizer configs keep the same slots (names and meaning): Adam's m/v are not AdamW's to carry. */
export function sameSlots(a: OptimizerConfig, b: OptimizerConfig): boolean {
  return a.type === b.type;
}

type InputFn = (field: string, shape: Shape, dtype: TensorType['dtype']) => ValueId;

/**
 * Inputs for a resident dataset: each field is a variable holding every sample, and a batch is
 * gathered on the device from the fed sample indices.
 */
function residentInput(graph: Graph, data: Readonly<Record<string, Data>>, indices: () => ValueId, variables: VariableSpec[]): InputFn {
  const b = new OpBuilder(graph);
  return (field, shape, dtype) => {
    const all = data[field];
    if (!all) throw new CompileError([{ code: 'missing_input', message: `the dataset has no field "${field}"` }]);
    const perSample = shape.slice(1).reduce((a, d) => a * d, 1);
    const name = `__data/${field}`;
    const full = [all.length / perSample, ...shape.slice(1)];
    variables.push({ name, node: undefined, shape: full, dtype, trainable: false, kind: 'data', init: { kind: 'data', field } });
    return b.gather(graph.variable(name, full, dtype), indices(), 0);
  };
}

/**
 * Every update applies only while the checked values (the loss) are finite and no earlier step
 * was halted; a non-finite one sets the HALTED latch. So after a NaN loss the variables keep their
 * values from before that step. `guard` wraps each new value; `latch` updates HALTED.
 */
function nanGuard(
  graph: Graph,
  b: OpBuilder<ValueId>,
  checked: readonly ValueId[],
): { guard: (name: string, value: ValueId) => ValueId; latch: Assignment<ValueId> } {
  const halted = graph.variable(HALTED, []);
  const finite = b.greater(
    checked.map((v) => b.mask(b.less(b.abs(v), b.scalar(FINITE_LIMIT)))).reduce((acc, m) => b.mul(acc, m)),
    b.scalar(0.5),
  );
  const ok = b.greater(b.mul(b.mask(finite), b.mask(b.equal(halted, b.scalar(0)))), b.scalar(0.5));
  return {
    guard(name, value) {
      const type = graph.typeOf(value);
      return b.where(ok, value, graph.variable(name, type.shape, type.dtype));
    },
    latch: { name: HALTED, value: b.where(finite, halted, b.scalar(1)) },
  };
}

/** Lower `doc` onto `graph`, recording a spec for each parameter and state variable it reads. */
function lower(
  doc: GraphDocument,
  graph: Graph,
  training: boolean,
  batchSize: number,
  variables: VariableSpec[],
  counter: () => ValueId,
  input?: InputFn,
): Lowered<ValueId> {
  const lowered = wrap(() =>
    lowerDocument(
      doc,
      {
        emitter: graph,
        input: input ?? ((field, shape, dtype) => graph.input(field, shape, dtype)),
        variable(name, req, frozen) {
          variables.push({
            name,
            node: name.slice(0, name.lastIndexOf('/')),
            shape: req.shape,
            dtype: 'f32',
            trainable: req.trainable && !frozen,
            ...(frozen ? { frozen } : {}),
            // A frozen parameter stays a 'param', so a hot edit that freezes or thaws it keeps its values.
            kind: req.trainable ? 'param' : 'state',
            init: { kind: 'initializer', init: req.init, fans: req.fans, seed: seedFor(doc.training.seed, name) },
          });
          return graph.variable(name, req.shape);
        },
        counter,
        enterNode: (id) => (graph.origin = id),
      },
      { training, batchSize, seed: doc.training.seed },
    ),
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
