/**
 * Fine-tuning as a person does it, on the worker's session (CPU reference): train a model, save
 * its weights, give the graph a new head, load the weights (the body matches, the head is reported),
 * freeze the body, train: the body stays bit for bit, the head learns. And switching Trainable
 * during a run is a hot edit that keeps the run and every weight.
 */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/backends/cpu/backend';
import { builtinDataset } from '../engine/data';
import type { GraphDocument } from '../engine/graph/document';
import { makeDoc } from '../engine/testing/docs';
import { Trainer } from './trainer';
import type { MetricPoint, TrainEvent } from './types';

function trainer() {
  const t = new Trainer({
    createBackend: async () => ({ backend: new CpuBackend(), info: { kind: 'cpu' as const, device: 'CPU (JavaScript)' } }),
    loadDataset: async (doc: GraphDocument) => builtinDataset(doc.training.dataset, doc.training.seed),
  });
  const events: TrainEvent[] = [];
  t.subscribe((e) => events.push(e));
  const points = () => events.flatMap((e) => (e.type === 'metrics' ? e.points : [])) as MetricPoint[];
  return { t, events, points };
}

/** x[2] → body Dense(16, relu) → `head` Dense(`classes`) → softmax cross-entropy on XOR labels. */
function classifier(classes: number, frozen: readonly string[] = [], head = 'head'): GraphDocument {
  const doc = makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [2] }],
      ['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
      ['body', 'Dense', { units: 16, activation: 'relu' }],
      [head, 'Dense', { units: classes }],
      ['loss', 'SoftmaxCrossEntropy'],
    ],
    ['x.y -> body.x', `body.y -> ${head}.x`, `${head}.y -> loss.pred`, 'label.y -> loss.target'],
    { dataset: { kind: 'xor', size: 200, noise: 0.1 }, optimizer: { type: 'adam' }, lr: 0.02, batchSize: 20, epochs: 1000, seed: 3 },
  );
  return { ...doc, nodes: doc.nodes.map((n) => (frozen.includes(n.id) ? { ...n, trainable: false } : n)) };
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('fine-tuning', () => {
  it('loads a trained body into a graph with a new head, freezes it, and trains only the head', async () => {
    const trained = trainer();
    await trained.t.open(classifier(2));
    await trained.t.step(60);
    const file = await trained.t.saveWeights();
    const body = await trained.t.getWeights();

    // The same head resized: its tensors are the wrong shape, so nothing loads and the head is named.
    const resized = trainer();
    await resized.t.open(classifier(3, ['body']));
    const refused = await resized.t.loadWeights(file);
    expect(refused.shapeMismatches.map((p) => p.node)).toEqual(['head', 'head']);
    expect((await resized.t.getWeights())['body/kernel']).not.toEqual(body['body/kernel']);

    // A new head (a new node, as deleting the old one and placing another gives): the body loads.
    const tuned = trainer();
    const report = await tuned.t.open(classifier(3, ['body'], 'head3'));
    expect(report.ok).toBe(true);
    const match = await tuned.t.loadWeights(file);
    expect(match.matched.map((m) => m.variable).sort()).toEqual(['body/bias', 'body/kernel']);
    expect(match.missing.map((p) => p.node)).toEqual(['head3', 'head3']);
    expect(match.unexpected.map((p) => p.tensor).sort()).toEqual(['head.bias', 'head.kernel']);
    expect(tuned.t.status.state).toBe('paused');
    const before = await tuned.t.getWeights();
    expect(before['body/kernel']).toEqual(body['body/kernel']);

    await tuned.t.step(40);
    const after = await tuned.t.getWeights();
    expect(after['body/kernel']).toEqual(body['body/kernel']);
    expect(after['body/bias']).toEqual(body['body/bias']);
    expect(after['head3/kernel']).not.toEqual(before['head3/kernel']);
    expect(after['head3/bias']).not.toEqual(before['head3/bias']);
    const losses = tuned.points().map((p) => p.loss);
    expect(losses).toHaveLength(40);
    expect(mean(losses.slice(-10))).toBeLessThan(0.7 * mean(losses.slice(0, 5)));
  });

  it('switching Trainable during a run is a hot edit: the run goes on from its step with every weight', async () => {
    const s = trainer();
    await s.t.open(classifier(2));
    await s.t.step(5);
    const at5 = await s.t.getWeights();
    const report = await s.t.update(classifier(2, ['body']));
    expect(report).toMatchObject({ applied: 'hot', change: { kind: 'hot', reasons: ['node body frozen'] } });
    expect(await s.t.getWeights()).toEqual(at5);
    await s.t.step(5);
    const at10 = await s.t.getWeights();
    expect(at10['body/kernel']).toEqual(at5['body/kernel']);
    expect(at10['head/kernel']).not.toEqual(at5['head/kernel']);
    expect(s.points().map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect((await s.t.update(classifier(2))).applied).toBe('hot');
    await s.t.step(1);
    expect((await s.t.getWeights())['body/kernel']).not.toEqual(at5['body/kernel']);
  });
});
