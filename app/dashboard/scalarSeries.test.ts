import { describe, expect, it } from 'vitest';
import type { MetricPoint, ValidationPoint } from '../../workers/types';
import { stepsPerSecond, trainingCurve, validationCurve } from './scalarSeries';

const p = (step: number, time: number, loss: number, acc?: number): MetricPoint => ({
  step,
  epoch: 0,
  time,
  loss,
  lr: 0.1 / step,
  gradNorm: 2 * step,
  metrics: acc === undefined ? {} : { acc },
});

describe('scalar curves', () => {
  const points = [p(1, 0, 4, 0.5), p(2, 100, 3, 0.6), p(3, 300, Number.NaN, 0.7), p(4, 400, 1)];

  it('gives loss, metrics, lr and gradient norm against step, relative seconds or wall time', () => {
    expect(trainingCurve(points, { kind: 'loss' }, 'step', 0).map((q) => [q.x, q.value])).toEqual([
      [1, 4],
      [2, 3],
      [3, Number.NaN],
      [4, 1],
    ]);
    expect(trainingCurve(points, { kind: 'metric', node: 'acc' }, 'relative', 0).map((q) => [q.x, q.value])).toEqual([
      [0, 0.5],
      [0.1, 0.6],
      [0.3, 0.7],
    ]);
    expect(trainingCurve(points, { kind: 'gradNorm' }, 'wall', 1000).map((q) => q.x)).toEqual([1000, 1100, 1300, 1400]);
    expect(trainingCurve(points, { kind: 'lr' }, 'step', 0)[1]!.value).toBeCloseTo(0.05, 12);
  });

  it('derives steps/s over a window (hand-computed)', () => {
    // window 2: step 2 → (2 − 1)/0.1 s = 10; step 3 → (3 − 1)/0.3 = 6.67; step 4 → (4 − 2)/0.3 = 6.67
    const r = stepsPerSecond(points, 2);
    expect(r[0]).toBeNaN();
    expect(r[1]).toBeCloseTo(10, 12);
    expect(r[2]).toBeCloseTo(20 / 3, 12);
    expect(r[3]).toBeCloseTo(20 / 3, 12);
    expect(trainingCurve(points, { kind: 'stepsPerSecond' }, 'step', 0).map((q) => q.step)).toEqual([2, 3, 4]);
  });

  it('places validation points at the time of their step', () => {
    const v: ValidationPoint[] = [
      { step: 2, epoch: 1, loss: 2.5, metrics: { acc: 0.7 } },
      { step: 4, epoch: 2, loss: 1.5, metrics: {} },
    ];
    expect(validationCurve(v, points, { kind: 'loss' }, 'relative', 0).map((q) => [q.x, q.value])).toEqual([
      [0.1, 2.5],
      [0.4, 1.5],
    ]);
    expect(validationCurve(v, points, { kind: 'metric', node: 'acc' }, 'step', 0)).toHaveLength(1);
    expect(validationCurve(v, points, { kind: 'lr' }, 'step', 0)).toEqual([]);
  });
});
