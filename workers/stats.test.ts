import { describe, expect, it } from 'vitest';
import { downsample, histogram, rms, tensorStats, tensorView } from './stats';

describe('tensorStats', () => {
  it('counts NaN and ±Inf apart and summarises only the finite values', () => {
    const s = tensorStats(Float32Array.from([1, Number.NaN, -2, 0, Number.POSITIVE_INFINITY, 4, Number.NEGATIVE_INFINITY, 0, Number.NaN]));
    expect(s.count).toBe(9);
    expect(s.nan).toBe(2);
    expect(s.inf).toBe(2);
    expect(s.zeros).toBe(2);
    expect(s.min).toBe(-2);
    expect(s.max).toBe(4);
    // finite values 1, −2, 0, 4, 0: mean 0.6, population variance (1 + 4 + 0 + 16 + 0)/5 − 0.36 = 3.84
    expect(s.mean).toBeCloseTo(0.6, 12);
    expect(s.std).toBeCloseTo(Math.sqrt(3.84), 12);
  });

  it('gives NaN summaries when nothing is finite', () => {
    const s = tensorStats([Number.NaN, Number.POSITIVE_INFINITY]);
    expect([s.min, s.max, s.mean, s.std].every(Number.isNaN)).toBe(true);
    expect(s.nan).toBe(1);
    expect(s.inf).toBe(1);
    expect(tensorStats([]).count).toBe(0);
  });

  it('agrees with a float64 two-pass reference on random data', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 10 - 5;
    const data = Array.from({ length: 1000 }, rand);
    const mean = data.reduce((a, v) => a + v, 0) / data.length;
    const std = Math.sqrt(data.reduce((a, v) => a + (v - mean) ** 2, 0) / data.length);
    const s = tensorStats(data);
    expect(s.mean).toBeCloseTo(mean, 10);
    expect(s.std).toBeCloseTo(std, 10);
  });
});

describe('histogram', () => {
  it('puts values in equal-width bins over [min, max], the max in the last bin, skipping non-finite', () => {
    const h = histogram([0, 1, 2, 3, 4, Number.NaN, Number.POSITIVE_INFINITY, 0.5, 3.999], 4);
    expect(Array.from(h.edges)).toEqual([0, 1, 2, 3, 4]);
    // [0,1): 0, 0.5 · [1,2): 1 · [2,3): 2 · [3,4]: 3, 3.999, 4
    expect(Array.from(h.counts)).toEqual([2, 1, 1, 3]);
  });

  it('counts a constant tensor in the first bin and an all-NaN one nowhere', () => {
    expect(Array.from(histogram([2, 2, 2], 3).counts)).toEqual([3, 0, 0]);
    expect(Array.from(histogram([Number.NaN], 3).counts)).toEqual([0, 0, 0]);
  });

  it('matches a naive per-bin count on random data', () => {
    const data = Array.from({ length: 500 }, (_v, i) => Math.sin(i * 12.9898) * 3);
    const bins = 7;
    const h = histogram(data, bins);
    const lo = Math.min(...data);
    const hi = Math.max(...data);
    const w = (hi - lo) / bins;
    const naive = Array.from({ length: bins }, (_v, k) => data.filter((v) => v >= lo + k * w && (k === bins - 1 ? v <= hi : v < lo + (k + 1) * w)).length);
    expect(Array.from(h.counts)).toEqual(naive);
    expect(h.counts.reduce((a, c) => a + c, 0)).toBe(500);
  });
});

describe('downsample', () => {
  it('keeps short data and strides long data', () => {
    expect(Array.from(downsample([1, 2, 3], 5))).toEqual([1, 2, 3]);
    expect(Array.from(downsample([0, 1, 2, 3, 4, 5, 6, 7], 4))).toEqual([0, 2, 4, 6]);
  });
});

describe('tensorView', () => {
  it('shows vectors as bars, matrices as heatmaps, rank 4 as images', () => {
    expect(tensorView([5], [1])).toEqual({ kind: 'scalar', value: 5 });
    const bars = tensorView([1, 2, 3], [3]);
    expect(bars.kind === 'bars' && Array.from(bars.values)).toEqual([1, 2, 3]);
    // [2, 3] row-major: the heatmap keeps it as is.
    const m = tensorView([0, 1, 2, 10, 11, 12], [2, 3]);
    expect(m.kind === 'heatmap' && [m.rows, m.cols, Array.from(m.values)]).toEqual([2, 3, [0, 1, 2, 10, 11, 12]]);
    // NHWC [1, 2, 2, 2]: channel 0 = 0, 2, 4, 6 and channel 1 = 1, 3, 5, 7.
    const fm = tensorView([0, 1, 2, 3, 4, 5, 6, 7], [1, 2, 2, 2], 'nhwc');
    expect(fm.kind === 'images' && [fm.count, fm.height, fm.width, Array.from(fm.values)]).toEqual([2, 2, 2, [0, 2, 4, 6, 1, 3, 5, 7]]);
    // HWIO [2, 1, 2, 2]: filter k at input channel 0 is element (y·1 + x)·4 + k.
    const k = tensorView([0, 1, 2, 3, 4, 5, 6, 7], [2, 1, 2, 2], 'hwio');
    expect(k.kind === 'images' && [k.count, k.height, k.width, Array.from(k.values)]).toEqual([2, 2, 1, [0, 4, 1, 5]]);
  });

  it('strides large matrices down to the view limit', () => {
    const data = Float32Array.from({ length: 200 * 100 }, (_v, i) => i);
    const v = tensorView(data, [200, 100]);
    expect(v.kind).toBe('heatmap');
    if (v.kind !== 'heatmap') return;
    expect([v.rows, v.cols]).toEqual([64, 64]);
    expect(v.values[0]).toBe(0);
    // row index floor(1·200/64) = 3, col floor(1·100/64) = 1
    expect(v.values[64 + 1]).toBe(3 * 100 + 1);
  });
});

describe('rms', () => {
  it('is the root mean square of the finite values', () => {
    expect(rms([3, -4, Number.NaN])).toBeCloseTo(Math.sqrt(12.5), 12);
    expect(rms([])).toBe(0);
  });
});
