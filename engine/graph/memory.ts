/**
 * How much memory training a document takes, from shape inference alone (no backend, no data), and
 * whether that fits the backend: each tensor within a WebGPU buffer's limits, and everything within a
 * page-memory budget. The editor shows the estimate and refuses a graph that cannot fit while it is
 * still being edited; the worker checks the same before it allocates anything.
 *
 * Every tensor is counted at 4 bytes an element (the GPU stores every dtype so; f32 dominates on
 * the CPU). What one training step holds:
 *   parameters  every variable a node asks for (weights, frozen weights, running statistics)
 *   gradients   one per trained parameter
 *   optimizer   the optimizer's slots per trained parameter (slotsPerParameter)
 *   activations every value the forward pass computes (node outputs and the ops inside nodes, the
 *               batch fed to the inputs): what the backward pass may read
 *   dataset     the whole dataset as the worker holds it (fields × samples), when the document says
 *               how big it is (an uploaded CSV or image folder is known only once loaded)
 */
import { inferOp } from '../ops/defs';
import type { Emitter } from '../ops/builder';
import { sizeOf } from '../ops/shape';
import type { TensorType } from '../ops/types';
import type { GraphDocument } from './document';
import { nodeName, type GraphError } from './errors';
import { nodeInfos, type NodeInfo } from './infer';
import { lowerDocument, type LowerHost } from './lower';
import type { DatasetConfig, OptimizerConfig } from './training';

/** Bytes per stored element. */
const ELEMENT_BYTES = 4;
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** What memory a backend offers, as the checks use it. */
export interface MemoryLimits {
  readonly backend: 'webgpu' | 'cpu';
  /** Bytes one training session may take in the tab: the whole estimate is held to it. */
  readonly budget: number;
  /** WebGPU: the adapter's largest buffer (GPUSupportedLimits.maxBufferSize). */
  readonly maxBufferSize?: number;
  /** WebGPU: the largest buffer a kernel may bind as storage; every tensor is bound so. */
  readonly maxStorageBufferBindingSize?: number;
}

/**
 * A page-memory budget: Chrome ends a tab or worker that grows past about 4 GB (the probe in issue 17
 * saw it), and the worker also keeps the dataset, checkpoints and read-backs, so half of that.
 */
export const PAGE_MEMORY_BUDGET = 2 * GiB;

/** The WebGPU defaults every adapter offers (the spec's), used until the worker says what it has. */
export const DEFAULT_MEMORY_LIMITS: MemoryLimits = {
  backend: 'webgpu',
  budget: PAGE_MEMORY_BUDGET,
  maxBufferSize: 256 * MiB,
  maxStorageBufferBindingSize: 128 * MiB,
};

/** The limits for a backend as the worker reports it (workers/types.ts BackendInfo). */
export function memoryLimitsFor(backend: {
  readonly kind: 'cpu' | 'webgpu';
  readonly limits?: { readonly maxBufferSize: number; readonly maxStorageBufferBindingSize: number };
}): MemoryLimits {
  if (backend.kind === 'cpu') return { backend: 'cpu', budget: PAGE_MEMORY_BUDGET };
  return {
    ...DEFAULT_MEMORY_LIMITS,
    ...(backend.limits && { maxBufferSize: backend.limits.maxBufferSize, maxStorageBufferBindingSize: backend.limits.maxStorageBufferBindingSize }),
  };
}

/** Persistent slots the optimizer keeps per trained parameter (engine/nn/optimizers.ts). */
export function slotsPerParameter(cfg: OptimizerConfig): number {
  switch (cfg.type) {
    case 'sgd':
      return cfg.momentum > 0 ? 1 : 0; // velocity
    case 'adam':
    case 'adamw':
      return 2; // m, v
    case 'rmsprop':
      return cfg.momentum > 0 ? 2 : 1; // rms (+ momentum)
    case 'adagrad':
      return 1; // accumulator
    default:
      cfg satisfies never;
      return 0;
  }
}

/** The largest single tensor of a node, to name it in a message. */
export interface LargestTensor {
  /** "its kernel [1000, 10]" or "the [32, 10] tensor it computes". */
  readonly what: string;
  readonly bytes: number;
}

/** One node's part of the estimate, in bytes. */
export interface NodeMemory {
  readonly parameters: number;
  readonly gradients: number;
  readonly optimizer: number;
  readonly activations: number;
  readonly total: number;
  readonly largest: LargestTensor | undefined;
}

/** The dataset's part: its bytes and the setting that sizes it. */
export interface DatasetMemory {
  readonly bytes: number;
  /** The setting a person changes to shrink it, e.g. "size". */
  readonly setting: string;
  /** "random data: 64 samples of [1000] and [10]". */
  readonly description: string;
}

/** Bytes a training step of a document needs, in all and per node. */
export interface MemoryEstimate {
  readonly parameters: number;
  readonly gradients: number;
  readonly optimizer: number;
  readonly activations: number;
  /** Undefined when the document does not say how big the data is (uploads). */
  readonly dataset: DatasetMemory | undefined;
  readonly total: number;
  readonly nodes: ReadonlyMap<string, NodeMemory>;
}

const bytesOf = (shape: readonly number[]) => sizeOf(shape) * ELEMENT_BYTES;
const dims = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/** The dataset the document names, as the worker will hold it; undefined when only the file knows. */
export function datasetMemory(cfg: DatasetConfig): DatasetMemory | undefined {
  const sample = (perSample: number, samples: number, setting: string, description: string): DatasetMemory => ({
    bytes: perSample * samples * ELEMENT_BYTES,
    setting,
    description,
  });
  const count = (n: number) => n.toLocaleString('en-US');
  switch (cfg.kind) {
    case 'random':
      return sample(
        sizeOf(cfg.inputShape) + sizeOf(cfg.targetShape),
        cfg.size,
        'size',
        `random data: ${count(cfg.size)} samples of ${dims(cfg.inputShape)} and ${dims(cfg.targetShape)}`,
      );
    case 'spirals':
    case 'xor':
    case 'circle':
    case 'gaussians':
    case 'plane':
    case 'multi_gaussian':
      return sample(2 + 1, cfg.size, 'size', `${cfg.kind} data: ${count(cfg.size)} samples`);
    case 'mnist': {
      const n = Math.min(cfg.subset ?? 10_000, 10_000);
      return sample(28 * 28 + 1, n, 'subset', `MNIST: ${count(n)} digits`);
    }
    case 'iris':
      return sample(4 + 1, 150, 'kind', 'iris: 150 flowers');
    case 'sequence': {
      // x and y of T tokens each; T = prompt + answer - 1 (engine/data/sequence.ts taskLengths)
      const L = cfg.length;
      const T = cfg.task === 'add' ? 3 * L + 2 : cfg.task === 'parens' ? 2 * L + 1 : 2 * L;
      return sample(2 * T, cfg.size, 'size', `${cfg.task} task: ${count(cfg.size)} sequences of ${T} tokens`);
    }
    case 'csv':
    case 'images':
    case 'text':
      return undefined;
    default:
      cfg satisfies never;
      return undefined;
  }
}

/** The largest tensor seen so far; its words are built once per node, at the end, not on every op. */
type Largest =
  | { readonly kind: 'computed' | 'batch'; readonly shape: readonly number[]; readonly bytes: number }
  | { readonly kind: 'variable'; readonly name: string; readonly shape: readonly number[]; readonly bytes: number };

interface Tally {
  parameters: number;
  gradients: number;
  optimizer: number;
  activations: number;
  largest: Largest | undefined;
}

function describe(largest: Largest): LargestTensor {
  if (largest.kind === 'variable') return { what: `its ${largest.name.slice(largest.name.lastIndexOf('/') + 1)} ${dims(largest.shape)}`, bytes: largest.bytes };
  return { what: largest.kind === 'computed' ? `the ${dims(largest.shape)} tensor it computes` : `its batch ${dims(largest.shape)}`, bytes: largest.bytes };
}

/**
 * A lowering host that tallies memory per node while it infers types (the same types inferShapes's
 * host gives): `finish()` then gives the estimate. Shared by estimateMemory and inferWithMemory, so
 * the editor lowers a document once per edit for shapes and memory together.
 */
function memoryHost(doc: GraphDocument): { host: LowerHost<TensorType>; finish(datasetBytes?: number): MemoryEstimate } {
  const tallies = new Map<string, Tally>();
  let current: Tally | undefined;
  const slots = slotsPerParameter(doc.training.optimizer);
  const note = (tally: Tally, largest: Largest) => {
    if (tally.largest === undefined || largest.bytes > tally.largest.bytes) tally.largest = largest;
  };
  const emitter: Emitter<TensorType> = {
    emit: (op, inputs, attrs) => {
      const type = inferOp(op, inputs, attrs);
      if (current) {
        const bytes = bytesOf(type.shape);
        current.activations += bytes;
        if (current.largest === undefined || bytes > current.largest.bytes) note(current, { kind: 'computed', shape: type.shape, bytes });
      }
      return type;
    },
    typeOf: (t) => t,
  };
  const host: LowerHost<TensorType> = {
    emitter,
    input: (_field, shape, dtype) => {
      if (current) {
        const bytes = bytesOf(shape);
        current.activations += bytes;
        note(current, { kind: 'batch', shape, bytes });
      }
      return { shape, dtype };
    },
    variable: (name, request, frozen) => {
      if (current) {
        const bytes = bytesOf(request.shape);
        current.parameters += bytes;
        if (request.trainable && !frozen) {
          current.gradients += bytes;
          current.optimizer += slots * bytes;
        }
        note(current, { kind: 'variable', name, shape: request.shape, bytes });
      }
      return { shape: request.shape, dtype: 'f32' as const };
    },
    counter: () => ({ shape: [], dtype: 'i32' as const }),
    enterNode: (id) => {
      if (id === undefined) {
        current = undefined;
        return;
      }
      current = tallies.get(id);
      if (!current) tallies.set(id, (current = { parameters: 0, gradients: 0, optimizer: 0, activations: 0, largest: undefined }));
    },
  };
  const finish = (datasetBytes?: number): MemoryEstimate => {
    const nodes = new Map<string, NodeMemory>();
    let parameters = 0;
    let gradients = 0;
    let optimizer = 0;
    let activations = 0;
    for (const [id, t] of tallies) {
      parameters += t.parameters;
      gradients += t.gradients;
      optimizer += t.optimizer;
      activations += t.activations;
      nodes.set(id, {
        parameters: t.parameters,
        gradients: t.gradients,
        optimizer: t.optimizer,
        activations: t.activations,
        largest: t.largest && describe(t.largest),
        total: t.parameters + t.gradients + t.optimizer + t.activations,
      });
    }
    const described = datasetMemory(doc.training.dataset);
    const dataset =
      datasetBytes !== undefined
        ? { bytes: datasetBytes, setting: described?.setting ?? 'kind', description: described?.description ?? `the ${doc.training.dataset.kind} dataset` }
        : described;
    return { parameters, gradients, optimizer, activations, dataset, nodes, total: parameters + gradients + optimizer + activations + (dataset?.bytes ?? 0) };
  };
  return { host, finish };
}

const lowerOptions = (doc: GraphDocument) => ({ training: true, batchSize: doc.training.batchSize, seed: doc.training.seed });

/**
 * The estimate for `doc` (training mode, at its batch size). `datasetBytes` replaces what the
 * document says about the data when the real dataset is known (the worker, after loading it).
 */
export function estimateMemory(doc: GraphDocument, options: { datasetBytes?: number } = {}): MemoryEstimate {
  const { host, finish } = memoryHost(doc);
  lowerDocument(doc, host, lowerOptions(doc));
  return finish(options.datasetBytes);
}

/**
 * inferShapes(doc) and estimateMemory(doc) from one lowering pass (the editor runs both on every
 * edit; each alone walks every op of the graph).
 */
export function inferWithMemory(doc: GraphDocument): { nodes: Map<string, NodeInfo>; errors: readonly GraphError[]; memory: MemoryEstimate } {
  const { host, finish } = memoryHost(doc);
  const lowered = lowerDocument(doc, host, lowerOptions(doc));
  return { nodes: nodeInfos(lowered), errors: lowered.errors, memory: finish() };
}

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB'] as const;

/** 1 258 291 → "1.2 MB" (1 KB = 1,024 bytes, as WebGPU's limits are stated). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return `${bytes} bytes`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} bytes`;
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${UNITS[unit]}`;
}

/** "4.0 TB (4,004,000,000,000 bytes)": the exact count beside the readable one. */
function exactBytes(bytes: number): string {
  const exact = bytes < 1e21 ? Math.round(bytes).toLocaleString('en-US') : bytes.toExponential(3);
  return bytes < 1024 ? `${exact} bytes` : `${formatBytes(bytes)} (${exact} bytes)`;
}

/** The largest tensor one buffer may hold on this backend (undefined: no limit below the budget). */
export function maxTensorBytes(limits: MemoryLimits): { bytes: number; limit: string } | undefined {
  const candidates: { bytes: number; limit: string }[] = [];
  if (limits.maxStorageBufferBindingSize !== undefined) candidates.push({ bytes: limits.maxStorageBufferBindingSize, limit: 'maxStorageBufferBindingSize' });
  if (limits.maxBufferSize !== undefined) candidates.push({ bytes: limits.maxBufferSize, limit: 'maxBufferSize' });
  return candidates.sort((a, b) => a.bytes - b.bytes)[0];
}

const budgetText = (limits: MemoryLimits) => `the memory budget is ${formatBytes(limits.budget)}`;

/**
 * Why the estimate cannot train on a backend with `limits`, each problem where a person fixes it:
 * a node whose tensor is over one buffer's limit or whose own share is over the budget; the dataset
 * setting when the data is the larger part of a total over the budget; else the node taking the most.
 * Empty when it fits.
 */
export function memoryErrors(doc: GraphDocument, estimate: MemoryEstimate, limits: MemoryLimits): GraphError[] {
  const errors: GraphError[] = [];
  const perBuffer = maxTensorBytes(limits);
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  let blamed = false;
  let largestNode: { id: string; bytes: number } | undefined;
  for (const [id, m] of estimate.nodes) {
    const node = byId.get(id);
    if (!node) continue;
    if (largestNode === undefined || m.total > largestNode.bytes) largestNode = { id, bytes: m.total };
    const name = `Node ${nodeName(node)}`;
    if (perBuffer && m.largest && m.largest.bytes > perBuffer.bytes) {
      errors.push({
        code: 'shape',
        node: id,
        message: `${name}: ${m.largest.what} needs ${exactBytes(m.largest.bytes)} in one buffer; this WebGPU device holds at most ${formatBytes(perBuffer.bytes)} per buffer (${perBuffer.limit}).`,
      });
      blamed = true;
    } else if (m.total > limits.budget) {
      errors.push({
        code: 'shape',
        node: id,
        message: `${name}: training it needs ${exactBytes(m.total)} (${breakdown(m)}); ${budgetText(limits)}.`,
      });
      blamed = true;
    }
  }
  const data = estimate.dataset;
  if (data && data.bytes > limits.budget) {
    errors.push(datasetError(data, limits, `needs ${exactBytes(data.bytes)}`));
    return errors;
  }
  if (blamed || estimate.total <= limits.budget) return errors;
  const graphBytes = estimate.total - (data?.bytes ?? 0);
  if (data && data.bytes >= graphBytes) {
    errors.push(datasetError(data, limits, `needs ${exactBytes(data.bytes)}, and the graph ${formatBytes(graphBytes)} more`));
  } else if (largestNode) {
    const node = byId.get(largestNode.id)!;
    errors.push({
      code: 'shape',
      node: largestNode.id,
      message: `Node ${nodeName(node)}: training the graph needs ${exactBytes(estimate.total)} in all; ${budgetText(limits)}, and this node takes the most (${formatBytes(largestNode.bytes)}).`,
    });
  }
  return errors;
}

/** The refusal of a dataset setting over the budget on its own (the worker checks it before building a preview); undefined when it fits or only the file knows its size. */
export function datasetBudgetError(cfg: DatasetConfig, limits: MemoryLimits = DEFAULT_MEMORY_LIMITS): GraphError | undefined {
  const data = datasetMemory(cfg);
  return data && data.bytes > limits.budget ? datasetError(data, limits, `needs ${exactBytes(data.bytes)}`) : undefined;
}

function datasetError(data: DatasetMemory, limits: MemoryLimits, needs: string): GraphError {
  return {
    code: 'schema',
    path: `training.dataset.${data.setting}`,
    message: `The dataset setting "${data.setting}" (${data.description}) ${needs}; ${budgetText(limits)}. Choose a smaller dataset.`,
  };
}

function breakdown(m: NodeMemory): string {
  const parts: [string, number][] = [
    ['parameters', m.parameters],
    ['gradients', m.gradients],
    ['optimizer slots', m.optimizer],
    ['activations', m.activations],
  ];
  return parts
    .filter(([, b]) => b > 0)
    .map(([what, b]) => `${what} ${formatBytes(b)}`)
    .join(', ');
}
