/**
 * The training session the worker owns (DESIGN.md): edits classified and applied live or hot while
 * a run goes on, runs announced, checkpoints to roll back to or fork from, and a fresh run that
 * really starts fresh. All on the CPU reference backend.
 */
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/backends/cpu/backend';
import { builtinDataset } from '../engine/data';
import { expandComposite } from '../engine/graph/nodes/attentionExpand';
import type { GraphDocument } from '../engine/graph/document';
import { TrainingConfig } from '../engine/graph/training';
import { makeDoc } from '../engine/testing/docs';
import { Trainer } from './trainer';
import type { MetricPoint, TrainEvent } from './types';

function trainer() {
  const backends: CpuBackend[] = [];
  const t = new Trainer({
    createBackend: async () => {
      const backend = new CpuBackend();
      backends.push(backend);
      return { backend, info: { kind: 'cpu' as const, device: 'CPU (JavaScript)' } };
    },
    loadDataset: async (doc: GraphDocument) => builtinDataset(doc.training.dataset, doc.training.seed),
  });
  const events: TrainEvent[] = [];
  t.subscribe((e) => events.push(e));
  const points = () => events.flatMap((e) => (e.type === 'metrics' ? e.points : [])) as MetricPoint[];
  const of = <K extends TrainEvent['type']>(type: K) => events.filter((e): e is Extract<TrainEvent, { type: K }> => e.type === type);
  return { t, events, points, of, backends };
}

function mlp(units = 16, training: Record<string, unknown> = {}): GraphDocument {
  return makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [2] }],
      ['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
      ['h', 'Dense', { units, activation: 'relu' }],
      ['logits', 'Dense', { units: 2 }],
      ['loss', 'SoftmaxCrossEntropy'],
    ],
    ['x.y -> h.x', 'h.y -> logits.x', 'logits.y -> loss.pred', 'label.y -> loss.target'],
    { dataset: { kind: 'xor', size: 200, noise: 0.1 }, optimizer: { type: 'adam' }, lr: 0.01, batchSize: 20, epochs: 1000, seed: 3, ...training },
  );
}

const withTraining = (doc: GraphDocument, patch: Record<string, unknown>): GraphDocument => ({
  ...doc,
  training: TrainingConfig.parse({ ...doc.training, ...patch }),
});

async function until(cond: () => boolean, ms = 60_000) {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('the training session', () => {
  it('a fresh run on a used backend starts from exactly the weights and state a new backend gives', async () => {
    const a = trainer();
    await a.t.open(mlp());
    await a.t.step(12);
    await a.t.open(mlp()); // same backend, already trained with Adam
    await a.t.step(5);
    const b = trainer();
    await b.t.open(mlp());
    await b.t.step(5);
    expect(a.backends).toHaveLength(1);
    const reopened = a
      .points()
      .slice(12)
      .map((p) => p.loss);
    expect(reopened).toEqual(b.points().map((p) => p.loss));
    expect(
      a
        .points()
        .slice(12)
        .map((p) => p.step),
    ).toEqual([1, 2, 3, 4, 5]);
  });

  it('announces runs: started at the first step, ended when another document opens', async () => {
    const s = trainer();
    await s.t.open(mlp());
    expect(s.of('run_started')).toHaveLength(0);
    await s.t.step(2);
    const [started] = s.of('run_started');
    expect(started!.run).toMatchObject({ startStep: 0 });
    expect(started!.run.doc.nodes.map((n) => n.id)).toContain('h');
    await s.t.open(mlp(8));
    expect(s.of('run_ended')).toEqual([{ type: 'run_ended', run: started!.run.id, reason: 'closed' }]);
  });

  it('applies a learning-rate change live, at the next step, without pausing', async () => {
    const s = trainer();
    const doc = mlp();
    await s.t.open(doc);
    await s.t.train();
    await until(() => s.t.status.step >= 5);
    const report = await s.t.update(withTraining(doc, { lr: 0.5 }));
    expect(report).toMatchObject({ applied: 'live', change: { kind: 'live' } });
    expect(s.t.status.state).toBe('running');
    const at = s.t.status.step;
    await until(() => s.points().some((p) => p.step > at + 3));
    s.t.pause();
    await s.t.stop();
    const lrs = s.points().map((p) => [p.step, p.lr] as const);
    expect(lrs.filter(([step]) => step <= at).every(([, lr]) => lr === 0.01)).toBe(true);
    expect(lrs.filter(([step]) => step > at).every(([, lr]) => Math.abs(lr - 0.5) < 1e-12)).toBe(true);
    const changed = s.of('run_changed');
    expect(changed.at(-1)!.change).toMatchObject({ kind: 'live', step: at, reasons: ['learning rate 0.01 → 0.5'] });
  });

  it('a hot edit while training recompiles, keeps what it can and continues the run from its step', async () => {
    const s = trainer();
    const doc = mlp(16);
    await s.t.open(doc);
    await s.t.train();
    await until(() => s.t.status.step >= 20);
    const report = await s.t.update(mlp(24)); // a wider hidden layer: h's tensors reshape, logits' kernel too
    expect(report.applied).toBe('hot');
    const carried = report.carried!;
    expect(carried.kept).toContain('logits/bias');
    expect(carried.initialised).toEqual(expect.arrayContaining(['h/kernel', 'h/bias', 'logits/kernel']));
    expect(carried.keptParams).toBe(2);
    const at = s.of('run_changed').at(-1)!.change.step;
    expect(at).toBeGreaterThanOrEqual(20);
    await until(() => s.t.status.step >= at + 10);
    s.t.pause();
    await s.t.stop();
    const steps = s.points().map((p) => p.step);
    expect(steps).toEqual(steps.map((_s, i) => i + 1)); // one run, no step repeated or skipped
    expect(s.of('run_started')).toHaveLength(1);
    expect(s.of('error')).toEqual([]);
  });

  it("⊞ expanding a TransformerBlock while it trains keeps every weight and optimizer slot under its parts' names", async () => {
    const s = trainer();
    const block = makeDoc(
      [
        ['x', 'Input', { field: 'x', shape: [2] }],
        ['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
        ['lift', 'Dense', { units: 8 }],
        ['seq', 'Reshape', { targetShape: [2, 4] }],
        ['blk', 'TransformerBlock', { heads: 2, keyDim: 2, ffnUnits: 8 }],
        ['flat', 'Flatten'],
        ['logits', 'Dense', { units: 2 }],
        ['loss', 'SoftmaxCrossEntropy'],
      ],
      ['x.y -> lift.x', 'lift.y -> seq.x', 'seq.y -> blk.x', 'blk.y -> flat.x', 'flat.y -> logits.x', 'logits.y -> loss.pred', 'label.y -> loss.target'],
      { dataset: { kind: 'xor', size: 200, noise: 0.1 }, optimizer: { type: 'adam' }, lr: 0.01, batchSize: 20, epochs: 1000, seed: 3 },
    );
    const opened = await s.t.open(block);
    expect(opened.errors.map((e) => e.message)).toEqual([]);
    await s.t.train();
    await until(() => s.t.status.step >= 5);
    const report = await s.t.update(expandComposite(block, 'blk'));
    expect(report.applied).toBe('hot');
    expect(report.carried!.initialised).toEqual([]);
    expect(report.carried!.keptParams).toBe(report.carried!.totalParams);
    expect(report.carried!.kept).toEqual(expect.arrayContaining(['blk_attn/query_kernel', 'blk_ln1/gamma', 'blk_ffn1/kernel']));
    const at = s.of('run_changed').at(-1)!.change.step;
    await until(() => s.t.status.step >= at + 3);
    s.t.pause();
    await s.t.stop();
    expect(s.of('error')).toEqual([]);
  });

  it('drag, rename or relabel while paused, then Resume: the same step and the same weights', async () => {
    const s = trainer();
    const doc = mlp();
    await s.t.open(doc);
    await s.t.step(7);
    const before = await s.t.getWeights();
    const moved = {
      ...doc,
      nodes: doc.nodes.map((n) => ({ ...n, position: { x: n.position.x + 100, y: 3 }, label: `renamed ${n.id}` })),
      meta: { ...doc.meta, name: 'renamed' },
    };
    expect((await s.t.update(moved)).applied).toBe('none');
    expect(await s.t.getWeights()).toEqual(before);
    await s.t.step(1);
    expect(s.t.status.step).toBe(8);
    expect(s.points().at(-1)!.step).toBe(8);
  });

  it('an edit only a new run can take changes nothing, and says so; an invalid graph leaves the run alone', async () => {
    const s = trainer();
    const doc = mlp();
    await s.t.open(doc);
    await s.t.step(4);
    const weights = await s.t.getWeights();
    const other = await s.t.update(withTraining(doc, { dataset: { kind: 'circle', size: 200 } }));
    expect(other).toMatchObject({ applied: 'restart-needed', change: { kind: 'restart' } });
    const broken = { ...doc, edges: doc.edges.filter((e) => e.to.node !== 'logits') };
    const invalid = await s.t.update(broken);
    expect(invalid.applied).toBe('invalid');
    expect(invalid.errors[0]!.node).toBe('logits');
    expect(await s.t.getWeights()).toEqual(weights);
    await s.t.step(1);
    expect(s.t.status.step).toBe(5);
  });

  it('rolls back to a checkpoint and the run retraces the same steps', async () => {
    const s = trainer();
    s.t.setCheckpointPolicy({ everySteps: 1, keep: 100 });
    await s.t.open(mlp(16, { lr: 0.02 }));
    await s.t.step(5);
    await s.t.step(5);
    const first = s
      .points()
      .filter((p) => p.step > 5)
      .map((p) => p.loss);
    const checkpoints = s.of('checkpoints').at(-1)!.checkpoints;
    expect(checkpoints.map((c) => c.step)).toContain(5);
    await s.t.rollback(5);
    expect(s.t.status.step).toBe(5);
    expect(s.of('run_changed').at(-1)!.change).toMatchObject({ kind: 'rollback', step: 5 });
    const mark = s.points().length;
    await s.t.step(5);
    expect(
      s
        .points()
        .slice(mark)
        .map((p) => p.loss),
    ).toEqual(first);
  });

  it("refuses labels outside the loss's classes before training, naming the node, label and sample", async () => {
    const s = trainer();
    const narrow = makeDoc(
      [
        ['x', 'Input', { field: 'x', shape: [2] }],
        ['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
        ['logits', 'Dense', { units: 1 }],
        ['loss', 'SoftmaxCrossEntropy'],
      ],
      ['x.y -> logits.x', 'logits.y -> loss.pred', 'label.y -> loss.target'],
      { dataset: { kind: 'xor', size: 200, noise: 0.1 }, batchSize: 20, seed: 3 },
    );
    const report = await s.t.open(narrow);
    expect(report.ok).toBe(false);
    expect(report.errors[0]).toMatchObject({ code: 'bad_label', node: 'loss', message: expect.stringMatching(/label 1 at sample \d+/) });
    const ok = await s.t.open(mlp());
    expect(ok.ok).toBe(true);
    await s.t.step(1);
    expect((await s.t.update(narrow)).errors[0]).toMatchObject({ code: 'bad_label', node: 'loss' });
  });

  it('forks a new run from a checkpoint with other settings; the parent is named', async () => {
    const s = trainer();
    s.t.setCheckpointPolicy({ everySteps: 1, keep: 100 });
    const doc = mlp();
    await s.t.open(doc);
    await s.t.step(6);
    const parent = s.of('run_started')[0]!.run.id;
    const report = await s.t.fork(parent, 6, withTraining(doc, { lr: 0.1 }));
    expect(report.ok).toBe(true);
    await s.t.step(2);
    const child = s.of('run_started')[1]!.run;
    expect(child).toMatchObject({ startStep: 6, parent: { run: parent, step: 6 } });
    expect(child.doc.training.lr).toBe(0.1);
    expect(s.of('run_ended')).toEqual([{ type: 'run_ended', run: parent, reason: 'forked' }]);
    expect(
      s
        .points()
        .slice(-2)
        .map((p) => [p.step, p.lr]),
    ).toEqual([
      [7, 0.1],
      [8, 0.1],
    ]);
    await expect(s.t.fork(parent, 3_000, doc)).rejects.toThrow(/no checkpoint at step 3000/);
  });

  it('weights loaded into a new run are trained from, not replaced: the run is paused at its start', async () => {
    const trained = trainer();
    await trained.t.open(mlp());
    await trained.t.step(30);
    const file = await trained.t.saveWeights();
    const s = trainer();
    await s.t.open(mlp());
    const match = await s.t.loadWeights(file);
    expect(match.matched).toHaveLength(4);
    expect(s.t.status.state).toBe('paused');
    expect(await s.t.getWeights()).toEqual(await trained.t.getWeights());
    await s.t.step(1);
    // The first step starts from the loaded weights: its loss is the trained run's level, not a fresh start's.
    const fresh = trainer();
    await fresh.t.open(mlp());
    await fresh.t.step(1);
    expect(s.points()[0]!.loss).toBeLessThan(fresh.points()[0]!.loss);
  });

  it('exports the run as PyTorch code with its weights, and as ONNX', async () => {
    const s = trainer();
    await s.t.open(mlp());
    await s.t.step(2);
    const files = unzipSync(await s.t.exportPyTorch());
    expect(Object.keys(files).sort()).toEqual(['README.md', 'model.py', 'train.py', 'weights.safetensors']);
    expect(strFromU8(files['model.py']!)).toMatch(/class Model\(nn\.Module\)/);
    expect(files['weights.safetensors']).toEqual(await s.t.saveWeights());
    const onnx = await s.t.exportOnnx();
    expect(onnx.byteLength).toBeGreaterThan(100);
  });
});
