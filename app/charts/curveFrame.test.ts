import { describe, expect, it } from 'vitest';
import { bandPath, curveFrame, linePath, niceCeil } from './curveFrame';
import type { ChartPoint, ChartSeries } from './series';

const pt = (step: number, v: number, raw = v): ChartPoint => ({ x: step, step, y: v, raw });
const line = (pairs: [number, number][], id = 'train'): ChartSeries => ({ id, label: id, colour: 'red', points: pairs.map(([s, v]) => pt(s, v)) });
const live = { logY: true, roundX: true };

describe('curveFrame', () => {
  it('rounds the x range up to 1-2-5 step counts, so a growing run moves it rarely', () => {
    expect([1, 2, 3, 7, 10, 11, 190, 201, 5000].map(niceCeil)).toEqual([1, 2, 5, 10, 10, 20, 200, 500, 5000]);
    const frames = new Set<string>();
    const history: [number, number][] = [];
    for (let s = 1; s <= 1000; s++) {
      history.push([s, 1 / s]);
      frames.add(JSON.stringify(curveFrame([line(history)], live)!.x));
    }
    // 1000 steps, one frame per 1-2-5 boundary: 2, 5, 10, 20, 50, 100, 200, 500, 1000.
    expect(frames.size).toBe(9);
    // Knowing the run is 1000 steps long, the frame is the whole run from step 100 on.
    const known = new Set<string>();
    for (let s = 1; s <= 1000; s++) known.add(JSON.stringify(curveFrame([line(history.slice(0, s))], { ...live, totalSteps: 1000 })!.x));
    expect([...known]).toEqual(['[1,2]', '[1,5]', '[1,10]', '[1,20]', '[1,50]', '[1,100]', '[1,1000]']);
    // Past a run's planned end (it was resumed with more steps), the frame still contains the curve.
    expect(
      curveFrame(
        [
          line([
            [1, 1],
            [1200, 0.5],
          ]),
        ],
        { ...live, totalSteps: 1000 },
      )!.x,
    ).toEqual([1, 1200]);
  });

  it('rounds the span of a far-off x range (wall-clock time), and fits x to the data when not live', () => {
    const t0 = 1_765_000_000_000;
    expect(
      curveFrame(
        [
          line([
            [t0, 1],
            [t0 + 3700, 0.5],
          ]),
        ],
        live,
      )!.x,
    ).toEqual([t0, t0 + 5000]);
    expect(
      curveFrame(
        [
          line([
            [1, 1],
            [240, 0.5],
          ]),
        ],
        { logY: true, roundX: false },
      )!.x,
    ).toEqual([1, 240]);
  });

  it('spans whole decades on a log scale, whole ticks on a linear one, [0, 1] for accuracies; contains every point', () => {
    const s = [
      line([
        [1, 2.3],
        [50, 0.04],
      ]),
      line(
        [
          [1, 2.1],
          [60, 0.2],
        ],
        'validation',
      ),
    ];
    expect(curveFrame(s, live)).toEqual({ x: [1, 100], y: [0.01, 10] });
    const lin = curveFrame(s, { logY: false, roundX: true })!;
    expect(lin.y[0]).toBeLessThanOrEqual(0.04);
    expect(lin.y[1]).toBeGreaterThanOrEqual(2.3);
    expect(lin.y).toEqual([0, 3]);
    expect(
      curveFrame(
        [
          line([
            [1, 0.3],
            [9, 0.97],
          ]),
        ],
        { logY: false, roundX: true, yDomain: [0, 1] },
      ),
    ).toEqual({ x: [1, 10], y: [0, 1] });
    expect(curveFrame([], live)).toBeUndefined();
    expect(curveFrame([line([[1, NaN]])], { logY: false, roundX: true })).toBeUndefined();
    // Non-positive values are left out of a log frame (they cannot be drawn there), kept in a linear one.
    expect(
      curveFrame(
        [
          line([
            [1, -1],
            [2, 0.5],
          ]),
        ],
        live,
      )!.y,
    ).toEqual([0.1, 1]);
    // A raw value outside the smoothed line still lies inside the frame.
    expect(curveFrame([{ ...line([]), points: [pt(1, 1, 30), pt(2, 0.5)] }], live)!.y).toEqual([0.1, 100]);
    // A single value still gets a frame with some height.
    const one = curveFrame([line([[3, 5]])], { logY: false, roundX: true })!;
    expect(one.y[0]).toBeLessThan(one.y[1]);
  });
});

describe('linePath', () => {
  it('draws through drawable points and breaks at NaN, missing values and (on a log axis) non-positive ones', () => {
    const points = [pt(1, 1), pt(2, 2, 5), pt(3, NaN), pt(4, 4), pt(5, -1)];
    expect(
      linePath(
        points,
        'y',
        false,
        (x) => x * 10,
        (y) => 100 - y,
      ),
    ).toBe('M10.0,99.0L20.0,98.0M40.0,96.0L50.0,101.0');
    expect(
      linePath(
        points,
        'y',
        true,
        (x) => x * 10,
        (y) => 100 - y,
      ),
    ).toBe('M10.0,99.0L20.0,98.0M40.0,96.0');
    expect(
      linePath(
        points,
        'raw',
        false,
        (x) => x,
        (y) => y,
      ),
    ).toBe('M1.0,1.0L2.0,5.0M4.0,4.0L5.0,-1.0');
    expect(
      linePath(
        points,
        'y',
        false,
        () => undefined,
        (y) => y,
      ),
    ).toBe('');
  });
});

describe('bandPath', () => {
  const sx = (x: number) => 10 * x;
  const sy = (y: number) => 100 - y;
  it('runs along the upper edge and back along the lower one, leaving out points it cannot draw', () => {
    const lower = [pt(1, 0), pt(2, 1), pt(3, Number.NaN), pt(4, 2)];
    const upper = [pt(1, 10), pt(2, 12), pt(3, 13), pt(4, 11)];
    // Step 3 has no lower value: the band joins steps 2 and 4.
    expect(bandPath(lower, upper, false, sx, sy)).toBe('M10.0,90.0L20.0,88.0L40.0,89.0L40.0,98.0L20.0,99.0L10.0,100.0Z');
  });
  it('draws a band of one point as a thin bar, so a first sample is seen, and nothing for no points', () => {
    expect(bandPath([pt(2, 1)], [pt(2, 5)], false, sx, sy, 4)).toBe('M18.0,95.0H22.0V99.0H18.0Z');
    expect(bandPath([], [], false, sx, sy)).toBe('');
    // Edges at different x values are not one band.
    expect(bandPath([pt(1, 0)], [pt(2, 1)], false, sx, sy)).toBe('');
  });
});
