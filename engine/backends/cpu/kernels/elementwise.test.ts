import { describe, expect, it } from 'vitest';
import { sizeOf } from '../../../ops/shape';
import type { Op, Shape } from '../../../ops/types';
import { broadcastIndex, expectClose, FLOAT_MODES, randomValues, run, tensor, tolFor, unravel } from './test-utils';

const none = {} as Record<string, never>;

/** Independent float64 maths for each binary op. */
const BINARY: Record<string, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  pow: (x, y) => Math.pow(x, y),
  minimum: (x, y) => (x < y ? x : y),
  maximum: (x, y) => (x > y ? x : y),
  less: (x, y) => Number(x < y),
  less_equal: (x, y) => Number(x <= y),
  greater: (x, y) => Number(x > y),
  greater_equal: (x, y) => Number(x >= y),
  equal: (x, y) => Number(x === y),
  not_equal: (x, y) => Number(x !== y),
};

/** Shape pairs: equal, scalar either side, [3,1] vs [1,4], rank mismatch, bias rows, size-1 both sides. */
const PAIRS: [Shape, Shape][] = [
  [
    [2, 3],
    [2, 3],
  ],
  [[], [2, 3]],
  [[2, 3], []],
  [
    [3, 1],
    [1, 4],
  ],
  [[4], [2, 3, 4]],
  [
    [2, 1, 4],
    [3, 1],
  ],
  [[1], [5]],
  [
    [2, 3, 4, 5],
    [3, 1, 5],
  ],
  [[7, 33], [33]],
  [[1, 1], [1]],
  [
    [0, 3],
    [1, 3],
  ],
];

/** out[t] = f(a[broadcast t], b[broadcast t]) by explicit index arithmetic. */
function naiveBinary(f: (x: number, y: number) => number, a: { data: ArrayLike<number>; shape: Shape }, b: typeof a, out: Shape): number[] {
  return Array.from({ length: sizeOf(out) }, (_v, i) => {
    const t = unravel(i, out);
    return f(a.data[broadcastIndex(t, a.shape)]!, b.data[broadcastIndex(t, b.shape)]!);
  });
}

describe('binary elementwise kernels', () => {
  for (const mode of FLOAT_MODES) {
    for (const [op, f] of Object.entries(BINARY)) {
      it(`${op} broadcasts like the naive reference (${mode})`, () => {
        PAIRS.forEach(([sa, sb], k) => {
          // Small integers make ties for the comparisons; pow gets positive bases.
          const tie = op !== 'pow' && op !== 'div' && op !== 'mul';
          const gen = (n: number, seed: number) => randomValues(n, seed, op === 'pow' ? 0.1 : -3, 3).map((v) => (tie && k % 2 ? Math.round(v) : v));
          const a = tensor(sa, gen(sizeOf(sa), 10 + k), 'f32', mode);
          const b = tensor(sb, gen(sizeOf(sb), 50 + k), 'f32', mode);
          const y = run(op as Op as 'add', [a, b], none, mode);
          expectClose(y.data, naiveBinary(f, a, b, y.shape), tolFor(mode));
        });
      });
    }
  }

  it('gives bool 0/1 for comparisons, with ties', () => {
    const a = tensor([4], [1, 2, 3, NaN]);
    const b = tensor([4], [2, 2, 2, NaN]);
    expect([...run('less', [a, b], none).data]).toEqual([1, 0, 0, 0]);
    expect([...run('less_equal', [a, b], none).data]).toEqual([1, 1, 0, 0]);
    expect([...run('equal', [a, b], none).data]).toEqual([0, 1, 0, 0]);
    expect([...run('not_equal', [a, b], none).data]).toEqual([1, 0, 1, 1]);
    expect(run('equal', [a, b], none).dtype).toBe('bool');
  });

  it('compares bool tensors', () => {
    const a = tensor([3], [0, 1, 1], 'bool');
    const b = tensor([3], [1, 1, 0], 'bool');
    expect([...run('equal', [a, b], none).data]).toEqual([0, 1, 0]);
  });

  it('does i32 arithmetic with 32-bit wrapping and truncating division', () => {
    const a = tensor([5], [7, -7, 65536, 2147483647, 123456789], 'i32');
    const b = tensor([5], [2, 2, 65536, 3, 987654321], 'i32');
    const mul = run('mul', [a, b], none);
    expect(mul.dtype).toBe('i32');
    const wrapped = [...a.data].map((x, i) => Number(BigInt.asIntN(32, BigInt(x) * BigInt(b.data[i]!))));
    expect([...mul.data]).toEqual(wrapped);
    expect([...run('div', [a, b], none).data].slice(0, 2)).toEqual([3, -3]);
    expect([...run('add', [a, b], none).data][3]).toBe(Number(BigInt.asIntN(32, 2147483650n)));
    expect([...run('maximum', [a, tensor([], [0], 'i32')], none).data]).toEqual([7, 0, 65536, 2147483647, 123456789]);
  });

  it('propagates NaN through minimum and maximum', () => {
    const a = tensor([2], [NaN, 1]);
    const b = tensor([2], [0, NaN]);
    expect([...run('minimum', [a, b], none).data]).toEqual([NaN, NaN]);
    expect([...run('maximum', [a, b], none).data]).toEqual([NaN, NaN]);
  });
});

/** Independent float64 maths for each unary op (alpha = 0.2 for leaky_relu, 1.5 for elu). */
const UNARY: Record<string, (x: number) => number> = {
  neg: (x) => -x,
  exp: (x) => Math.exp(x),
  log: (x) => Math.log(x),
  sqrt: (x) => Math.sqrt(x),
  abs: (x) => (x < 0 ? -x : x),
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0),
  relu: (x) => (x > 0 ? x : 0),
  leaky_relu: (x) => (x > 0 ? x : 0.2 * x),
  elu: (x) => (x > 0 ? x : 1.5 * (Math.exp(x) - 1)),
  gelu: (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: (x) => (Math.exp(2 * x) - 1) / (Math.exp(2 * x) + 1),
  softplus: (x) => Math.log(1 + Math.exp(x)),
};
const ALPHA: Record<string, object> = { leaky_relu: { alpha: 0.2 }, elu: { alpha: 1.5 } };

describe('unary elementwise kernels', () => {
  for (const mode of FLOAT_MODES) {
    for (const [op, f] of Object.entries(UNARY)) {
      it(`${op} matches the reference maths on moderate inputs (${mode})`, () => {
        const positive = op === 'log' || op === 'sqrt';
        const x = tensor([3, 37], randomValues(111, 7, positive ? 0.01 : -4, 4), 'f32', mode);
        const y = run(op as 'elu', [x], (ALPHA[op] ?? none) as { alpha: number }, mode);
        expect(y.shape).toEqual([3, 37]);
        // elu uses expm1 and sigmoid/softplus stable forms: equal maths, different rounding.
        expectClose(y.data, [...x.data].map(f), mode === 'f64' ? 1e-9 : 2e-6);
      });
    }
  }

  it('gives hand-computed values', () => {
    const at = (op: string, x: number, attrs: object = none) => run(op as 'elu', [tensor([], [x])], attrs as { alpha: number }).data[0]!;
    expect(at('gelu', 1)).toBeCloseTo(0.841192, 6);
    expect(at('gelu', -1)).toBeCloseTo(-0.158808, 6);
    expect(at('sigmoid', 2)).toBeCloseTo(0.880797, 6);
    expect(at('softplus', 2)).toBeCloseTo(2.126928, 6);
    expect(at('elu', -1, { alpha: 0.5 })).toBeCloseTo(-0.31606, 6);
    expect(at('leaky_relu', -2, { alpha: 0.1 })).toBeCloseTo(-0.2, 12);
    expect(at('relu', -0.5)).toBe(0);
    expect(at('relu', 0.5)).toBe(0.5);
  });

  it('is stable at the extremes', () => {
    const x = tensor([4], [-1000, -100, 100, 1000]);
    const sp = run('softplus', [x], none).data;
    expect(sp[0]).toBe(0); // e^-1000 underflows even in float64
    expect(sp[1]).toBeCloseTo(3.720075976020836e-44, 58);
    expect(sp[1]).toBeGreaterThan(0);
    expect(sp[2]).toBe(100);
    expect(sp[3]).toBe(1000);
    const sg = run('sigmoid', [x], none).data;
    expect([sg[0], sg[2], sg[3]]).toEqual([0, 1, 1]);
    expect(sg[1]! / 3.720075976020836e-44).toBeCloseTo(1, 12); // e^-100 / (1 + e^-100), not 0
    expect([...run('tanh', [x], none).data]).toEqual([-1, -1, 1, 1]);
    expect([...run('gelu', [x], none).data]).toEqual([-0, -0, 100, 1000]);
  });

  it('keeps i32 for neg, abs and sign', () => {
    const x = tensor([4], [-3, 0, 5, -1], 'i32');
    expect([...run('neg', [x], none).data]).toEqual([3, 0, -5, 1]);
    expect([...run('abs', [x], none).data]).toEqual([3, 0, 5, 1]);
    const s = run('sign', [x], none);
    expect(s.dtype).toBe('i32');
    expect([...s.data]).toEqual([-1, 0, 1, -1]);
  });
});

describe('cast', () => {
  it('truncates f32 toward zero for i32', () => {
    const x = tensor([6], [-1.7, 1.7, 2.5, -0.2, 0, 3]);
    expect([...run('cast', [x], { dtype: 'i32' }).data]).toEqual([-1, 1, 2, 0, 0, 3]);
  });
  it('maps x != 0 to bool, NaN included', () => {
    const x = tensor([5], [0, -0, 0.1, NaN, -2]);
    expect([...run('cast', [x], { dtype: 'bool' }).data]).toEqual([0, 0, 1, 1, 1]);
    expect([...run('cast', [tensor([3], [0, 7, -1], 'i32')], { dtype: 'bool' }).data]).toEqual([0, 1, 1]);
  });
  for (const mode of FLOAT_MODES) {
    it(`turns bool and i32 into numbers (${mode})`, () => {
      expect([...run('cast', [tensor([3], [1, 0, 1], 'bool')], { dtype: 'f32' }, mode).data]).toEqual([1, 0, 1]);
      expect([...run('cast', [tensor([2], [-4, 9], 'i32')], { dtype: 'f32' }, mode).data]).toEqual([-4, 9]);
      expect([...run('cast', [tensor([2], [1, 0], 'bool')], { dtype: 'i32' }, mode).data]).toEqual([1, 0]);
    });
  }
});

describe('where', () => {
  for (const mode of FLOAT_MODES) {
    it(`broadcasts three ways like the naive reference (${mode})`, () => {
      const cases: [Shape, Shape, Shape][] = [
        [[3, 1], [1, 4], []],
        [
          [2, 3],
          [2, 3],
          [2, 3],
        ],
        [[4], [3, 1], [2, 1, 1]],
        [[], [5], [5]],
      ];
      cases.forEach(([sc, sa, sb], k) => {
        const c = tensor(
          sc,
          randomValues(sizeOf(sc), k).map((v) => Number(v > 0)),
          'bool',
        );
        const a = tensor(sa, randomValues(sizeOf(sa), 20 + k), 'f32', mode);
        const b = tensor(sb, randomValues(sizeOf(sb), 40 + k), 'f32', mode);
        const y = run('where', [c, a, b], none, mode);
        const expected = Array.from({ length: sizeOf(y.shape) }, (_v, i) => {
          const t = unravel(i, y.shape);
          return c.data[broadcastIndex(t, sc)] ? a.data[broadcastIndex(t, sa)]! : b.data[broadcastIndex(t, sb)]!;
        });
        expect([...y.data]).toEqual(expected);
      });
    });
  }
  it('selects i32 values', () => {
    const y = run('where', [tensor([3], [1, 0, 1], 'bool'), tensor([3], [1, 2, 3], 'i32'), tensor([], [-9], 'i32')], none);
    expect(y.dtype).toBe('i32');
    expect([...y.data]).toEqual([1, -9, 3]);
  });
});
