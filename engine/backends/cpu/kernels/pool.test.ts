import { describe, expect, it } from 'vitest';
import { sizeOf } from '../../../ops/shape';
import type { Shape, Window2D } from '../../../ops/types';
import type { CpuTensor } from '../kernel';
import { dot, expectClose, FLOAT_MODES, randomTensor, randomValues, ravel, run, tensor, tolFor, unravel } from './test-utils';

const win = (size: [number, number], stride: [number, number], padding: [number, number, number, number]): Window2D => ({ size, stride, padding });

/** In-image cells of the window of output (n, oy, ox, c), row-major, as flat indices into x. */
function windowCells(xShape: Shape, a: Window2D, n: number, oy: number, ox: number, c: number): number[] {
  const cells: number[] = [];
  for (let ky = 0; ky < a.size[0]; ky++) {
    for (let kx = 0; kx < a.size[1]; kx++) {
      const iy = oy * a.stride[0] + ky - a.padding[0];
      const ix = ox * a.stride[1] + kx - a.padding[2];
      if (iy >= 0 && iy < xShape[1]! && ix >= 0 && ix < xShape[2]!) cells.push(ravel([n, iy, ix, c], xShape));
    }
  }
  return cells;
}

function naivePool(kind: 'max' | 'avg', x: CpuTensor, a: Window2D, outShape: Shape): number[] {
  return Array.from({ length: sizeOf(outShape) }, (_v, i) => {
    const [n, oy, ox, c] = unravel(i, outShape) as [number, number, number, number];
    const vals = windowCells(x.shape, a, n, oy, ox, c).map((j) => x.data[j]!);
    if (vals.length === 0) return 0;
    return kind === 'max' ? Math.max(...vals) : vals.reduce((s, v) => s + v, 0) / vals.length;
  });
}

/** dy of each window routed to the first maximal cell in row-major window order. */
function naiveMaxGrad(x: CpuTensor, dy: CpuTensor, a: Window2D): number[] {
  const dx = new Array<number>(x.data.length).fill(0);
  for (let i = 0; i < dy.data.length; i++) {
    const [n, oy, ox, c] = unravel(i, dy.shape) as [number, number, number, number];
    const cells = windowCells(x.shape, a, n, oy, ox, c);
    let best = -1;
    for (const j of cells) if (best < 0 || x.data[j]! > x.data[best]!) best = j;
    if (best >= 0) dx[best]! += dy.data[i]!;
  }
  return dx;
}

const CASES: [Shape, Window2D][] = [
  [[2, 4, 4, 3], win([2, 2], [2, 2], [0, 0, 0, 0])],
  [[1, 5, 7, 2], win([3, 3], [2, 2], [1, 1, 1, 1])],
  [[2, 6, 5, 3], win([3, 2], [1, 2], [2, 0, 1, 1])],
  [[1, 3, 3, 1], win([3, 3], [1, 1], [2, 2, 2, 2])],
];

describe('max_pool2d and avg_pool2d', () => {
  for (const mode of FLOAT_MODES) {
    for (const kind of ['max', 'avg'] as const) {
      it(`${kind}_pool2d matches the naive window loop, padding ignored (${mode})`, () => {
        CASES.forEach(([xs, a], k) => {
          const x = randomTensor(xs, k, mode, -3, -1); // all negative: a padded zero would win a max
          const y = run(kind === 'max' ? 'max_pool2d' : 'avg_pool2d', [x], a, mode);
          expectClose(y.data, naivePool(kind, x, a, y.shape), tolFor(mode));
        });
      });
    }
  }

  it('averages only in-image cells', () => {
    const x = tensor([1, 2, 2, 1], [1, 2, 3, 4]);
    expect([...run('avg_pool2d', [x], win([2, 2], [1, 1], [1, 0, 1, 0])).data]).toEqual([1, 1.5, 2, 2.5]);
    expect([...run('max_pool2d', [tensor([1, 2, 2, 1], [-1, -2, -3, -4])], win([2, 2], [1, 1], [1, 0, 1, 0])).data]).toEqual([-1, -1, -1, -1]);
  });
});

describe('pooling gradients', () => {
  it('max_pool2d_grad sends a tie to the first cell of the window', () => {
    const x = tensor([1, 2, 2, 1], [5, 5, 5, 5]);
    const dx = run('max_pool2d_grad', [x, tensor([1, 1, 1, 1], [7])], win([2, 2], [2, 2], [0, 0, 0, 0]));
    expect([...dx.data]).toEqual([7, 0, 0, 0]);
    const y = tensor([1, 2, 2, 1], [1, 3, 3, 2]);
    expect([...run('max_pool2d_grad', [y, tensor([1, 1, 1, 1], [1])], win([2, 2], [2, 2], [0, 0, 0, 0])).data]).toEqual([0, 1, 0, 0]);
  });

  it('max_pool2d propagates NaN and routes its gradient to the first NaN', () => {
    const x = tensor([1, 1, 4, 1], [1, NaN, 9, NaN]);
    const a = win([1, 4], [1, 1], [0, 0, 0, 0]);
    expect([...run('max_pool2d', [x], a).data]).toEqual([NaN]);
    expect([...run('max_pool2d_grad', [x, tensor([1, 1, 1, 1], [1])], a).data]).toEqual([0, 1, 0, 0]);
  });

  it('max_pool2d_grad sums overlapping windows', () => {
    const x = tensor([1, 1, 3, 1], [0, 9, 0]);
    const dx = run('max_pool2d_grad', [x, tensor([1, 1, 2, 1], [1, 2])], win([1, 2], [1, 1], [0, 0, 0, 0]));
    expect([...dx.data]).toEqual([0, 3, 0]);
  });

  for (const mode of FLOAT_MODES) {
    it(`max_pool2d_grad matches naive first-max routing, with ties (${mode})`, () => {
      CASES.forEach(([xs, a], k) => {
        const x = tensor(xs, randomValues(sizeOf(xs), k, -2, 2).map(Math.round), 'f32', mode);
        const y = run('max_pool2d', [x], a, mode);
        const dy = randomTensor(y.shape, 10 + k, mode);
        expectClose(run('max_pool2d_grad', [x, dy], a, mode).data, naiveMaxGrad(x, dy, a), tolFor(mode));
      });
    });

    it(`avg_pool2d_grad is the adjoint: <avg_pool(x), dy> = <x, avg_pool_grad(dy)> (${mode})`, () => {
      CASES.forEach(([xs, a], k) => {
        const x = randomTensor(xs, 20 + k, mode);
        const y = run('avg_pool2d', [x], a, mode);
        const dy = randomTensor(y.shape, 30 + k, mode);
        const dx = run('avg_pool2d_grad', [dy], { ...a, inputShape: xs }, mode);
        expect(dx.shape).toEqual(xs);
        expectClose([dot(x.data, dx.data)], [dot(y.data, dy.data)], mode === 'f64' ? 1e-12 : 1e-5);
      });
    });
  }
});
