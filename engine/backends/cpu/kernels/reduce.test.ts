import { describe, expect, it } from 'vitest';
import { normalizeAxes, reducedShape, sizeOf } from '../../../ops/shape';
import type { Shape } from '../../../ops/types';
import { expectClose, FLOAT_MODES, randomTensor, randomValues, ravel, run, tensor, tolFor, unravel } from './test-utils';

type Kind = 'sum' | 'mean' | 'max';

/** Visit every input element, drop the reduced coordinates, and fold into that output cell. */
function naiveReduce(kind: Kind, data: ArrayLike<number>, shape: Shape, axes: number[]): number[] {
  const norm = normalizeAxes(axes, shape.length);
  const outShape = reducedShape(shape, norm, false);
  const acc = new Array<number>(sizeOf(outShape)).fill(kind === 'max' ? -Infinity : 0);
  const count = new Array<number>(acc.length).fill(0);
  for (let i = 0; i < data.length; i++) {
    const t = unravel(i, shape).filter((_v, d) => !norm.includes(d));
    const o = ravel(t, outShape);
    const v = data[i]!;
    acc[o] = kind === 'max' ? (Number.isNaN(v) || v > acc[o]! ? v : acc[o]!) : acc[o]! + v;
    count[o]!++;
  }
  return kind === 'mean' ? acc.map((s, o) => s / count[o]!) : acc;
}

const CASES: [Shape, number[]][] = [
  [[2, 3, 4], []],
  [[2, 3, 4], [0]],
  [[2, 3, 4], [1]],
  [[2, 3, 4], [2]],
  [[2, 3, 4], [-1]],
  [
    [2, 3, 4],
    [0, 1],
  ],
  [
    [2, 3, 4],
    [0, 2],
  ],
  [
    [2, 3, 4],
    [1, 2],
  ],
  [
    [2, 3, 4],
    [2, 0, 1],
  ],
  [
    [3, 1, 4],
    [0, 2],
  ],
  [
    [2, 3, 4, 5],
    [1, 3],
  ],
  [
    [2, 3, 4, 5],
    [0, 2, 3],
  ],
  [[128, 256], [0]],
  [[128, 256], [1]],
  [[5], [0]],
  [[], []],
];

describe('sum, mean, max', () => {
  for (const mode of FLOAT_MODES) {
    for (const kind of ['sum', 'mean', 'max'] as const) {
      it(`${kind} matches the naive reduction over many axis sets (${mode})`, () => {
        CASES.forEach(([shape, axes], k) => {
          const x = randomTensor(shape, 100 + k, mode);
          for (const keepdims of [false, true]) {
            const y = run(kind, [x], { axes, keepdims }, mode);
            expect(y.shape).toEqual(reducedShape(shape, normalizeAxes(axes, shape.length), keepdims));
            expectClose(y.data, naiveReduce(kind, x.data, shape, axes), tolFor(mode));
          }
        });
      });
    }
  }

  it('gives hand-computed values', () => {
    const x = tensor([2, 3], [1, 2, 3, 4, 5, 6]);
    expect([...run('sum', [x], { axes: [0], keepdims: false }).data]).toEqual([5, 7, 9]);
    expect([...run('mean', [x], { axes: [1], keepdims: true }).data]).toEqual([2, 5]);
    expect([...run('max', [x], { axes: [0, 1], keepdims: false }).data]).toEqual([6]);
  });

  it('sums i32 exactly, wrapping like a 32-bit accumulator', () => {
    const x = tensor([2, 2], [2147483647, 1, -5, 2], 'i32');
    const y = run('sum', [x], { axes: [1], keepdims: false });
    expect(y.dtype).toBe('i32');
    expect([...y.data]).toEqual([-2147483648, -3]);
    expect([...run('max', [x], { axes: [0], keepdims: false }).data]).toEqual([2147483647, 2]);
  });

  it('handles empty reductions: sum 0, mean NaN, max -Infinity', () => {
    const x = tensor([0, 3], []);
    expect([...run('sum', [x], { axes: [0], keepdims: false }).data]).toEqual([0, 0, 0]);
    expect([...run('mean', [x], { axes: [0], keepdims: false }).data]).toEqual([NaN, NaN, NaN]);
    expect([...run('max', [x], { axes: [0], keepdims: false }).data]).toEqual([-Infinity, -Infinity, -Infinity]);
  });

  it('propagates NaN through max', () => {
    expect([...run('max', [tensor([3], [1, NaN, 3])], { axes: [0], keepdims: false }).data]).toEqual([NaN]);
  });
});

/** softmax along one axis by explicit index tuples. */
function naiveSoftmax(data: ArrayLike<number>, shape: Shape, axis: number, log: boolean): number[] {
  return Array.from({ length: data.length }, (_v, i) => {
    const t = unravel(i, shape);
    const line = Array.from(
      { length: shape[axis]! },
      (_w, j) =>
        data[
          ravel(
            t.map((v, d) => (d === axis ? j : v)),
            shape,
          )
        ]!,
    );
    const m = Math.max(...line);
    const z = line.reduce((s, v) => s + Math.exp(v - m), 0);
    return log ? data[i]! - m - Math.log(z) : Math.exp(data[i]! - m) / z;
  });
}

describe('softmax and log_softmax', () => {
  it('give hand-computed values for [1, 2, 3]', () => {
    const x = tensor([3], [1, 2, 3]);
    expectClose(run('softmax', [x], { axis: 0 }).data, [0.09003057317038046, 0.24472847105479767, 0.6652409557748219], 1e-15);
    expectClose(run('log_softmax', [x], { axis: -1 }).data, [-2.40760596444438, -1.4076059644443801, -0.40760596444438013], 1e-15);
  });

  it('are stable for large inputs', () => {
    const y = run('softmax', [tensor([3], [1001, 1002, 1003])], { axis: 0 }).data;
    expectClose(y, [0.09003057317038046, 0.24472847105479767, 0.6652409557748219], 1e-12);
    const l = run('log_softmax', [tensor([2], [-1000, 1000])], { axis: 0 }).data;
    expect([...l]).toEqual([-2000, 0]);
  });

  for (const mode of FLOAT_MODES) {
    for (const log of [false, true]) {
      it(`${log ? 'log_softmax' : 'softmax'} matches the naive reference along each axis (${mode})`, () => {
        const shape = [3, 4, 5];
        const x = randomTensor(shape, 9, mode, -5, 5);
        for (const axis of [0, 1, 2, -1]) {
          const y = run(log ? 'log_softmax' : 'softmax', [x], { axis }, mode);
          expectClose(y.data, naiveSoftmax(x.data, shape, (axis + 3) % 3, log), tolFor(mode));
        }
      });
    }
  }
});

describe('argmax', () => {
  it('takes the first index on ties', () => {
    const x = tensor([2, 3], [1, 3, 3, 2, 2, 1]);
    const y = run('argmax', [x], { axis: 1 });
    expect(y.dtype).toBe('i32');
    expect([...y.data]).toEqual([1, 0]);
    expect([...run('argmax', [x], { axis: 0 }).data]).toEqual([1, 0, 0]);
    expect([...run('argmax', [tensor([4], [-5, -5, -5, -5])], { axis: 0 }).data]).toEqual([0]);
  });

  it('points at the first NaN, as max propagates it', () => {
    expect([...run('argmax', [tensor([4], [1, NaN, 5, NaN])], { axis: 0 }).data]).toEqual([1]);
    expect([...run('argmax', [tensor([3], [NaN, 5, 6])], { axis: 0 }).data]).toEqual([0]);
  });

  it('matches a naive argmax along every axis, f32 and i32', () => {
    const shape = [3, 4, 5];
    const values = randomValues(60, 3, -3, 3).map(Math.round); // many ties
    for (const dtype of ['f32', 'i32'] as const) {
      const x = tensor(shape, values, dtype);
      for (const axis of [0, 1, 2]) {
        const y = run('argmax', [x], { axis });
        const outShape = shape.filter((_d, d) => d !== axis);
        const expected = Array.from({ length: sizeOf(outShape) }, (_v, o) => {
          const t = unravel(o, outShape);
          let best = 0;
          for (let j = 1; j < shape[axis]!; j++) {
            const at = (q: number) => values[ravel([...t.slice(0, axis), q, ...t.slice(axis)], shape)]!;
            if (at(j) > at(best)) best = j;
          }
          return best;
        });
        expect([...y.data]).toEqual(expected);
      }
    }
  });
});
