/**
 * How a run is kept in IndexedDB: its curve as columns of numbers rather than one object per point.
 * The live run is written every 2 s while it trains, and IndexedDB copies what it is given on the
 * main thread: v8's serialization of 10,000 point objects took 8.6 ms on a quiet machine (26–35 ms
 * loaded); one Float64Array per field is one copy each, 0.1 ms (plus ~1.4 ms to build the columns),
 * and half the bytes. Records stored before (points as objects) are read as they are: app/storage
 * knows nothing of what records mean, so this is not one of its migrations.
 */
import type { MetricPoint } from '../../workers/types';
import type { Run } from './runs';

const FIELDS = ['step', 'epoch', 'time', 'loss', 'lr', 'gradNorm'] as const;

/** The curve, field by field; a metric's `present` marks the points that have it (a hot edit can add or drop a metric node). */
export interface PointColumns {
  readonly length: number;
  readonly fields: Readonly<Record<(typeof FIELDS)[number], Float64Array>>;
  readonly metrics: Readonly<Record<string, { readonly values: Float64Array; readonly present?: Uint8Array }>>;
}

/** A run as stored: `columns` instead of `points`. */
export type StoredRun = Omit<Run, 'points'> & { readonly columns: PointColumns };

export function toColumns(points: readonly MetricPoint[]): PointColumns {
  const n = points.length;
  const fields = Object.fromEntries(FIELDS.map((f) => [f, new Float64Array(n)])) as Record<(typeof FIELDS)[number], Float64Array>;
  // By metric (node id): a Map, so that no id (even "__proto__") is taken for an object's own machinery.
  const metrics = new Map<string, { values: Float64Array; present: Uint8Array }>();
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    for (const f of FIELDS) fields[f][i] = p[f];
    const m = p.metrics;
    for (const key in m) {
      if (!Object.hasOwn(m, key)) continue;
      let column = metrics.get(key);
      if (column === undefined) metrics.set(key, (column = { values: new Float64Array(n), present: new Uint8Array(n) }));
      column.values[i] = m[key]!;
      column.present[i] = 1;
    }
  }
  // `present` is kept only for a metric some points lack.
  const columns = [...metrics].map(([key, { values, present }]) => [key, present.includes(0) ? { values, present } : { values }] as const);
  return { length: n, fields, metrics: Object.fromEntries(columns) };
}

export function fromColumns(c: PointColumns): MetricPoint[] {
  const metricColumns = Object.entries(c.metrics);
  return Array.from({ length: c.length }, (_, i) => ({
    step: c.fields.step[i]!,
    epoch: c.fields.epoch[i]!,
    time: c.fields.time[i]!,
    loss: c.fields.loss[i]!,
    lr: c.fields.lr[i]!,
    gradNorm: c.fields.gradNorm[i]!,
    metrics: Object.fromEntries(metricColumns.filter(([, m]) => m.present === undefined || m.present[i] === 1).map(([key, m]) => [key, m.values[i]!])),
  }));
}

export function toStoredRun(run: Run): StoredRun {
  const { points, ...rest } = run;
  return { ...rest, columns: toColumns(points) };
}

/** A stored record as a run: columns (this format) or points (records written before it); no curve if it has neither. */
export function fromStoredRun(record: StoredRun | Run): Run {
  if ('columns' in record && record.columns !== undefined) {
    const { columns, ...rest } = record;
    return { ...rest, points: fromColumns(columns) };
  }
  const run = record as Run;
  return Array.isArray(run.points) ? run : { ...run, points: [] };
}
