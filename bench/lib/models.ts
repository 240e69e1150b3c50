/**
 * The benchmark workloads, defined once for every harness (browser worker, Node): the MLP and the
 * LeNet-style CNN as Wiregrad documents, one fixed random batch each, and the matmul shapes.
 * Every implementation starts from the weights Wiregrad initialises (Glorot-uniform from the seed).
 */
import type { GraphDocument } from '../../engine/graph/document';
import { Rng } from '../../engine/ops/random';
import { makeDoc } from '../../engine/testing/docs';
import { gptBatch, gptWorkload } from './transformer';

/** Spelled out for every side (tfjs's adam epsilon otherwise defaults to its backend's epsilon()). */
export const ADAM = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-7 } as const;
export const CLASSES = 10;

export type ModelName = 'mlp' | 'cnn' | 'gpt';

/** One model: its document, the per-sample input shape, and the batch size. */
export interface Workload {
  readonly name: ModelName;
  readonly title: string;
  readonly batch: number;
  /** Per-sample input shape (NHWC without N for the CNN). */
  readonly input: readonly number[];
  readonly doc: GraphDocument;
  /** The id of the loss node. */
  readonly lossNode: string;
}

const training = (batch: number, input: number[], seed: number) => ({
  dataset: { kind: 'random', inputShape: input, targetShape: [CLASSES], size: batch, seed },
  optimizer: { type: 'adam', beta1: ADAM.beta1, beta2: ADAM.beta2, eps: ADAM.eps },
  lr: ADAM.lr,
  batchSize: batch,
  seed,
});

/**
 * MLP 784-256-10: Dense 256 ReLU → Dense 10, softmax cross-entropy on sparse labels, batch 128 (tests
 * may ask for a smaller one: `hidden` units, `batch` samples).
 */
export function mlpWorkload(seed: number, { hidden = 256, batch = 128 } = {}): Workload {
  const input = [784];
  const doc = makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: input, dtype: 'f32' }],
      ['d1', 'Dense', { units: hidden, activation: 'relu' }],
      ['d2', 'Dense', { units: CLASSES }],
      ['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
      ['loss', 'SoftmaxCrossEntropy', { labels: 'sparse' }],
    ],
    ['x.y -> d1.x', 'd1.y -> d2.x', 'd2.y -> loss.pred', 'label.y -> loss.target'],
    training(batch, input, seed),
  );
  return { name: 'mlp', title: `MLP 784-${hidden}-10, batch ${batch}`, batch, input, doc, lossNode: 'loss' };
}

const conv = (filters: number, padding: 'same' | 'valid') => ({
  filters,
  kernelSize: [5, 5],
  strides: [1, 1],
  padding,
  activation: 'relu',
});
const pool = { poolSize: [2, 2], padding: 'valid' };

/**
 * LeNet-5 style on 28×28×1, batch 64 (the app's lenet template): conv 6@5×5 same + ReLU, max-pool 2,
 * conv 16@5×5 valid + ReLU, max-pool 2, Dense 120 ReLU, 84 ReLU, 10. Tests may ask for a smaller batch.
 */
export function cnnWorkload(seed: number, { batch = 64 } = {}): Workload {
  const input = [28, 28, 1];
  const doc = makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: input, dtype: 'f32' }],
      ['conv1', 'Conv2D', conv(6, 'same')],
      ['pool1', 'MaxPool2D', pool],
      ['conv2', 'Conv2D', conv(16, 'valid')],
      ['pool2', 'MaxPool2D', pool],
      ['flatten', 'Flatten', {}],
      ['fc1', 'Dense', { units: 120, activation: 'relu' }],
      ['fc2', 'Dense', { units: 84, activation: 'relu' }],
      ['logits', 'Dense', { units: CLASSES }],
      ['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
      ['loss', 'SoftmaxCrossEntropy', { labels: 'sparse' }],
    ],
    [
      'x.y -> conv1.x',
      'conv1.y -> pool1.x',
      'pool1.y -> conv2.x',
      'conv2.y -> pool2.x',
      'pool2.y -> flatten.x',
      'flatten.y -> fc1.x',
      'fc1.y -> fc2.x',
      'fc2.y -> logits.x',
      'logits.y -> loss.pred',
      'label.y -> loss.target',
    ],
    training(batch, input, seed),
  );
  return { name: 'cnn', title: `LeNet-5 CNN 28×28×1, batch ${batch}`, batch, input, doc, lossNode: 'loss' };
}

export function workload(name: ModelName, seed: number): Workload {
  if (name === 'gpt') return gptWorkload(seed, ADAM);
  return name === 'mlp' ? mlpWorkload(seed) : cnnWorkload(seed);
}

/** One fixed batch, MNIST-like: pixels in [0, 1), labels in [0, 10). Repeating it makes the loss fall. */
export interface FixedBatch {
  /** Pixels, or token ids (the GPT). */
  readonly x: Float32Array | Int32Array;
  readonly label: Int32Array;
}

export function fixedBatch(w: Workload, seed: number): FixedBatch {
  if (w.name === 'gpt') return gptBatch(seed);
  const rng = new Rng(seed ^ 0x9e3779b9);
  const perSample = w.input.reduce((a, d) => a * d, 1);
  return {
    x: Float32Array.from({ length: w.batch * perSample }, () => rng.next()),
    label: Int32Array.from({ length: w.batch }, () => rng.int(CLASSES)),
  };
}

/** A matmul shape: C[m,n] = op(A)·op(B) with inner size k; trans says which operand is stored transposed. */
export interface MatmulShape {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly transA: boolean;
  readonly transB: boolean;
  /** What it is in the MLP's step. */
  readonly role: string;
}

/** The MLP's first layer forward, its two gradients, and a large square one. */
export const MATMULS: readonly MatmulShape[] = [
  { m: 128, k: 784, n: 256, transA: false, transB: false, role: 'X·W (dense 1 forward)' },
  { m: 128, k: 256, n: 784, transA: false, transB: true, role: 'dY·Wᵀ (input gradient)' },
  { m: 784, k: 128, n: 256, transA: true, transB: false, role: 'Xᵀ·dY (weight gradient)' },
  { m: 1024, k: 1024, n: 1024, transA: false, transB: false, role: 'square' },
  // A real GPU's figure (bench/gpu-run.sh asks for it): minutes on a software adapter, so not run by default.
  { m: 4096, k: 4096, n: 4096, transA: false, transB: false, role: 'square (GPU only)' },
];

/** The matmuls run when --matmul is not given: all but the 4096³ one. */
export const DEFAULT_MATMULS: readonly MatmulShape[] = MATMULS.filter((s) => s.m * s.k * s.n < 2 ** 32);

export const matmulKey = (s: MatmulShape) => `${s.m}x${s.k}x${s.n}`;
