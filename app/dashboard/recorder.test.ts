import { describe, expect, it } from 'vitest';
import { twoSpirals } from '../../engine/graph/templates/twoSpirals';
import { createTrainingStore, MAX_POINTS } from '../training/trainingStore';
import type { MetricPoint, RunInfo } from '../../workers/types';
import { startRecorder } from './recorder';
import { memoryRunStorage } from './runStorage';
import { createRunsStore, describeRun } from './runs';

const point = (step: number, loss: number): MetricPoint => ({ step, epoch: 0, time: step * 10, loss, lr: 0.01, gradNorm: 1, metrics: {} });
const tick = () => new Promise((r) => setTimeout(r, 0));

function setup() {
  const training = createTrainingStore();
  const runs = createRunsStore();
  const storage = memoryRunStorage();
  const stop = startRecorder({ training, runs, storage, saveEveryMs: 5 });
  return { training, runs, storage, stop };
}

const doc = twoSpirals.build(new Date(0));
const started = (id: string, extra: Partial<RunInfo> = {}) => ({ type: 'run_started' as const, run: { id, doc, startStep: 0, ...extra } });

describe('run recorder', () => {
  it('begins a run when the worker announces one, extends it, and ends it when the run is over', async () => {
    const { training, runs, storage, stop } = setup();
    await tick();
    const t = training.getState();
    t.apply({ type: 'status', status: { state: 'running', step: 0, epoch: 0, totalSteps: 10, stepsPerSecond: 0 } });
    expect(runs.getState().runs).toHaveLength(0);
    t.apply(started('run-a'));
    t.apply({ type: 'metrics', points: [point(1, 2), point(2, 1.5)] });
    expect(runs.getState().runs).toHaveLength(1);
    const run = runs.getState().runs[0]!;
    expect(run.id).toBe('run-a');
    expect(run.name).toBe('Run 1');
    expect(run.doc.meta.name).toBe('Two spirals classifier');
    expect(describeRun(run)).toBe(`Adam · lr ${run.doc.training.lr} · batch ${run.doc.training.batchSize} · ${run.doc.training.epochs} epochs · spirals`);
    t.apply({ type: 'metrics', points: [point(3, 1.2)] });
    t.apply({ type: 'validation', point: { step: 3, epoch: 1, loss: 1.3, metrics: {} } });
    expect(runs.getState().runs[0]!.points.map((p) => p.step)).toEqual([1, 2, 3]);
    expect(runs.getState().runs[0]!.validation).toHaveLength(1);
    t.apply({ type: 'status', status: { state: 'paused', step: 3, epoch: 1, totalSteps: 10, stepsPerSecond: 100 } });
    await tick();
    expect((await storage.list())[0]!.points).toHaveLength(3);

    t.clear();
    expect(runs.getState().live).toBeUndefined();
    t.apply({ type: 'metrics', points: [point(1, 3)] });
    expect(runs.getState().runs).toHaveLength(1); // no run announced: nothing recorded
    t.apply(started('run-b'));
    t.apply({ type: 'metrics', points: [point(1, 3)] });
    expect(runs.getState().runs.map((r) => r.name)).toEqual(['Run 1', 'Run 2']);
    expect(runs.getState().runs[1]!.colour).not.toBe(runs.getState().runs[0]!.colour);
    stop();
    await tick();
    expect(storage.size).toBe(2);
  });

  it("a fork continues its parent's curve up to the checkpoint and is named after it", async () => {
    const { training, runs } = setup();
    await tick();
    const t = training.getState();
    t.apply(started('parent'));
    t.apply({ type: 'metrics', points: [point(1, 3), point(2, 2), point(3, 1)] });
    t.apply(started('child', { startStep: 2, parent: { run: 'parent', step: 2 } }));
    t.apply({ type: 'metrics', points: [point(3, 0.5)] });
    const [parent, child] = runs.getState().runs;
    expect(parent!.points.map((p) => p.loss)).toEqual([3, 2, 1]);
    expect(child).toMatchObject({ id: 'child', name: 'Run 2 (from Run 1 @ 2)', parent: { run: 'parent', step: 2 } });
    expect(child!.points.map((p) => p.loss)).toEqual([3, 2, 0.5]);
  });

  it('keeps runs across a reload, showing an interrupted run as stopped; rename and delete persist', async () => {
    const first = setup();
    await tick();
    first.training.getState().apply({ type: 'status', status: { state: 'running', step: 0, epoch: 0, totalSteps: 10, stepsPerSecond: 0 } });
    first.training.getState().apply(started('run-x'));
    first.training.getState().apply({ type: 'metrics', points: [point(1, 2)] });
    await new Promise((r) => setTimeout(r, 20));
    first.runs.getState().end();
    const id = first.runs.getState().runs[0]!.id;
    first.runs.getState().rename(id, '  baseline ');
    await tick();

    const runs = createRunsStore();
    const training = createTrainingStore();
    startRecorder({ training, runs, storage: first.storage });
    await tick();
    expect(runs.getState().runs).toHaveLength(1);
    expect(runs.getState().runs[0]!.name).toBe('baseline');
    expect(runs.getState().runs[0]!.state).toBe('paused');
    runs.getState().remove(id);
    await tick();
    expect(first.storage.size).toBe(0);
  });

  it("holds one history: the live run is the training store's bounded curve itself, stored as it is, with its changes", async () => {
    const { training, runs, storage } = setup();
    await tick();
    const t = training.getState();
    t.apply({ type: 'status', status: { state: 'running', step: 0, epoch: 0, totalSteps: 0, stepsPerSecond: 0 } });
    t.apply(started('long'));
    const n = MAX_POINTS * 2 + 7;
    for (let s = 1; s <= n; s += 500)
      t.apply({ type: 'metrics', points: Array.from({ length: Math.min(500, n - s + 1) }, (_v, i) => point(s + i, 1 / (s + i))) });
    t.apply({ type: 'run_changed', run: 'long', change: { step: 300, kind: 'live', reasons: ['lr 0.01 → 0.001'] } });
    const run = runs.getState().runs[0]!;
    // The same arrays, not a copy: one history of the curve in the page.
    expect(run.points).toBe(training.getState().points);
    expect(run.points.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(run.points[0]!.step).toBe(1);
    expect(run.points.at(-1)!.step).toBe(n);
    expect(run.changes).toEqual([{ step: 300, kind: 'live', reasons: ['lr 0.01 → 0.001'] }]);
    t.apply({ type: 'status', status: { state: 'paused', step: n, epoch: 0, totalSteps: n, stepsPerSecond: 1 } });
    await tick();
    const [stored] = await storage.list();
    expect(stored!.points.map((p) => p.step)).toEqual(run.points.map((p) => p.step));
    expect(stored!.changes).toHaveLength(1);
  });
});
