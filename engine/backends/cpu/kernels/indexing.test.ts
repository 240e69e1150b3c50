import { describe, expect, it } from 'vitest';
import { sizeOf } from '../../../ops/shape';
import type { Shape } from '../../../ops/types';
import { BackendError } from '../../backend';
import { IndexRangeError } from './indexing';
import { dot, expectClose, FLOAT_MODES, randomTensor, randomValues, ravel, run, tensor, tolFor, unravel } from './test-utils';

/** gather by index tuples: out[b..., i..., a...] = x[b..., idx[i...], a...]. */
function naiveGather(x: ArrayLike<number>, shape: Shape, idx: ArrayLike<number>, idxShape: Shape, axis: number): number[] {
  const outShape = [...shape.slice(0, axis), ...idxShape, ...shape.slice(axis + 1)];
  return Array.from({ length: sizeOf(outShape) }, (_v, i) => {
    const t = unravel(i, outShape);
    const j = idx[ravel(t.slice(axis, axis + idxShape.length), idxShape)]!;
    return x[ravel([...t.slice(0, axis), j, ...t.slice(axis + idxShape.length)], shape)]!;
  });
}

describe('gather', () => {
  for (const mode of FLOAT_MODES) {
    it(`matches the naive reference on every axis, with repeated indices (${mode})`, () => {
      const shape = [3, 4, 5];
      const x = randomTensor(shape, 1, mode);
      const idxShape = [2, 3];
      for (const axis of [0, 1, 2, -1]) {
        const a = (axis + 3) % 3;
        const idx = tensor(idxShape, [0, shape[a]! - 1, 2, shape[a]! - 2, 1, 1], 'i32');
        const y = run('gather', [x, idx], { axis }, mode);
        expect(y.shape).toEqual([...shape.slice(0, a), ...idxShape, ...shape.slice(a + 1)]);
        expect([...y.data]).toEqual(naiveGather(x.data, shape, idx.data, idxShape, a));
      }
    });
  }

  it('gives rows of an embedding table', () => {
    const table = tensor([3, 2], [1, 2, 3, 4, 5, 6]);
    const y = run('gather', [table, tensor([4], [2, 0, 1, 2], 'i32')], { axis: 0 });
    expect([...y.data]).toEqual([5, 6, 1, 2, 3, 4, 5, 6]);
  });

  it('refuses an index outside the axis, saying which index, where, and the valid range', () => {
    const table = tensor([3, 2], [1, 2, 3, 4, 5, 6]);
    for (const [ids, bad, at] of [
      [[2, 0, 3, 1], 3, 2],
      [[0, -1], -1, 1],
    ] as const) {
      const attempt = () => run('gather', [table, tensor([ids.length], ids, 'i32')], { axis: 0 });
      expect(attempt).toThrow(IndexRangeError);
      expect(attempt).toThrow(`index ${bad} at position ${at} of the indices is outside 0..2 (the axis has 3 entries)`);
    }
    try {
      run('gather', [table, tensor([1], [7], 'i32')], { axis: 0 });
      expect.fail('gather of index 7 from 3 rows did not throw');
    } catch (e) {
      const named = (e as IndexRangeError).at('emb');
      expect(named).toBeInstanceOf(BackendError);
      expect([named.code, named.node, named.index, named.size, named.position]).toEqual(['validation', 'emb', 7, 3, 0]);
    }
  });
});

describe('scatter_add', () => {
  it('adds updates at indices, summing duplicates and dropping out-of-range', () => {
    const u = tensor([5], [1, 2, 3, 4, 5]);
    const y = run('scatter_add', [u, tensor([5], [2, 0, 2, 9, -1], 'i32')], { axis: 0, shape: [3] });
    expect([...y.data]).toEqual([2, 0, 4]);
  });

  for (const mode of FLOAT_MODES) {
    it(`is the adjoint of gather: <gather(x, i), u> = <x, scatter_add(u, i)> (${mode})`, () => {
      const shape = [3, 4, 5];
      const x = randomTensor(shape, 2, mode);
      for (const axis of [0, 1, 2]) {
        const len = shape[axis]!;
        const idx = tensor([2, 3], [0, len - 1, 1, 1, len - 1, 2], 'i32'); // duplicates
        const g = run('gather', [x, idx], { axis }, mode);
        const u = randomTensor(g.shape, 10 + axis, mode);
        const s = run('scatter_add', [u, idx], { axis, shape }, mode);
        expect(s.shape).toEqual(shape);
        expectClose([dot(g.data, u.data)], [dot(x.data, s.data)], tolFor(mode));
      }
    });
  }

  it('accumulates i32 updates', () => {
    const y = run('scatter_add', [tensor([2, 2], [1, 2, 3, 4], 'i32'), tensor([2], [1, 1], 'i32')], { axis: 1, shape: [2, 3] });
    expect(y.dtype).toBe('i32');
    expect([...y.data]).toEqual([0, 3, 0, 0, 7, 0]);
  });
});

describe('one_hot', () => {
  for (const mode of FLOAT_MODES) {
    it(`puts a 1 at each index, all zeros when out of range (${mode})`, () => {
      const y = run('one_hot', [tensor([2, 2], [0, 2, -1, 3], 'i32')], { depth: 3 }, mode);
      expect(y.shape).toEqual([2, 2, 3]);
      expect(y.dtype).toBe('f32');
      expect([...y.data]).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    });
  }
  it('matches a naive one_hot on random labels', () => {
    const labels = randomValues(50, 3, -2, 12).map(Math.floor);
    const y = run('one_hot', [tensor([50], labels, 'i32')], { depth: 10 });
    expect([...y.data]).toEqual(labels.flatMap((l) => Array.from({ length: 10 }, (_v, d) => Number(d === l))));
  });
});
