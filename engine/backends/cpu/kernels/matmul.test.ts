import { describe, expect, it } from 'vitest';
import { broadcastShapes, sizeOf } from '../../../ops/shape';
import type { Shape } from '../../../ops/types';
import type { CpuTensor } from '../kernel';
import { broadcastIndex, expectClose, FLOAT_MODES, randomTensor, run, tensor, tolFor, unravel } from './test-utils';

/** Offset of operand x's matrix for out-batch tuple bt (NumPy broadcasting of the batch dims). */
function matrixOffset(x: CpuTensor, bt: readonly number[]): number {
  const r = x.shape.length;
  return broadcastIndex(bt, x.shape.slice(0, -2)) * x.shape[r - 2]! * x.shape[r - 1]!;
}

/** The textbook triple loop per batch, in float64, with transposes as explicit index swaps. */
function naiveMatmul(a: CpuTensor, b: CpuTensor, transA: boolean, transB: boolean): { shape: number[]; data: number[] } {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = transA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const k = transA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const n = transB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  const aCols = a.shape[ra - 1]!;
  const bCols = b.shape[rb - 1]!;
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const data: number[] = [];
  for (let q = 0; q < sizeOf(batch); q++) {
    const bt = unravel(q, batch);
    const oa = matrixOffset(a, bt);
    const ob = matrixOffset(b, bt);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const aip = a.data[oa + (transA ? p * aCols + i : i * aCols + p)]!;
          const bpj = b.data[ob + (transB ? j * bCols + p : p * bCols + j)]!;
          s += aip * bpj;
        }
        data.push(s);
      }
    }
  }
  return { shape: [...batch, m, n], data };
}

/** Stored shape of an m×k operand that the kernel reads transposed or not. */
const stored = (batch: Shape, rows: number, cols: number, t: boolean): Shape => [...batch, ...(t ? [cols, rows] : [rows, cols])];

describe('matmul', () => {
  it('gives a hand-computed product', () => {
    const a = tensor([2, 2], [1, 2, 3, 4]);
    const b = tensor([2, 2], [5, 6, 7, 8]);
    expect([...run('matmul', [a, b], { transA: false, transB: false }).data]).toEqual([19, 22, 43, 50]);
    expect([...run('matmul', [a, b], { transA: true, transB: false }).data]).toEqual([26, 30, 38, 44]);
    expect([...run('matmul', [a, b], { transA: false, transB: true }).data]).toEqual([17, 23, 39, 53]);
    expect([...run('matmul', [a, b], { transA: true, transB: true }).data]).toEqual([23, 31, 34, 46]);
  });

  // Sizes straddle the 2-row / 4-deep unrolling and the 128 (k) and 256 (n) blocks.
  const SIZES: [number, number, number][] = [
    [1, 1, 1],
    [5, 7, 3],
    [2, 4, 8],
    [3, 5, 1],
    [33, 130, 257],
    [1, 300, 2],
  ];
  for (const mode of FLOAT_MODES) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        it(`matches the naive triple loop, transA=${transA} transB=${transB} (${mode})`, () => {
          SIZES.forEach(([m, k, n], s) => {
            const a = randomTensor(stored([], m, k, transA), 2 * s, mode);
            const b = randomTensor(stored([], k, n, transB), 2 * s + 1, mode);
            const y = run('matmul', [a, b], { transA, transB }, mode);
            const ref = naiveMatmul(a, b, transA, transB);
            expect(y.shape).toEqual(ref.shape);
            expectClose(y.data, ref.data, tolFor(mode));
          });
        });

        it(`broadcasts batch dims, transA=${transA} transB=${transB} (${mode})`, () => {
          const batches: [Shape, Shape][] = [
            [[3], [3]],
            [[2, 3], []],
            [[], [4]],
            [
              [2, 1],
              [1, 3],
            ],
            [[1], [2, 2]],
            [[0], [1]],
          ];
          batches.forEach(([ba, bb], s) => {
            const a = randomTensor(stored(ba, 5, 6, transA), 10 + s, mode);
            const b = randomTensor(stored(bb, 6, 3, transB), 20 + s, mode);
            const y = run('matmul', [a, b], { transA, transB }, mode);
            const ref = naiveMatmul(a, b, transA, transB);
            expect(y.shape).toEqual(ref.shape);
            expectClose(y.data, ref.data, tolFor(mode));
          });
        });
      }
    }
  }

  it('gives zeros for an empty inner dimension', () => {
    const y = run('matmul', [tensor([2, 0], []), tensor([0, 3], [])], { transA: false, transB: false });
    expect([...y.data]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('matches the reference on the MLP training shapes', () => {
    const x = randomTensor([128, 784], 1, 'f32');
    const w = randomTensor([784, 256], 2, 'f32');
    const dy = randomTensor([128, 256], 3, 'f32');
    const cases: [CpuTensor, CpuTensor, boolean, boolean][] = [
      [x, w, false, false],
      [x, dy, true, false],
      [dy, w, false, true],
    ];
    for (const [a, b, transA, transB] of cases) {
      expectClose(run('matmul', [a, b], { transA, transB }, 'f32').data, naiveMatmul(a, b, transA, transB).data, 1e-5);
    }
  });
});
