/** Test helpers: build tensors, run one kernel with the shape rule's output type, and naive index maths. */
import { expect } from 'vitest';
import { inferOp } from '../../../ops/defs';
import { Rng } from '../../../ops/random';
import { sizeOf } from '../../../ops/shape';
import type { Attrs, DType, Op, Shape } from '../../../ops/types';
import type { CpuTensor, Data, KernelContext } from '../kernel';
import { runWasmOp } from '../../wasm/testing';
import { CPU_KERNELS } from './index';

/**
 * Which array holds f32 values: the backend's Float32Array, or Float64Array (reference mode); 'wasm'
 * runs the WASM backend's kernel for the op (engine/backends/wasm) on Float32Array data, so every
 * suite that loops over FLOAT_MODES checks that backend against the same references.
 */
export type FloatMode = 'f32' | 'f64' | 'wasm';
export const FLOAT_MODES: readonly FloatMode[] = ['f64', 'f32', 'wasm'];

export function makeCtx(mode: FloatMode): KernelContext {
  return {
    alloc(dtype: DType, size: number): Data {
      if (dtype === 'i32') return new Int32Array(size);
      if (dtype === 'bool') return new Uint8Array(size);
      return mode === 'f64' ? new Float64Array(size) : new Float32Array(size); // 'wasm' stores f32 too
    },
  };
}

/** A tensor whose data is stored as `mode` says (values converted by the typed-array store). */
export function tensor(shape: Shape, values: ArrayLike<number>, dtype: DType = 'f32', mode: FloatMode = 'f64'): CpuTensor {
  const data = makeCtx(mode).alloc(dtype, sizeOf(shape));
  if (values.length !== data.length) throw new Error(`tensor of shape [${shape}] needs ${data.length} values, got ${values.length}`);
  data.set(values);
  return { data, shape, dtype };
}

/** n values uniform in [lo, hi) from a fixed seed. */
export function randomValues(n: number, seed: number, lo = -1, hi = 1): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => lo + (hi - lo) * rng.next());
}

export function randomTensor(shape: Shape, seed: number, mode: FloatMode = 'f64', lo = -1, hi = 1): CpuTensor {
  return tensor(shape, randomValues(sizeOf(shape), seed, lo, hi), 'f32', mode);
}

/** Run op's CPU kernel (or WASM kernel in mode 'wasm') on inputs with the output type its shape rule infers; checks the storage it returns. */
export function run<O extends Op>(op: O, inputs: readonly CpuTensor[], attrs: Attrs<O>, mode: FloatMode = 'f64'): CpuTensor {
  const out = inferOp(op, inputs, attrs);
  const data = mode === 'wasm' ? runWasmOp(op, inputs, attrs, out) : CPU_KERNELS[op](inputs, attrs, out, makeCtx(mode));
  expect(data.length).toBe(sizeOf(out.shape));
  expect(data.constructor).toBe(makeCtx(mode).alloc(out.dtype, 0).constructor);
  return { data, shape: out.shape, dtype: out.dtype };
}

/** Index tuple of flat index i in a row-major shape. */
export function unravel(i: number, shape: Shape): number[] {
  const t = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    t[d] = i % shape[d]!;
    i = Math.floor(i / shape[d]!);
  }
  return t;
}

/** Flat index of an index tuple in a row-major shape. */
export function ravel(t: readonly number[], shape: Shape): number {
  return t.reduce((acc, v, d) => acc * shape[d]! + v, 0);
}

/** Flat index into `inShape` of the element that NumPy broadcasting reads for output tuple t. */
export function broadcastIndex(t: readonly number[], inShape: Shape): number {
  const lead = t.length - inShape.length;
  return ravel(
    inShape.map((d, i) => (d === 1 ? 0 : t[lead + i]!)),
    inShape,
  );
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Elementwise |actual - expected| <= tol · max(1, |expected|); NaN must match NaN; infinities must match. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      expect(a, `element ${i}`).toBe(e);
    } else if (Math.abs(a - e) > tol * Math.max(1, Math.abs(e))) {
      expect.fail(`element ${i}: got ${a}, expected ${e} (tol ${tol})`);
    }
  }
}

/**
 * Tolerance for comparing a kernel against a float64 reference in each mode. WASM's GEMM accumulates
 * in f32 (the JS kernels in f64, rounding once), so its sums of a few hundred products drift further.
 */
export function tolFor(mode: FloatMode): number {
  return mode === 'f64' ? 1e-12 : mode === 'f32' ? 2e-6 : 1e-5;
}
