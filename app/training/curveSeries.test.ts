import { describe, expect, it } from 'vitest';
import type { MetricPoint, ValidationPoint } from '../../workers/types';
import { curveSeries } from './LossChart';

const metric = (step: number, loss: number, accuracy?: number) =>
  ({ step, loss, metrics: accuracy === undefined ? {} : { accuracy } }) as unknown as MetricPoint;

describe('a training curve as its downloads write it', () => {
  it('keeps every step (no thinning), the loss or the chosen metric, and validation apart', () => {
    const points = Array.from({ length: 2000 }, (_v, i) => metric(i + 1, 1 / (i + 1), i % 2 ? 0.5 : undefined));
    const validation = [metric(1000, 0.25, 0.75), metric(2000, 0.125, 0.875)] as unknown as ValidationPoint[];
    const [train, val] = curveSeries(points, validation);
    expect(train!.points).toHaveLength(2000);
    expect(train!.points[1999]).toEqual({ step: 2000, x: 2000, raw: 1 / 2000, y: 1 / 2000 });
    expect(val!.points.map((p) => [p.step, p.raw])).toEqual([
      [1000, 0.25],
      [2000, 0.125],
    ]);
    expect(val!.dashed).toBe(true);
    const [acc] = curveSeries(points, validation, 'accuracy');
    // Steps without the metric are left out, not written as 0.
    expect(acc!.points).toHaveLength(1000);
    expect(acc!.points.every((p) => p.raw === 0.5 && p.step % 2 === 0)).toBe(true);
  });
});
