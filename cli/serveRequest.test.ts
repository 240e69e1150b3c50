/**
 * Predict bodies against a signature of two inputs (one float, one int32) and two outputs: row and
 * columnar forms give the same tensors, answers come back in the form asked, and int32 values that
 * are not whole or out of range are refused naming the element.
 */
import { describe, expect, it } from 'vitest';
import { formatPredict, parsePredict, RequestError } from './serve/request';
import type { TensorSignature } from './serve/runner';

const INPUTS: TensorSignature[] = [
  { name: 'a', shape: [2, 2], dtype: 'f32' },
  { name: 'ids', shape: [3], dtype: 'i32' },
];
const OUTPUTS: TensorSignature[] = [
  { name: 'y', shape: [2], dtype: 'f32' },
  { name: 'z', shape: [], dtype: 'f32' },
];

/** One sample of input `a`. */
const A = [
  [1, 2],
  [3, 4],
];

const refusal = (body: unknown, maxInstances = 10): string => {
  try {
    parsePredict(body, INPUTS, maxInstances);
  } catch (e) {
    expect(e).toBeInstanceOf(RequestError);
    return `${(e as RequestError).status} ${(e as Error).message}`;
  }
  throw new Error('accepted');
};

describe('predict bodies', () => {
  const rows = [
    { a: A, ids: [7, 8, 9] },
    {
      a: [
        [5, 6],
        [7, 8.5],
      ],
      ids: [-1, 0, 2147483647],
    },
  ];
  it('reads row and columnar bodies into the same sample-major tensors', () => {
    const r = parsePredict({ instances: rows }, INPUTS, 10);
    const c = parsePredict({ inputs: { a: rows.map((x) => x.a), ids: rows.map((x) => x.ids) } }, INPUTS, 10);
    for (const p of [r, c]) {
      expect(p.n).toBe(2);
      expect(Array.from(p.tensors.a!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8.5]);
      expect(p.tensors.ids).toBeInstanceOf(Int32Array);
      expect(Array.from(p.tensors.ids!)).toEqual([7, 8, 9, -1, 0, 2147483647]);
    }
    expect([r.format, c.format]).toEqual(['row', 'columnar']);
  });

  it('answers rows with one object per instance and columns with one tensor per output', () => {
    const out = { y: Float32Array.from([1, 2, 3, 4]), z: Float32Array.from([0.5, -0.5]) };
    const r = parsePredict({ instances: rows }, INPUTS, 10);
    expect(formatPredict(out, OUTPUTS, r)).toEqual({
      predictions: [
        { y: [1, 2], z: 0.5 },
        { y: [3, 4], z: -0.5 },
      ],
    });
    const c = parsePredict({ inputs: { a: rows.map((x) => x.a), ids: rows.map((x) => x.ids) } }, INPUTS, 10);
    expect(formatPredict(out, OUTPUTS, c)).toEqual({
      outputs: {
        y: [
          [1, 2],
          [3, 4],
        ],
        z: [0.5, -0.5],
      },
    });
    expect(formatPredict({ y: out.y }, OUTPUTS.slice(0, 1), r)).toEqual({
      predictions: [
        [1, 2],
        [3, 4],
      ],
    });
  });

  it('refuses what does not fit, naming the element', () => {
    expect(refusal({ instances: [{ a: A, ids: [1, 2.5, 3] }] })).toBe('400 instances[0].ids[1]: expected an integer (DT_INT32), got 2.5');
    expect(refusal({ instances: [{ a: A, ids: [1, 2, 2147483648] }] })).toBe('400 instances[0].ids[2]: expected an integer (DT_INT32), got 2147483648');
    expect(refusal({ instances: [{ a: A }] })).toBe("400 instances[0].ids: missing (the model's inputs: a, ids)");
    expect(refusal({ instances: [A] })).toBe('400 instances[0]: this model has 2 inputs (a, ids): give each instance as an object {"name": value}');
    expect(refusal({ inputs: [A] })).toBe('400 inputs: this model has 2 inputs (a, ids): give them as an object {"name": tensor}');
    expect(
      refusal({
        inputs: {
          a: [A],
          ids: [
            [1, 2, 3],
            [4, 5, 6],
          ],
        },
      }),
    ).toBe('400 inputs.ids: 2 samples, but a has 1');
    expect(refusal({ instances: [rows[0], [1]] })).toBe('400 instances[1]: expected an object like instances[0]');
    expect(refusal({ instances: [{ a: [[1, 2], [3]], ids: [1, 2, 3] }] })).toBe('400 instances[0].a: expected shape [2, 2], got [2, 1] (at instances[0].a[1])');
    expect(refusal({ instances: [{ a: [[1, 2], 3], ids: [1, 2, 3] }] })).toBe('400 instances[0].a[1]: expected an array of 2 (shape [2]), got number 3');
    expect(refusal({ instances: Array.from({ length: 3 }, () => rows[0]) }, 2)).toBe('413 instances: 3 instances, over the limit of 2 per request');
    expect(
      refusal({
        inputs: {
          a: [A],
          ids: [[1, 2, 3]],
          b: [],
        },
      }),
    ).toBe('400 inputs.b: this model has no input named "b" (its inputs: a, ids)');
  });
});
