// Runs as IndexedDB keeps them: the curve as columns, read back exactly; records of the earlier format still read.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../workers/types';
import { openStudioDatabase } from '../storage/database';
import { runStore } from '../storage/stores';
import { fromStoredRun, toStoredRun } from './runRecord';
import type { Run } from './runs';
import { openRunStorage } from './runStorage';

const edgeValues = [0, -0, 1.5e-300, -7.25, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53];

/** A curve whose metrics change midway (a hot edit added "acc", and "old" was dropped), with edge values in every field. */
function points(n: number): MetricPoint[] {
  return Array.from({ length: n }, (_, i) => {
    const v = edgeValues[i % edgeValues.length]!;
    return {
      step: i * 10 + 1,
      epoch: Math.floor(i / 7),
      time: i * 33.3,
      loss: v,
      lr: 1e-3 / (i + 1),
      gradNorm: -v,
      metrics: { ...(i < n / 2 ? { old: i / 3 } : { acc: v }), ['__proto__']: i, constructor: 0.5 },
    };
  });
}

function run(n: number): Run {
  return {
    id: 'run-1',
    name: 'Run 1',
    created: 1_700_000_000_000,
    doc: { format: 'wiregrad', version: 2 } as unknown as Run['doc'],
    points: points(n),
    validation: [{ step: 10, epoch: 0, loss: 0.5, metrics: { acc: 0.9 } }],
    state: 'running',
    visible: true,
    colour: 3,
  };
}

/** Every number compared with Object.is (0 and -0 differ, NaN equals NaN), every metric key by own property. */
function expectSamePoints(actual: readonly MetricPoint[], expected: readonly MetricPoint[]) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((p, i) => {
    const e = expected[i]!;
    for (const f of ['step', 'epoch', 'time', 'loss', 'lr', 'gradNorm'] as const) expect(Object.is(p[f], e[f]), `${f} of point ${i}`).toBe(true);
    expect(Object.keys(p.metrics).sort()).toEqual(Object.keys(e.metrics).sort());
    for (const key of Object.keys(e.metrics)) expect(Object.is(p.metrics[key], e.metrics[key]), `${key} of point ${i}`).toBe(true);
    expect(Object.getPrototypeOf(p.metrics)).toBe(Object.prototype);
  });
}

describe('stored runs', () => {
  it('keep the curve as columns of numbers, read back exactly after a structured clone', () => {
    const original = run(101);
    const stored = toStoredRun(original);
    expect('points' in stored).toBe(false);
    expect(stored.columns.fields.loss).toBeInstanceOf(Float64Array);
    // "acc" and "old" are each missing from half the points; the others are in all.
    expect(Object.keys(stored.columns.metrics).sort()).toEqual(['__proto__', 'acc', 'constructor', 'old']);
    const inEvery = 'constructor' as string;
    expect(stored.columns.metrics[inEvery]!.present).toBeUndefined();
    expect(stored.columns.metrics.acc!.present).toBeInstanceOf(Uint8Array);
    const back = fromStoredRun(structuredClone(stored));
    expectSamePoints(back.points, original.points);
    const { points: _a, ...restBack } = back;
    const { points: _b, ...restOriginal } = original;
    expect(restBack).toEqual(restOriginal);
  });

  it('read records of the earlier format (points as objects) as they are, and one with no curve as empty', () => {
    const old = run(5);
    expect(fromStoredRun(structuredClone(old)).points).toEqual(old.points);
    const { points: _p, ...bare } = old;
    expect(fromStoredRun(bare as Run).points).toEqual([]);
  });

  it('go through IndexedDB as columns and come back as runs, beside a record of the earlier format', async () => {
    const database = openStudioDatabase({ factory: new IDBFactory(), name: 'runs-test' });
    const storage = openRunStorage(database);
    const live = run(1000);
    await storage.put(live);
    const earlier = { ...run(3), id: 'run-0', created: 1 };
    await runStore<Run>(database).put(earlier);
    const raw = await runStore<{ id: string; created: number }>(database).list();
    expect(raw.find((r) => r.id === 'run-1')).not.toHaveProperty('points');
    const listed = await storage.list();
    expect(listed.map((r) => r.id)).toEqual(['run-0', 'run-1']);
    expectSamePoints(listed[0]!.points, earlier.points);
    expectSamePoints(listed[1]!.points, live.points);
    await storage.delete('run-1');
    expect((await storage.list()).map((r) => r.id)).toEqual(['run-0']);
  });
});
