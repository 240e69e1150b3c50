/**
 * What the server serves: a model with named inputs and outputs of fixed per-sample shapes, run on a
 * batch of `n` samples at once. Wiregrad's inference program is one (wiregradModel.ts); the
 * benchmark's ONNX Runtime peer is another, behind the same routes.
 */

/** Element types a served tensor may have (TF Serving's DT_FLOAT, DT_INT32). */
export type ServedDType = 'f32' | 'i32';

/** One named input or output: its per-sample shape (the batch dimension is not in it). */
export interface TensorSignature {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: ServedDType;
}

/** Values of each named tensor for `n` samples, sample-major, row-major. */
export type NamedTensors = Readonly<Record<string, Float32Array | Int32Array>>;

export interface ModelRunner {
  readonly inputs: readonly TensorSignature[];
  readonly outputs: readonly TensorSignature[];
  /** Where it runs, for the log (e.g. "CPU", the adapter's name). */
  readonly device: string;
  /** Run `n` samples; one run at a time (the batcher sees to it). */
  run(inputs: NamedTensors, n: number): Promise<NamedTensors>;
  dispose(): void;
}

/** Elements of one sample of a tensor. */
export const sampleSize = (sig: TensorSignature): number => sig.shape.reduce((a, d) => a * d, 1);
