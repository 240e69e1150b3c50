/**
 * Node ids that are Object.prototype names, through the engine and the worker (issue 17): the same
 * classifier with ids `constructor`, `__proto__`, `toString` … estimates the same memory, trains to
 * exactly the same losses and metrics from the same weights, and its nodes are inspected, read and
 * written by those ids — the reference is the same graph with ordinary ids, on the CPU backend.
 */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/backends/cpu/backend';
import { builtinDataset } from '../engine/data';
import type { GraphDocument } from '../engine/graph/document';
import { estimateMemory } from '../engine/graph/memory';
import { inferShapes } from '../engine/graph/infer';
import { makeDoc } from '../engine/testing/docs';
import { Trainer } from './trainer';
import type { MetricPoint, TrainEvent } from './types';

/** Ordinary id → the Object.prototype name it becomes. */
const RENAMED: Readonly<Record<string, string>> = {
  x: 'constructor',
  label: '__proto__',
  body: 'toString',
  head: 'hasOwnProperty',
  loss: 'valueOf',
  acc: 'isPrototypeOf',
};
const renamed = (id: string) => RENAMED[id] ?? id;

function classifier(name: (id: string) => string): GraphDocument {
  const [x, label, body, head, loss, acc] = ['x', 'label', 'body', 'head', 'loss', 'acc'].map(name) as [string, string, string, string, string, string];
  return makeDoc(
    [
      [x, 'Input', { field: 'x', shape: [2] }],
      [label, 'Input', { field: 'label', shape: [], dtype: 'i32' }],
      [body, 'Dense', { units: 8, activation: 'relu' }],
      [head, 'Dense', { units: 2 }],
      [loss, 'SoftmaxCrossEntropy'],
      [acc, 'Accuracy'],
    ],
    [
      `${x}.y -> ${body}.x`,
      `${body}.y -> ${head}.x`,
      `${head}.y -> ${loss}.pred`,
      `${label}.y -> ${loss}.target`,
      `${head}.y -> ${acc}.pred`,
      `${label}.y -> ${acc}.target`,
    ],
    { dataset: { kind: 'xor', size: 200, noise: 0.1 }, optimizer: { type: 'adam' }, lr: 0.02, batchSize: 20, epochs: 1000, seed: 3 },
  );
}

function trainer() {
  const t = new Trainer({
    createBackend: async () => ({ backend: new CpuBackend(), info: { kind: 'cpu' as const, device: 'CPU (JavaScript)' } }),
    loadDataset: async (doc: GraphDocument) => builtinDataset(doc.training.dataset, doc.training.seed),
  });
  const events: TrainEvent[] = [];
  t.subscribe((e) => events.push(e));
  const points = () => events.flatMap((e) => (e.type === 'metrics' ? e.points : [])) as MetricPoint[];
  return { t, points };
}

/** A weight's name with its node id part renamed ("body/kernel" → "toString/kernel"). */
const renameWeight = (key: string) => {
  const slash = key.indexOf('/');
  return slash < 0 ? renamed(key) : `${renamed(key.slice(0, slash))}${key.slice(slash)}`;
};

describe('node ids that are Object.prototype names, in the engine and the worker', () => {
  it('infer the same shapes and estimate the same memory, node by node', () => {
    const plain = classifier((id) => id);
    const odd = classifier(renamed);
    const plainShapes = inferShapes(plain);
    const oddShapes = inferShapes(odd);
    for (const id of Object.keys(RENAMED)) expect(oddShapes.nodes.get(renamed(id)), id).toEqual(plainShapes.nodes.get(id));
    const a = estimateMemory(plain);
    const b = estimateMemory(odd);
    expect(b.total).toBe(a.total);
    expect(b.total).toBeGreaterThan(0);
    for (const [id, mem] of a.nodes) expect(b.nodes.get(renamed(id)), id).toEqual(mem);
    expect(b.nodes.size).toBe(a.nodes.size);
  });

  it('train to exactly the losses and accuracies of the same graph with ordinary ids, from the same weights', async () => {
    const plain = trainer();
    const odd = trainer();
    expect((await plain.t.open(classifier((id) => id))).ok).toBe(true);
    const report = await odd.t.open(classifier(renamed));
    expect(report.errors).toEqual([]);
    expect(report.ok).toBe(true);

    // Start both from the plain graph's weights, moved over by name.
    const start = await plain.t.getWeights();
    expect(Object.keys(start).sort()).toEqual(['body/bias', 'body/kernel', 'head/bias', 'head/kernel']);
    odd.t.setWeights(Object.fromEntries(Object.entries(start).map(([k, v]) => [renameWeight(k), v])));
    const oddStart = await odd.t.getWeights();
    expect(Object.keys(oddStart).sort()).toEqual(['hasOwnProperty/bias', 'hasOwnProperty/kernel', 'toString/bias', 'toString/kernel']);

    await plain.t.step(30);
    await odd.t.step(30);
    const a = plain.points();
    const b = odd.points();
    expect(a.length).toBeGreaterThan(0);
    expect(b.map((p) => p.loss)).toEqual(a.map((p) => p.loss));
    expect(b.map((p) => p.metrics['isPrototypeOf'])).toEqual(a.map((p) => p.metrics['acc']));
    expect(a.every((p) => Number.isFinite(p.metrics['acc']))).toBe(true);
    expect(a.at(-1)!.loss).toBeLessThan(a[0]!.loss); // it learned, so the comparison is of a real run

    const weightsA = await plain.t.getWeights();
    const weightsB = await odd.t.getWeights();
    for (const [k, v] of Object.entries(weightsA)) expect(weightsB[renameWeight(k)], k).toEqual(v);

    // Inspecting a node by such an id reads its own tensor.
    const inspectedA = await plain.t.inspect('body', 'value');
    const inspectedB = await odd.t.inspect('toString', 'value');
    expect(inspectedB.shape).toEqual(inspectedA.shape);
    expect(inspectedB.stats).toEqual(inspectedA.stats);
    const gradA = await plain.t.inspect('head', 'grad');
    const gradB = await odd.t.inspect('hasOwnProperty', 'grad');
    expect(gradB.stats).toEqual(gradA.stats);
  });
});
