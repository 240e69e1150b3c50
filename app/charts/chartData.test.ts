import { describe, expect, it } from 'vitest';
import { drawnSeries, isSmoothed, nearestIndex, smoothedSeries, type Curve } from './chartData';

const curve = (values: readonly number[], extra: Partial<Curve> = {}): Curve => ({
  id: 'c',
  label: 'Run 1 · training',
  colour: 'red',
  points: values.map((value, i) => ({ x: (i + 1) * 10, step: i + 1, value })),
  ...extra,
});

describe("a chart's series", () => {
  it("smooths y only (TensorBoard's EMA, hand-computed), keeping x, step and the raw value, NaN passed through", () => {
    const [s] = smoothedSeries([curve([4, 3, Number.NaN, 1])], 0.5);
    expect(s!.points.map((p) => [p.x, p.step, p.raw])).toEqual([
      [10, 1, 4],
      [20, 2, 3],
      [30, 3, Number.NaN],
      [40, 4, 1],
    ]);
    // 4 → 4; m = 1 + 1.5 = 2.5 over 0.75 → 10/3; NaN; m = 1.25 + 0.5 = 1.75 over 0.875 → 2
    expect(s!.points[0]!.y).toBeCloseTo(4, 12);
    expect(s!.points[1]!.y).toBeCloseTo(10 / 3, 12);
    expect(s!.points[2]!.y).toBeNaN();
    expect(s!.points[3]!.y).toBeCloseTo(2, 12);
    expect(isSmoothed([s!])).toBe(true);
    const [plain] = smoothedSeries([curve([4, 3], { dashed: true })], 0);
    expect(plain).toEqual({
      id: 'c',
      label: 'Run 1 · training',
      colour: 'red',
      dashed: true,
      points: [
        { x: 10, step: 1, raw: 4, y: 4 },
        { x: 20, step: 2, raw: 3, y: 3 },
      ],
    });
    expect(isSmoothed([plain!])).toBe(false);
  });

  it('smooths over every point before thinning what is drawn, keeping the newest and the non-finite points', () => {
    const values = Array.from({ length: 3000 }, (_v, i) => (i === 1501 ? Number.POSITIVE_INFINITY : 1 + Math.sin(i)));
    const [all] = smoothedSeries([curve(values)], 0.9);
    const [drawn] = drawnSeries([curve(values)], 0.9, 300);
    expect(drawn!.points.length).toBeLessThanOrEqual(301);
    expect(drawn!.points.length).toBeGreaterThan(150);
    expect(drawn!.points.at(-1)!.step).toBe(3000);
    expect(drawn!.points.some((p) => p.raw === Number.POSITIVE_INFINITY)).toBe(true);
    // Each drawn point carries the value smoothed over the whole history, not over the thinned points.
    for (const p of drawn!.points) expect(p.y).toBe(all!.points[p.step - 1]!.y);
    // Unsmoothed (its shortcut builds only the kept points), the same points as thinning the whole series.
    const [plain] = drawnSeries([curve(values)], 0, 300);
    expect(plain!.points).toEqual(smoothedSeries([curve(values)], 0)[0]!.points.filter((p) => drawn!.points.some((q) => q.step === p.step)));
  });

  it('finds the nearest point by x (runs need not share x values)', () => {
    const points = smoothedSeries([curve([1, 2, 3, 4])], 0)[0]!.points;
    expect([0, 14, 16, 26, 100].map((x) => nearestIndex(points, x))).toEqual([0, 0, 1, 2, 3]);
    expect(nearestIndex([], 5)).toBe(-1);
  });
});
