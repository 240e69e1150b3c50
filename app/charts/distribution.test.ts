import { describe, expect, it } from 'vitest';
import { distributionOf, histogramQuantile } from './distribution';

describe('histogram quantiles (distributions view)', () => {
  // 4 bins over [0, 4): counts 1, 1, 1, 1 — a uniform spread, so quantile q sits at 4q.
  const uniform = { step: 1, min: 0, max: 4, counts: [1, 1, 1, 1] };

  it('interpolates inside bins (hand-computed)', () => {
    expect(histogramQuantile(uniform, 0.5)).toBeCloseTo(2, 12);
    expect(histogramQuantile(uniform, 0.25)).toBeCloseTo(1, 12);
    expect(histogramQuantile(uniform, 0.1)).toBeCloseTo(0.4, 12);
    expect(histogramQuantile(uniform, 0)).toBe(0);
    expect(histogramQuantile(uniform, 1)).toBe(4);
    // counts 3, 0, 1 over [−3, 3): half the mass (2 of 4) is 2/3 of the way through bin 0 (width 2) → −3 + 4/3.
    expect(histogramQuantile({ step: 1, min: -3, max: 3, counts: [3, 0, 1] }, 0.5)).toBeCloseTo(-3 + 4 / 3, 12);
    // 0.9 of 4 = 3.6: the first 3 are in bin 0, the 0.6 left lie 60% into bin 2 (skipping the empty bin 1) → 1 + 1.2.
    expect(histogramQuantile({ step: 1, min: -3, max: 3, counts: [3, 0, 1] }, 0.9)).toBeCloseTo(2.2, 12);
  });

  it('gives nine ascending values from min to max, NaN when empty', () => {
    const d = distributionOf(uniform);
    expect(d).toHaveLength(9);
    expect(d[0]).toBe(0);
    expect(d[8]).toBe(4);
    for (let i = 1; i < d.length; i++) expect(d[i]!).toBeGreaterThanOrEqual(d[i - 1]!);
    expect(histogramQuantile({ step: 1, min: 0, max: 0, counts: [0, 0] }, 0.5)).toBeNaN();
  });
});
