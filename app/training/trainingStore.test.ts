import { describe, expect, it } from 'vitest';
import type { MetricPoint, TrainEvent } from '../../workers/types';
import { createTrainingStore, MAX_POINTS } from './trainingStore';

const point = (step: number, loss = 1 / step): MetricPoint => ({ step, epoch: 0, time: step, loss, lr: 0.1, gradNorm: 1, metrics: {} });
const status = (step: number): TrainEvent => ({ type: 'status', status: { state: 'running', step, epoch: 0, totalSteps: 100, stepsPerSecond: 5 } });

describe('training store', () => {
  it('applies a batch of events in one update, as one event at a time would', () => {
    const batch: TrainEvent[] = [
      { type: 'metrics', points: [point(1), point(2)] },
      status(2),
      { type: 'validation', point: { step: 2, epoch: 1, loss: 0.7, metrics: { acc: 0.5 } } },
      { type: 'metrics', points: [point(3)] },
      { type: 'gradients', step: 3, rms: { 'd1.y': 0.25 } },
      status(3),
    ];
    const one = createTrainingStore();
    batch.forEach((e) => one.getState().apply(e));
    const all = createTrainingStore();
    let updates = 0;
    all.subscribe(() => updates++);
    all.getState().applyAll(batch);
    expect(updates).toBe(1);
    const pick = (s: ReturnType<typeof one.getState>) => ({ points: s.points, validation: s.validation, status: s.status, observed: s.observed });
    expect(pick(all.getState())).toEqual(pick(one.getState()));
    expect(all.getState().points.map((p) => p.step)).toEqual([1, 2, 3]);
    expect(all.getState().status.step).toBe(3);
    all.getState().applyAll([]);
    expect(updates).toBe(1);
  });

  it('keeps a bounded, evenly sampled history of training points, the first and newest always kept', () => {
    const store = createTrainingStore();
    const n = MAX_POINTS * 3;
    for (let start = 1; start <= n; start += 250) store.getState().apply({ type: 'metrics', points: Array.from({ length: 250 }, (_v, i) => point(start + i)) });
    const steps = store.getState().points.map((p) => p.step);
    expect(steps.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(steps.length).toBeGreaterThan(MAX_POINTS / 4);
    expect(steps[0]).toBe(1);
    expect(steps.at(-1)).toBe(n);
    // Increasing, and spread over the whole run rather than only its end.
    expect(steps.every((s, i) => i === 0 || s > steps[i - 1]!)).toBe(true);
    expect(steps.filter((s) => s <= n / 2).length).toBeGreaterThan(steps.length / 4);
  });

  it("drops the late points of a run the page has closed, and keeps the current run's", () => {
    const store = createTrainingStore();
    const doc = { nodes: [], edges: [] } as never;
    store.getState().apply({ type: 'run_started', run: { id: 'a', doc, startStep: 0 } });
    store.getState().apply({ type: 'metrics', run: 'a', points: [point(1)] });
    store.getState().clear();
    store.getState().apply({ type: 'metrics', run: 'a', points: [point(2)] });
    store.getState().apply({ type: 'validation', run: 'a', point: { step: 2, epoch: 0, loss: 1, metrics: {} } });
    expect(store.getState().points).toEqual([]);
    expect(store.getState().validation).toEqual([]);
    store.getState().apply({ type: 'run_started', run: { id: 'b', doc, startStep: 0 } });
    store.getState().apply({ type: 'metrics', run: 'b', points: [point(1)] });
    expect(store.getState().points.map((p) => p.step)).toEqual([1]);
  });
});
