import { describe, expect, it } from 'vitest';
import { curveFrame, linePath, niceCeil, type CurveRow } from './curveFrame';

const rows = (pairs: [number, number][]): CurveRow[] => pairs.map(([step, train]) => ({ step, train }));

describe('curveFrame', () => {
  it('rounds the x range up to 1-2-5 step counts, so a growing run moves it rarely', () => {
    expect([1, 2, 3, 7, 10, 11, 190, 201, 5000].map(niceCeil)).toEqual([1, 2, 5, 10, 10, 20, 200, 500, 5000]);
    const frames = new Set<string>();
    const history: [number, number][] = [];
    for (let s = 1; s <= 1000; s++) {
      history.push([s, 1 / s]);
      frames.add(JSON.stringify(curveFrame(rows(history), { logScale: true, unitRange: false })!.x));
    }
    // 1000 steps, one frame per 1-2-5 boundary: 2, 5, 10, 20, 50, 100, 200, 500, 1000.
    expect(frames.size).toBe(9);
    // Knowing the run is 1000 steps long, the frame is the whole run from step 100 on.
    const known = new Set<string>();
    for (let s = 1; s <= 1000; s++) known.add(JSON.stringify(curveFrame(rows(history.slice(0, s)), { logScale: true, unitRange: false, totalSteps: 1000 })!.x));
    expect([...known]).toEqual(['[1,2]', '[1,5]', '[1,10]', '[1,20]', '[1,50]', '[1,100]', '[1,1000]']);
    // Past a run's planned end (it was resumed with more steps), the frame still contains the curve.
    expect(curveFrame(rows([[1, 1], [1200, 0.5]]), { logScale: true, unitRange: false, totalSteps: 1000 })!.x).toEqual([1, 1200]);
  });

  it('spans whole decades on a log scale, whole ticks on a linear one, [0, 1] for accuracies; contains every point', () => {
    const r: CurveRow[] = [{ step: 1, train: 2.3, validation: 2.1 }, { step: 50, train: 0.04 }, { step: 60, validation: 0.2 }];
    expect(curveFrame(r, { logScale: true, unitRange: false })).toEqual({ x: [1, 100], y: [0.01, 10] });
    const lin = curveFrame(r, { logScale: false, unitRange: false })!;
    expect(lin.y[0]).toBeLessThanOrEqual(0.04);
    expect(lin.y[1]).toBeGreaterThanOrEqual(2.3);
    expect(lin.y).toEqual([0, 3]);
    expect(curveFrame(rows([[1, 0.3], [9, 0.97]]), { logScale: false, unitRange: true })).toEqual({ x: [1, 10], y: [0, 1] });
    expect(curveFrame([], { logScale: true, unitRange: false })).toBeUndefined();
    expect(curveFrame(rows([[1, NaN]]), { logScale: false, unitRange: false })).toBeUndefined();
    // A single value still gets a frame with some height.
    const one = curveFrame(rows([[3, 5]]), { logScale: false, unitRange: false })!;
    expect(one.y[0]).toBeLessThan(one.y[1]);
  });
});

describe('linePath', () => {
  it('draws through drawable points and breaks at NaN and missing values', () => {
    const r: CurveRow[] = [{ step: 1, train: 1 }, { step: 2, train: 2, validation: 5 }, { step: 3, train: NaN }, { step: 4, train: 4 }];
    expect(linePath(r, 'train', (x) => x * 10, (y) => 100 - y)).toBe('M10.0,99.0L20.0,98.0M40.0,96.0');
    expect(linePath(r, 'validation', (x) => x, (y) => y)).toBe('M2.0,5.0');
    expect(linePath(r, 'train', () => undefined, (y) => y)).toBe('');
  });
});
