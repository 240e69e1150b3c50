import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/backends/cpu/backend';
import { builtinDataset, gatherBatch, splitIndices } from '../engine/data';
import { Program } from '../engine/compile/program';
import type { GraphDocument } from '../engine/graph/document';
import { makeDoc } from '../engine/testing/docs';
import { Trainer } from './trainer';
import type { MetricPoint, TrainEvent } from './types';

const deps = {
  createBackend: async () => ({ backend: new CpuBackend(), info: { kind: 'cpu' as const, device: 'CPU (JavaScript)' } }),
  loadDataset: async (doc: Parameters<typeof builtinDataset>[0] extends never ? never : import('../engine/graph/document').GraphDocument) =>
    builtinDataset(doc.training.dataset, doc.training.seed),
};

function spiralsDoc(training: Record<string, unknown> = {}) {
  return makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [2] }],
      ['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
      ['h', 'Dense', { units: 32, activation: 'relu' }],
      ['logits', 'Dense', { units: 2 }],
      ['loss', 'SoftmaxCrossEntropy'],
      ['acc', 'Accuracy'],
    ],
    ['x.y -> h.x', 'h.y -> logits.x', 'logits.y -> loss.pred', 'label.y -> loss.target', 'logits.y -> acc.pred', 'label.y -> acc.target'],
    { dataset: { kind: 'xor', size: 200, noise: 0.1 }, optimizer: { type: 'adam' }, lr: 0.02, batchSize: 20, epochs: 20, seed: 1, ...training },
  );
}

function collect() {
  const events: TrainEvent[] = [];
  const points = () => events.flatMap((e) => (e.type === 'metrics' ? e.points : [])) as MetricPoint[];
  return { events, points, on: (e: TrainEvent) => events.push(e) };
}

async function until(cond: () => boolean, ms = 60_000) {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('Trainer (the worker side of training)', () => {
  it('compiles, trains to the end with falling loss, validates each epoch and reports status', async () => {
    // A clock that moves 1 s per reading: every epoch end is past the validation interval.
    let clock = 0;
    const t = new Trainer({ ...deps, now: () => (clock += 1000) });
    const report = await t.open(spiralsDoc());
    expect(report.ok).toBe(true);
    expect(report.paramCount).toBe(2 * 32 + 32 + 32 * 2 + 2);
    expect(report.nodes.h!.outputs.y!.shape).toEqual([20, 32]);
    const c = collect();
    await t.train(c.on);
    await until(() => t.status.state === 'done');
    const pts = c.points();
    expect(pts.length).toBe(20 * 8); // 160 train samples / 20 per batch × 20 epochs
    expect(pts.map((p) => p.step)).toEqual(pts.map((_p, i) => i + 1));
    const early = pts.slice(0, 8).reduce((s, p) => s + p.loss, 0) / 8;
    const late = pts.slice(-8).reduce((s, p) => s + p.loss, 0) / 8;
    expect(late).toBeLessThan(early / 3);
    const vals = c.events.filter((e) => e.type === 'validation');
    expect(vals.length).toBeGreaterThanOrEqual(19);
    const lastVal = vals[vals.length - 1]!;
    expect(lastVal.type === 'validation' && lastVal.point.metrics.acc).toBeGreaterThan(0.9);
  });

  it('validates at most twice a second when epochs fly by, and always at the end', async () => {
    let clock = 0;
    const t = new Trainer({ ...deps, now: () => (clock += 0.01) }); // the whole run takes well under 500 ms
    await t.open(spiralsDoc());
    const c = collect();
    await t.train(c.on);
    await until(() => t.status.state === 'done');
    const vals = c.events.flatMap((e) => (e.type === 'validation' ? [e.point] : []));
    expect(vals.map((v) => v.epoch)).toEqual([0, 19]); // the first epoch end, then the final validation
    expect(vals[1]!.step).toBe(160);
    // Events are batched too: far fewer metric messages than steps.
    expect(c.points()).toHaveLength(160);
    expect(c.events.filter((e) => e.type === 'metrics').length).toBeLessThan(10);
  });

  it('pauses, steps exactly n, resumes, and inspects values and gradients', async () => {
    const t = new Trainer(deps);
    // A run far longer than the test, so it cannot finish (and read 'done') before Pause lands.
    await t.open(spiralsDoc({ epochs: 10_000 }));
    const c = collect();
    await t.step(3);
    expect(t.status).toMatchObject({ state: 'paused', step: 3 });
    const before = await t.inspect('h', 'value');
    expect(before.shape).toEqual([20, 32]);
    expect(before.stats.count).toBe(640);
    expect(before.stats.zeros).toBeGreaterThan(0); // relu
    expect(before.histogram.counts.reduce((a, b) => a + b, 0)).toBe(640);
    const grad = await t.inspect('logits', 'grad');
    expect(grad.stats.std).toBeGreaterThan(0);
    await t.train(c.on);
    await until(() => t.status.step >= 10);
    t.pause();
    await t.stop();
    const paused = t.status.step;
    await new Promise((r) => setTimeout(r, 50));
    expect(t.status.step).toBe(paused);
    expect(t.status.state).toBe('paused');
  });

  it('pauses on a non-finite loss and names the first node where it appeared', async () => {
    const t = new Trainer(deps);
    const doc = makeDoc(
      // log of a Dense output that is negative for some samples: NaN first appears at node "lg".
      [
        ['x', 'Input', { field: 'x', shape: [2] }],
        ['y', 'Input', { field: 'y', shape: [1] }],
        ['d', 'Dense', { units: 1 }],
        ['lg', 'log'],
        ['loss', 'MSELoss'],
      ],
      ['x.y -> d.x', 'd.y -> lg.x', 'lg.y -> loss.pred', 'y.y -> loss.target'],
      { dataset: { kind: 'plane', size: 100, noise: 0 }, optimizer: { type: 'sgd' }, lr: 0.01, batchSize: 10, epochs: 50 },
    );
    await t.open(doc);
    const c = collect();
    await t.train(c.on);
    await until(() => t.status.state !== 'running');
    const err = c.events.find((e) => e.type === 'error');
    expect(err && err.type === 'error' && err.error).toMatchObject({ code: 'nan', node: 'lg' });
    expect(t.status.state).toBe('paused');
  });

  it('tells the backend (and its limits) before anything is compiled, and compiles on that same backend', async () => {
    let created = 0;
    const trainer = new Trainer({ ...deps, createBackend: async () => (created++, deps.createBackend()) });
    const [first, second] = await Promise.all([trainer.backendInfo(), trainer.backendInfo()]);
    expect(first).toEqual({ kind: 'cpu', device: 'CPU (JavaScript)' });
    expect(second).toEqual(first);
    const report = await trainer.open(spiralsDoc());
    expect(report.backend).toEqual(first);
    expect(created).toBe(1);
  });

  it('reports compile errors with the node at fault and data mismatches clearly', async () => {
    const t = new Trainer(deps);
    const bad = makeDoc(
      [
        ['x', 'Input', { field: 'x', shape: [3] }],
        ['y', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
        ['loss', 'SoftmaxCrossEntropy'],
      ],
      ['x.y -> loss.pred', 'y.y -> loss.target'],
      { dataset: { kind: 'xor', size: 100 } },
    );
    const r = await t.open(bad);
    expect(r.ok).toBe(false);
    expect(r.errors[0]!.message).toMatch(/field "x" holds \[2\] f32 per sample but the graph reads \[3\] f32/);
    const small = await t.open(spiralsDoc({ batchSize: 500 }));
    expect(small.errors[0]!.message).toMatch(/fewer than the batch size 500/);
  });

  describe('validation', () => {
    /** Train one step, then compare the trainer's validation point with one forward over the whole split on the CPU. */
    async function validateAgainstReference(doc: GraphDocument) {
      const t = new Trainer(deps);
      expect((await t.open(doc)).ok).toBe(true);
      const c = collect();
      await t.train(c.on);
      await until(() => t.status.state === 'done');
      const point = c.events.flatMap((e) => (e.type === 'validation' ? [e.point] : [])).at(-1)!;
      const dataset = builtinDataset(doc.training.dataset, doc.training.seed);
      const { validation } = splitIndices(dataset.length, doc.training.validationSplit, doc.training.seed);
      const reference = await Program.create(doc, new CpuBackend());
      reference.setWeights(await t.getWeights());
      const whole = await reference.forward(gatherBatch(dataset, validation));
      return { point, whole, n: validation.length };
    }

    it('averages a mean loss and accuracy over a split larger than one chunk exactly as one pass over it would', async () => {
      const { point, whole, n } = await validateAgainstReference(spiralsDoc({ dataset: { kind: 'xor', size: 6000, noise: 0.3 }, steps: 1, epochs: 1 }));
      expect(n).toBe(1200); // two chunks: 1024 and 176 samples
      expect(point.loss).toBeCloseTo(whole.get('loss')!.loss!.data[0]!, 5);
      expect(point.metrics.acc).toBeCloseTo(whole.get('acc')!.value!.data[0]!, 5);
    });

    it("reports a loss that sums over its batch per training batch, on the training curve's scale", async () => {
      const doc = makeDoc(
        [
          ['x', 'Input', { field: 'x', shape: [4] }],
          ['y', 'Input', { field: 'y', shape: [2] }],
          ['d', 'Dense', { units: 2 }],
          ['loss', 'SumSquaresLoss'],
        ],
        ['x.y -> d.x', 'd.y -> loss.pred', 'y.y -> loss.target'],
        {
          dataset: { kind: 'random', inputShape: [4], targetShape: [2], size: 6000 },
          optimizer: { type: 'sgd' },
          lr: 1e-4,
          batchSize: 50,
          steps: 1,
          epochs: 1,
          seed: 2,
        },
      );
      const { point, whole, n } = await validateAgainstReference(doc);
      const total = whole.get('loss')!.loss!.data[0]!;
      expect(point.loss).toBeCloseTo((total * 50) / n, 3);
    });
  });
});
