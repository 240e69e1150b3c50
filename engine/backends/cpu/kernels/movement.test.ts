import { describe, expect, it } from 'vitest';
import { sizeOf } from '../../../ops/shape';
import type { Shape } from '../../../ops/types';
import { broadcastIndex, FLOAT_MODES, randomTensor, ravel, run, tensor, unravel } from './test-utils';

/** out[i] = x[source(out tuple)] for every output element, by explicit index tuples. */
function gatherBy(x: ArrayLike<number>, outShape: Shape, source: (t: number[]) => number | null): number[] {
  return Array.from({ length: sizeOf(outShape) }, (_v, i) => {
    const s = source(unravel(i, outShape));
    return s === null ? 0 : x[s]!;
  });
}

describe('data movement kernels', () => {
  for (const mode of FLOAT_MODES) {
    it(`reshape keeps row-major order (${mode})`, () => {
      const x = randomTensor([2, 3, 4], 1, mode);
      const y = run('reshape', [x], { shape: [4, -1] }, mode);
      expect(y.shape).toEqual([4, 6]);
      expect([...y.data]).toEqual([...x.data]);
    });

    it(`transpose matches index permutation (${mode})`, () => {
      const cases: [Shape, number[]][] = [
        [
          [2, 3, 4],
          [2, 0, 1],
        ],
        [
          [2, 3, 4],
          [1, 0, 2],
        ],
        [
          [3, 5],
          [1, 0],
        ],
        [
          [2, 1, 3, 4],
          [3, 1, 0, 2],
        ],
        [[4], [0]],
        [[], []],
      ];
      cases.forEach(([shape, perm], k) => {
        const x = randomTensor(shape, k, mode);
        const y = run('transpose', [x], { perm }, mode);
        expect(y.shape).toEqual(perm.map((p) => shape[p]));
        const src = (t: number[]) => {
          const u = new Array<number>(shape.length);
          perm.forEach((p, i) => (u[p] = t[i]!));
          return ravel(u, shape);
        };
        expect([...y.data]).toEqual(gatherBy(x.data, y.shape, src));
      });
    });

    it(`broadcast_to stretches size-1 and missing dims (${mode})`, () => {
      const cases: [Shape, Shape][] = [
        [
          [3, 1],
          [2, 3, 4],
        ],
        [[], [2, 2]],
        [[4], [3, 4]],
        [
          [1, 4, 1],
          [2, 4, 3],
        ],
        [
          [2, 3],
          [2, 3],
        ],
      ];
      cases.forEach(([from, to], k) => {
        const x = randomTensor(from, k, mode);
        const y = run('broadcast_to', [x], { shape: to }, mode);
        expect([...y.data]).toEqual(gatherBy(x.data, to, (t) => broadcastIndex(t, from)));
      });
    });

    it(`concat joins along any axis (${mode})`, () => {
      const shapes: Shape[] = [
        [2, 1, 3],
        [2, 4, 3],
        [2, 0, 3],
        [2, 2, 3],
      ];
      const xs = shapes.map((s, k) => randomTensor(s, k, mode));
      for (const axis of [1, -2]) {
        const y = run('concat', xs, { axis }, mode);
        expect(y.shape).toEqual([2, 7, 3]);
        const starts = [0, 1, 5, 5];
        const expected = Array.from({ length: sizeOf(y.shape) }, (_v, i) => {
          const [a, b, c] = unravel(i, y.shape) as [number, number, number];
          let which = 0;
          for (let q = 0; q < shapes.length; q++) if (b >= starts[q]! && shapes[q]![1]! > 0) which = q;
          return xs[which]!.data[ravel([a, b - starts[which]!, c], shapes[which]!)]!;
        });
        expect([...y.data]).toEqual(expected);
      }
      const z = run('concat', [xs[0]!, xs[0]!], { axis: 0 }, mode);
      expect([...z.data]).toEqual([...xs[0]!.data, ...xs[0]!.data]);
    });

    it(`slice takes [begin, begin + size) per dim (${mode})`, () => {
      const shape = [4, 5, 6];
      const x = randomTensor(shape, 3, mode);
      const y = run('slice', [x], { begin: [1, 0, 2], size: [2, -1, 3] }, mode);
      expect(y.shape).toEqual([2, 5, 3]);
      expect([...y.data]).toEqual(gatherBy(x.data, y.shape, (t) => ravel([t[0]! + 1, t[1]!, t[2]! + 2], shape)));
      expect(run('slice', [x], { begin: [4, 0, 0], size: [0, 5, 6] }, mode).data.length).toBe(0);
    });

    it(`pad surrounds the input with zeros (${mode})`, () => {
      const shape = [2, 3, 2];
      const x = randomTensor(shape, 4, mode);
      const pads = [
        [1, 0],
        [2, 1],
        [0, 3],
      ] as const;
      const y = run('pad', [x], { pads }, mode);
      expect(y.shape).toEqual([3, 6, 5]);
      const src = (t: number[]) => {
        const u = t.map((v, d) => v - pads[d]![0]);
        return u.every((v, d) => v >= 0 && v < shape[d]!) ? ravel(u, shape) : null;
      };
      expect([...y.data]).toEqual(gatherBy(x.data, y.shape, src));
    });
  }

  it('moves i32 and bool data unchanged', () => {
    const b = tensor([2, 2], [1, 0, 0, 1], 'bool');
    const t = run('transpose', [b], { perm: [1, 0] });
    expect(t.dtype).toBe('bool');
    expect([...t.data]).toEqual([1, 0, 0, 1]);
    const i = tensor([3], [-7, 8, 2147483647], 'i32');
    expect([...run('broadcast_to', [i], { shape: [2, 3] }).data]).toEqual([-7, 8, 2147483647, -7, 8, 2147483647]);
    expect([...run('pad', [i], { pads: [[1, 1]] }).data]).toEqual([0, -7, 8, 2147483647, 0]);
  });
});
