import { describe, expect, it } from 'vitest';
import { broadcastStrides, RowWalker } from './strided';

describe('broadcastStrides', () => {
  it('gives 0 along stretched and missing dims', () => {
    expect(broadcastStrides([3, 1], [2, 3, 4])).toEqual([0, 1, 0]);
    expect(broadcastStrides([], [2, 2])).toEqual([0, 0]);
    expect(broadcastStrides([2, 3], [2, 3])).toEqual([3, 1]);
  });
});

describe('RowWalker', () => {
  it('coalesces equal contiguous shapes into one row (the fast path)', () => {
    const w = new RowWalker(
      [2, 3, 4],
      [
        [12, 4, 1],
        [12, 4, 1],
      ],
    );
    expect([w.count, w.length, ...w.step]).toEqual([1, 24, 1, 1]);
  });

  it('walks a bias add as rows of the bias, and a scalar as one row of step 0', () => {
    const bias = new RowWalker(
      [128, 256],
      [
        [256, 1],
        [0, 1],
      ],
    );
    expect([bias.count, bias.length, ...bias.step]).toEqual([128, 256, 1, 1]);
    const scalar = new RowWalker(
      [5, 6],
      [
        [6, 1],
        [0, 0],
      ],
    );
    expect([scalar.count, scalar.length, ...scalar.step]).toEqual([1, 30, 1, 0]);
  });

  it('visits row offsets in row-major order', () => {
    // A [2,3] view read transposed from a [3,2] buffer: strides [1, 2].
    const w = new RowWalker(
      [2, 3],
      [
        [3, 1],
        [1, 2],
      ],
      [0, 0],
    );
    const rows: number[][] = [];
    for (let r = 0; r < w.count; r++, w.next()) rows.push([...w.base]);
    expect(rows).toEqual([
      [0, 0],
      [3, 1],
    ]);
    expect(w.step).toEqual([1, 2]);
  });

  it('has no rows for an empty shape and one row for a scalar', () => {
    expect(new RowWalker([3, 0], [[0, 1]]).count).toBe(0);
    const s = new RowWalker([], [[], []], [5, 7]);
    expect([s.count, s.length, ...s.base]).toEqual([1, 1, 5, 7]);
  });
});
