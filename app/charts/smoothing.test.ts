import { describe, expect, it } from 'vitest';
import { smooth } from './smoothing';

describe('smooth (TensorBoard debiased EMA)', () => {
  it('matches hand-computed values', () => {
    // weight 0.5: m = 0.5, 1.25, 2.625; debias 0.5, 0.75, 0.875 → 1, 5/3, 3
    const s = smooth([1, 2, 4], 0.5);
    expect(s[0]).toBeCloseTo(1, 12);
    expect(s[1]).toBeCloseTo(5 / 3, 12);
    expect(s[2]).toBeCloseTo(3, 12);
  });

  it('passes non-finite points through and leaves them out of the average', () => {
    const s = smooth([1, 2, Number.NaN, Number.POSITIVE_INFINITY, 4, Number.NEGATIVE_INFINITY], 0.5);
    expect(s[0]).toBeCloseTo(1, 12);
    expect(s[1]).toBeCloseTo(5 / 3, 12);
    expect(s[2]).toBeNaN();
    expect(s[3]).toBe(Number.POSITIVE_INFINITY);
    expect(s[4]).toBeCloseTo(3, 12);
    expect(s[5]).toBe(Number.NEGATIVE_INFINITY);
  });

  it('uses the default weight 0.6 as TensorBoard does', () => {
    // m1 = 0.4·10 = 4 → 4 / 0.4 = 10; m2 = 0.6·4 + 0.4·0 = 2.4 → 2.4 / (1 − 0.36) = 3.75
    const s = smooth([10, 0], 0.6);
    expect(s[0]).toBeCloseTo(10, 12);
    expect(s[1]).toBeCloseTo(3.75, 12);
  });

  it('returns constant series and weight 0 unchanged, rejects bad weights', () => {
    expect(smooth([0.1, 0.1, 0.1], 0.9)).toEqual([0.1, 0.1, 0.1]);
    expect(smooth([3, 1, 2], 0)).toEqual([3, 1, 2]);
    expect(smooth([], 0.6)).toEqual([]);
    expect(() => smooth([1], 1)).toThrow(/\[0, 1\)/);
    expect(() => smooth([1], -0.1)).toThrow(RangeError);
  });
});
