/**
 * The WASM backend's threads, kernel by kernel: each kernel that splits its work (GEMM by row or
 * column bands, packing, long elementwise rows, im2col/col2im and max-pooling by images) gives on three threads exactly the bits it gives on
 * one, and matches the float64 JS reference. Also the thread count and its label.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { inferOp } from '../../ops/defs';
import type { Attrs, Op, Shape } from '../../ops/types';
import type { CpuTensor } from '../cpu/kernel';
import { CPU_KERNELS } from '../cpu/kernels';
import { makeCtx, randomTensor } from '../cpu/kernels/test-utils';
import { WasmBackend } from './backend';
import { spawnNodeThread } from './nodeThreads';
import { runWasmOp } from './testing';

const threaded = await WasmBackend.create({ threads: 3, spawn: spawnNodeThread });
afterAll(() => threaded.dispose());

/** Inputs of these shapes (seeded), as f32 for WASM and f64 for the reference. */
function inputs(shapes: readonly Shape[], positive = false) {
  const lo = positive ? 0 : -1;
  return {
    f32: shapes.map((s, i) => randomTensor(s, 7 + i, 'f32', lo)),
    f64: shapes.map((s, i) => randomTensor(s, 7 + i, 'f64', lo)),
  };
}

/** Runs op on one thread and on three; they must agree bit for bit, the work must be split, and both match float64. */
function agrees<O extends Op>(op: O, shapes: readonly Shape[], attrs: Attrs<O>, tolerance: number, positive = false): void {
  const { f32, f64 } = inputs(shapes, positive);
  const out = inferOp(op, f32 as CpuTensor[], attrs);
  const one = runWasmOp(op, f32, attrs, out);
  const forks = threaded.pool!.forks;
  const three = runWasmOp(op, f32, attrs, out, threaded);
  expect(threaded.pool!.forks, `${op} split its work`).toBeGreaterThan(forks);
  expect(Array.from(three), `${op}: 3 threads vs 1`).toEqual(Array.from(one));
  const reference = CPU_KERNELS[op](f64, attrs, out, makeCtx('f64'));
  let worst = 0;
  for (let i = 0; i < reference.length; i++) worst = Math.max(worst, Math.abs(three[i]! - reference[i]!) / Math.max(1, Math.abs(reference[i]!)));
  expect(worst, `${op}: largest difference from float64`).toBeLessThanOrEqual(tolerance);
}

describe('WASM kernels on three threads', () => {
  it('labels its threads', () => {
    expect(threaded.device).toBe('WASM SIMD, 3 threads');
    expect(threaded.pool!.size).toBe(3);
  });

  it('GEMM split by rows: edge tiles and two depth blocks', () => {
    agrees(
      'matmul',
      [
        [37, 300],
        [300, 45],
      ],
      { transA: false, transB: false },
      1e-5,
    );
    agrees(
      'matmul',
      [
        [300, 37],
        [45, 300],
      ],
      { transA: true, transB: true },
      1e-5,
    );
  });

  it('GEMM split by columns (few rows, many columns) and batched', () => {
    agrees(
      'matmul',
      [
        [5, 200],
        [200, 517],
      ],
      { transA: false, transB: false },
      1e-5,
    );
    agrees(
      'matmul',
      [
        [3, 40, 64],
        [50, 64],
      ],
      { transA: false, transB: true },
      1e-5,
    );
  });

  it('long elementwise rows split between threads: arithmetic, broadcast scalars, comparisons', () => {
    agrees('add', [[100003], [100003]], {}, 1e-6);
    agrees('mul', [[100003], [1]], {}, 1e-6);
    agrees('div', [[1], [70001]], {}, 1e-5, true);
    agrees('greater', [[70001], [70001]], {}, 0);
  });

  it('convolutions and their gradients: im2col and col2im split by images, then a split GEMM', () => {
    const conv = { stride: [1, 1], padding: [1, 1, 1, 1], dilation: [1, 1], groups: 1 } as const;
    agrees(
      'conv2d',
      [
        [6, 24, 24, 3],
        [3, 3, 3, 8],
      ],
      conv,
      1e-5,
    );
    agrees(
      'conv2d_grad_input',
      [
        [6, 24, 24, 8],
        [3, 3, 3, 8],
      ],
      { ...conv, inputShape: [6, 24, 24, 3] },
      1e-5,
    );
    // Each filter gradient is a sum of 3456 products in f32: a looser bound against float64.
    agrees(
      'conv2d_grad_filter',
      [
        [6, 24, 24, 3],
        [6, 24, 24, 8],
      ],
      { ...conv, filterShape: [3, 3, 3, 8] },
      5e-5,
    );
  });

  it('max-pooling and its gradient split by images', () => {
    const win = { size: [2, 2], stride: [2, 2], padding: [0, 0, 0, 0] } as const;
    agrees('max_pool2d', [[7, 40, 40, 8]], win, 0);
    agrees(
      'max_pool2d_grad',
      [
        [7, 40, 40, 8],
        [7, 20, 20, 8],
      ],
      win,
      0,
    );
  });

  it('unary ops split between threads', () => {
    agrees('relu', [[100001]], {}, 0);
    agrees('leaky_relu', [[100001]], { alpha: 0.1 }, 1e-6);
    agrees('sqrt', [[65537]], {}, 1e-6, true);
  });
});

describe('how many threads the WASM backend runs', () => {
  it('one, and says why, on a page that is not cross-origin isolated', async () => {
    vi.stubGlobal('crossOriginIsolated', false);
    try {
      const backend = await WasmBackend.create();
      expect(backend.device).toBe('WASM SIMD, 1 thread (page not cross-origin isolated)');
      expect(backend.pool).toBeUndefined();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('one when asked for one, or where nothing can start threads (Node without a spawner)', async () => {
    expect((await WasmBackend.create({ threads: 1, spawn: spawnNodeThread })).device).toBe('WASM SIMD, 1 thread');
    expect((await WasmBackend.create()).device).toBe('WASM SIMD, 1 thread');
  });

  it('one, and says why, when the helper threads fail to start', async () => {
    const backend = await WasmBackend.create({
      threads: 2,
      spawn: () => ({ ready: Promise.reject(new Error('no workers here')), terminate: () => {} }),
    });
    expect(backend.device).toBe('WASM SIMD, 1 thread (WebAssembly threads could not start: no workers here)');
  });
});
