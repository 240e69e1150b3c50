import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/backends/cpu/backend';
import { Program } from '../engine/compile/program';
import { builtinDataset, gatherBatch, splitIndices } from '../engine/data';
import { makeDoc } from '../engine/testing/docs';
import { confusionMatrix, Observer, predictions, type ObserveContext } from './observe';
import type { ObserveEvent } from './observeTypes';

function classifierDoc() {
  return makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [2] }],
      ['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
      ['h', 'Dense', { units: 8, activation: 'tanh' }],
      ['logits', 'Dense', { units: 2 }],
      ['loss', 'SoftmaxCrossEntropy'],
    ],
    ['x.y -> h.x', 'h.y -> logits.x', 'logits.y -> loss.pred', 'label.y -> loss.target'],
    { dataset: { kind: 'circle', size: 100, noise: 0.05 }, optimizer: { type: 'adam' }, lr: 0.05, batchSize: 20, epochs: 5, seed: 3 },
  );
}

async function trained(steps: number): Promise<ObserveContext> {
  const doc = classifierDoc();
  const program = await Program.create(doc, new CpuBackend());
  const dataset = builtinDataset(doc.training.dataset, doc.training.seed);
  const split = splitIndices(dataset.length, doc.training.validationSplit, doc.training.seed);
  for (let s = 0; s < steps; s++) await program.step(gatherBatch(dataset, split.train.subarray((s % 4) * 20, (s % 4) * 20 + 20)));
  return { program, doc, dataset, split, final: true };
}

const byType = <T extends ObserveEvent['type']>(events: readonly unknown[], type: T) =>
  events.find((e): e is Extract<ObserveEvent, { type: T }> => (e as { type: string }).type === type);

describe('predictions and confusion matrix', () => {
  it('take the argmax with its softmax probability, or a sigmoid for one logit (hand-computed)', () => {
    const p = predictions([0, Math.log(3), 2, 1], 2, 2);
    expect(Array.from(p.cls)).toEqual([1, 0]);
    expect(p.prob[0]).toBeCloseTo(0.75, 6);
    expect(p.prob[1]).toBeCloseTo(Math.E / (Math.E + 1), 6);
    const b = predictions([Math.log(4), -Math.log(4)], 2, 1);
    expect(Array.from(b.cls)).toEqual([1, 0]);
    expect(b.prob[0]).toBeCloseTo(0.8, 6);
    expect(b.prob[1]).toBeCloseTo(0.8, 6);
  });

  it('counts true × predicted', () => {
    expect(confusionMatrix([0, 0, 1, 1, 2], [0, 1, 1, 1, 0], 3)).toEqual([1, 1, 0, 0, 2, 0, 1, 0, 0]);
  });
});

describe('Observer', () => {
  it('samples histograms of every parameter and gradient, matching the weights read directly', async () => {
    const ctx = await trained(3);
    const obs = new Observer(() => 0);
    obs.configure({ histogramEvery: 1, histogramBins: 10 });
    const events = await obs.afterFlush(ctx);
    const h = byType(events, 'histograms')!;
    expect(h.step).toBe(3);
    expect(h.tensors.map((t) => `${t.name}|${t.what}`).sort()).toEqual([
      'h/bias|grad',
      'h/bias|value',
      'h/kernel|grad',
      'h/kernel|value',
      'logits/bias|grad',
      'logits/bias|value',
      'logits/kernel|grad',
      'logits/kernel|value',
    ]);
    const weights = await ctx.program.getWeights();
    const kernel = h.tensors.find((t) => t.name === 'h/kernel' && t.what === 'value')!;
    expect(kernel.counts.reduce((a, c) => a + c, 0)).toBe(16);
    expect(kernel.min).toBe(Math.min(...weights['h/kernel']!));
    expect(kernel.max).toBe(Math.max(...weights['h/kernel']!));
    // Same step again: nothing new to sample.
    expect(byType(await obs.afterFlush(ctx), 'histograms')).toBeUndefined();
  });

  it('reads probes on an output and on a parameter, with gradients', async () => {
    const ctx = await trained(2);
    const obs = new Observer(() => 0);
    obs.configure({
      probes: [
        { key: 'a', node: 'h', port: 'y' },
        { key: 'b', node: 'logits', variable: 'logits/kernel' },
        { key: 'c', node: 'nope' },
      ],
    });
    const readings = byType(await obs.afterFlush(ctx), 'probes')!.readings;
    const [a, b, c] = readings;
    expect(a!.value!.shape).toEqual([20, 8]);
    expect(a!.grad!.shape).toEqual([20, 8]);
    expect(a!.value!.view.kind).toBe('heatmap');
    const out = await ctx.program.read('h', 'value', 'y');
    const mean = Array.from(out.data).reduce((s, v) => s + v, 0) / out.data.length;
    expect(a!.value!.stats.mean).toBeCloseTo(mean, 6);
    const w = (await ctx.program.getWeights())['logits/kernel']!;
    expect(b!.value!.stats.min).toBe(Math.min(...w));
    expect(b!.grad!.shape).toEqual([8, 2]);
    expect(c!.error).toMatch(/nope/);
  });

  it('gives RMS gradients per edge source and a confusion matrix plus decision boundary', async () => {
    const ctx = await trained(8);
    const obs = new Observer(() => 0);
    obs.configure({ edgeGradients: true, confusion: true, decisionBoundary: true });
    const events = await obs.afterFlush(ctx);
    const g = byType(events, 'gradients')!;
    const grad = (await ctx.program.read('h', 'grad', 'y')).data;
    const rms = Math.sqrt(Array.from(grad).reduce((s, v) => s + v * v, 0) / grad.length);
    expect(g.rms['h.y']).toBeCloseTo(rms, 6);
    expect(g.rms['label.y']).toBeUndefined();

    const r = byType(events, 'classifier')!.reading;
    expect(r.classes).toBe(2);
    expect(r.split).toBe('validation');
    expect(r.confusion.reduce((a, v) => a + v, 0)).toBe(ctx.split.validation.length);
    // Independent check: argmax of the logits from a forward pass over the same split.
    const out = await ctx.program.forward(gatherBatch(ctx.dataset, ctx.split.validation));
    const logits = out.get('logits')!.y!.data;
    const labels = ctx.split.validation.map((i) => ctx.dataset.data.label![i]!);
    let hits = 0;
    labels.forEach((t, i) => (hits += Number((logits[2 * i + 1]! > logits[2 * i]! ? 1 : 0) === t)));
    expect(r.confusion[0]! + r.confusion[3]!).toBe(hits);

    const b = r.boundary!;
    expect(b.predicted).toHaveLength(b.resolution * b.resolution);
    expect(b.x0).toBeLessThan(b.x1);
    expect(Math.min(...b.confidence)).toBeGreaterThanOrEqual(0.5);
    expect(b.points).toHaveLength(2 * b.labels.length);
  });
});

describe('Observer time budget', () => {
  it('waits (1/share − 1) times as long as the last sample took before sampling again while training', async () => {
    const ctx = await trained(1);
    let t = 0;
    const obs = new Observer(() => (t += 1));
    obs.configure({ probes: [{ key: 'a', node: 'h', port: 'y' }] });
    const live = { ...ctx, final: false };
    expect(await obs.afterFlush(live)).toHaveLength(1);
    // That sample spanned 2 clock ticks, so nothing is sampled for the next 2·(1/0.05 − 1) = 38 ticks.
    await ctx.program.step(gatherBatch(ctx.dataset, ctx.split.train.subarray(0, 20)));
    expect(await obs.afterFlush(live)).toEqual([]);
    t += 300; // past the probes' own 250 ms interval too
    expect(await obs.afterFlush(live)).toHaveLength(1);
  });
});

describe('Trainer with an observer', () => {
  it('streams classifier readings with a decision boundary and probe readings while training', async () => {
    const { Trainer } = await import('./trainer');
    const doc = classifierDoc();
    const t = new Trainer({
      createBackend: async () => ({ backend: new CpuBackend(), info: { kind: 'cpu', device: 'CPU' } }),
      loadDataset: async (d) => builtinDataset(d.training.dataset, d.training.seed),
    });
    expect((await t.open(doc)).ok).toBe(true);
    t.observe({ decisionBoundary: true, probes: [{ key: 'k', node: 'h', variable: 'h/kernel' }] });
    const events: ObserveEvent[] = [];
    await t.train((e) => {
      if (e.type === 'classifier' || e.type === 'probes') events.push(e);
    });
    const start = Date.now();
    while (t.status.state === 'running' && Date.now() - start < 60_000) await new Promise((r) => setTimeout(r, 20));
    expect(t.status.state).toBe('done');
    const last = events.filter((e) => e.type === 'classifier').pop();
    expect(last?.type === 'classifier' && last.reading.boundary?.resolution).toBeGreaterThan(0);
    expect(events.some((e) => e.type === 'probes' && e.readings[0]!.value!.shape.join() === '2,8')).toBe(true);
    // The page re-sends its config, then asks for a sample at the current step (a probe opened while paused).
    t.observe({ decisionBoundary: true, probes: [{ key: 'k', node: 'h', variable: 'h/kernel' }] });
    const now = await t.observeNow();
    expect(now.map((e) => e.type).sort()).toEqual(['classifier', 'probes']);
  });
});
