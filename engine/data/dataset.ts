import { Rng } from '../ops/random';
import type { Shape } from '../ops/types';

/** One named column of a dataset: per-sample shape and element type. */
export interface FieldSpec {
  readonly shape: Shape;
  readonly dtype: 'f32' | 'i32';
}

/** An in-memory dataset: every field stored for all samples, sample-major. */
export interface Dataset {
  readonly name: string;
  /** Number of samples. */
  readonly length: number;
  readonly fields: Readonly<Record<string, FieldSpec>>;
  readonly data: Readonly<Record<string, Float32Array | Int32Array>>;
  /** Number of classes, for classification sets (labels are 0..classes-1 in field "label"). */
  readonly classes?: number;
  /** What each class index stands for (e.g. "setosa"), when the data names its classes. */
  readonly classNames?: readonly string[];
  /** What each element of field x stands for (e.g. the CSV columns, one-hot columns as "colour=red"). */
  readonly featureNames?: readonly string[];
  /** Sequence data: what each token id stands for (one string per id; fields x and y hold ids). */
  readonly vocab?: readonly string[];
  /** Sequence data: how prompts and answers are laid out (engine/data/sequence.ts). */
  readonly sequence?: SequenceLayout;
}

/** How a sequence dataset's strings are laid out, for decoding, generation and greedy evaluation. */
export interface SequenceLayout {
  /** 'task': fixed prompt and answer lengths; 'text': a character corpus (any prompt, open-ended). */
  readonly kind: 'task' | 'text';
  /** Task: tokens before the answer, the separator `=` included. */
  readonly promptLength?: number;
  /** Task: tokens of the answer. */
  readonly answerLength?: number;
  /** Text: the id that stands for characters missing from the training text. */
  readonly unknown?: number;
}

export function sampleSize(spec: FieldSpec): number {
  return spec.shape.reduce((a, d) => a * d, 1);
}

/** A seeded permutation of 0..n-1 (Fisher–Yates). */
export function permutation(n: number, seed: number): Int32Array {
  const p = Int32Array.from({ length: n }, (_v, i) => i);
  const rng = new Rng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

/** A seeded split of sample indices into training and validation sets. */
export function splitIndices(n: number, validationFraction: number, seed: number): { train: Int32Array; validation: Int32Array } {
  const p = permutation(n, seed);
  const nVal = Math.round(n * validationFraction);
  return { train: p.slice(nVal), validation: p.slice(0, nVal) };
}

/** Gather the samples at `indices` into one batch, field by field. */
export function gatherBatch(ds: Dataset, indices: ArrayLike<number>): Record<string, Float32Array | Int32Array> {
  const out: Record<string, Float32Array | Int32Array> = {};
  for (const [name, spec] of Object.entries(ds.fields)) {
    const size = sampleSize(spec);
    const src = ds.data[name]!;
    const dst = spec.dtype === 'i32' ? new Int32Array(indices.length * size) : new Float32Array(indices.length * size);
    for (let i = 0; i < indices.length; i++) dst.set(src.subarray(indices[i]! * size, (indices[i]! + 1) * size), i * size);
    out[name] = dst;
  }
  return out;
}

/**
 * The batches of one epoch: `indices` shuffled with (seed, epoch), cut into batches of batchSize.
 * The last, smaller batch is kept (so every sample is seen once) unless dropLast is set.
 */
export function* epochBatches(indices: Int32Array, batchSize: number, seed: number, epoch: number, dropLast = false): Generator<Int32Array> {
  const order = permutation(indices.length, seed ^ Math.imul(epoch + 1, 0x9e3779b1));
  for (let start = 0; start < indices.length; start += batchSize) {
    const end = Math.min(start + batchSize, indices.length);
    if (dropLast && end - start < batchSize) return;
    const batch = new Int32Array(end - start);
    for (let i = start; i < end; i++) batch[i - start] = indices[order[i]!]!;
    yield batch;
  }
}
