/** What every implementation (Wiregrad on a backend, TensorFlow.js on a backend) offers the timing loop. */

/** A model compiled for one implementation, on fixed initial weights and one fixed batch. */
export interface TrainCase {
  /** One training step with no readback (may wait for the device to have room: backpressure). */
  step(): unknown;
  /** Wait for every step so far to finish; resolves with the loss of the last one. */
  sync(): Promise<number>;
  dispose(): void;
  /** How this case feeds data or syncs, when worth saying (shown under the table). */
  readonly note?: string;
}

/** One matmul C = op(A)·op(B) prepared for one implementation, operands already on the device. */
export interface MatmulCase {
  /** Queue one multiplication. */
  run(): void;
  /** Wait until every queued multiplication has finished. */
  sync(): Promise<void>;
  /** C of the last run, row-major [m, n] (for checking a few entries against a float64 reference). */
  result(): Promise<ArrayLike<number>>;
  dispose(): void;
}

/**
 * The implementations compared (wiregrad-wasm: the WASM SIMD backend on one thread; wiregrad-wasm-mt:
 * the same on as many threads as it starts, up to 8, where threads can run: Node, a cross-origin isolated page).
 */
export const IMPLS = ['wiregrad-webgpu', 'wiregrad-cpu', 'wiregrad-wasm', 'wiregrad-wasm-mt', 'tfjs-webgpu', 'tfjs-wasm', 'tfjs-cpu'] as const;
export type Impl = (typeof IMPLS)[number];

/** Initial weights by Wiregrad variable name, with shapes, shared by every implementation. */
export type Weights = Readonly<Record<string, { readonly data: Float32Array; readonly shape: readonly number[] }>>;
