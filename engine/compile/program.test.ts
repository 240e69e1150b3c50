/**
 * The Program's training-loop API: steps without readback drained in batches, the logged gradient
 * norm, a dataset held on the backend, the NaN latch with replay, and the op view of the program.
 */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backends/cpu/backend';
import { builtinDataset, gatherBatch } from '../data';
import { makeDoc } from '../testing/docs';
import { Program } from './program';

const classifier = (training: Record<string, unknown> = {}) =>
  makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [2] }],
      ['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
      ['hidden', 'Dense', { units: 8, activation: 'tanh' }],
      ['logits', 'Dense', { units: 2 }],
      ['loss', 'SoftmaxCrossEntropy', { labels: 'sparse' }],
      ['acc', 'Accuracy', { labels: 'sparse' }],
    ],
    ['x.y -> hidden.x', 'hidden.y -> logits.x', 'logits.y -> loss.pred', 'label.y -> loss.target', 'logits.y -> acc.pred', 'label.y -> acc.target'],
    { dataset: { kind: 'xor', size: 64, noise: 0.1 }, optimizer: { type: 'adam' }, lr: 0.05, batchSize: 16, seed: 5, ...training },
  );

const doc = classifier();
const data = builtinDataset(doc.training.dataset, doc.training.seed);
const batchAt = (k: number) => Int32Array.from({ length: 16 }, (_v, i) => (k * 16 + i) % data.length);

describe('Program.run and drain', () => {
  it('logs every step on the device and drains the same losses and metrics that step-by-step reads give', async () => {
    const stepwise = await Program.create(doc, new CpuBackend());
    const expected: { loss: number; acc: number }[] = [];
    for (let k = 0; k < 7; k++) {
      const loss = await stepwise.step(gatherBatch(data, batchAt(k)));
      expected.push({ loss, acc: (await stepwise.metrics()).acc! });
    }

    const batched = await Program.create(doc, new CpuBackend());
    for (let k = 0; k < 7; k++) await batched.run(gatherBatch(data, batchAt(k)));
    const records = await batched.drain();
    expect(records.map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    records.forEach((r, k) => {
      expect(r.loss).toBeCloseTo(expected[k]!.loss, 6);
      expect(r.metrics.acc).toBeCloseTo(expected[k]!.acc, 6);
      expect(r.lr).toBe(0.05);
    });
    expect(await batched.drain()).toEqual([]);
  });

  it('logs the global gradient norm: the L2 norm over every parameter gradient, in float64', async () => {
    const program = await Program.create(doc, new CpuBackend());
    await program.run(gatherBatch(data, batchAt(0)));
    const grads = await program.readGradients();
    expect(Object.keys(grads).sort()).toEqual(['hidden/bias', 'hidden/kernel', 'logits/bias', 'logits/kernel']);
    let sum = 0;
    for (const g of Object.values(grads)) for (const v of g) sum += v * v;
    const [record] = await program.drain();
    expect(record!.gradNorm).toBeGreaterThan(0);
    expect(record!.gradNorm).toBeCloseTo(Math.sqrt(sum), 5);
  });
});

describe('a resident dataset', () => {
  it('gathers batches on the backend from sample indices and trains exactly as fed batches do', async () => {
    const fed = await Program.create(doc, new CpuBackend());
    const resident = await Program.create(doc, new CpuBackend(), { resident: data.data });
    expect(resident.resident).toBe(true);
    for (let k = 0; k < 5; k++) {
      await fed.run(gatherBatch(data, batchAt(k)));
      await resident.stepIndices(batchAt(k));
    }
    const a = await fed.drain();
    const b = await resident.drain();
    expect(b.map((r) => r.loss)).toEqual(a.map((r) => r.loss));
    await expect(resident.run(gatherBatch(data, batchAt(0)))).rejects.toThrow(/stepIndices/);
    await expect(resident.stepIndices(new Int32Array(3))).rejects.toThrow(/exactly 16 sample indices/);
  });
});

describe('the NaN latch', () => {
  // log of a Dense output that goes negative: the loss becomes NaN, first at node "lg".
  const nanDoc = makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [2] }],
      ['y', 'Input', { field: 'y', shape: [1] }],
      ['d', 'Dense', { units: 1 }],
      ['lg', 'log'],
      ['loss', 'MSELoss'],
    ],
    ['x.y -> d.x', 'd.y -> lg.x', 'lg.y -> loss.pred', 'y.y -> loss.target'],
    { dataset: { kind: 'plane', size: 40, noise: 0 }, optimizer: { type: 'sgd' }, lr: 0.01, batchSize: 40, seed: 1 },
  );
  const plane = builtinDataset(nanDoc.training.dataset, 1);

  it('keeps every variable as it was before the first non-finite step, and replay shows where it appeared', async () => {
    const program = await Program.create(nanDoc, new CpuBackend());
    const before = await program.getWeights();
    for (let k = 0; k < 4; k++)
      await program.run(
        gatherBatch(
          plane,
          Int32Array.from({ length: 40 }, (_v, i) => i),
        ),
      );
    const records = await program.drain();
    const bad = records.find((r) => !Number.isFinite(r.loss))!;
    expect(bad.step).toBe(1);
    // No update applied after the NaN: the weights are still the initial ones.
    expect(await program.getWeights()).toEqual(before);

    await program.replay(
      bad.step,
      gatherBatch(
        plane,
        Int32Array.from({ length: 40 }, (_v, i) => i),
      ),
    );
    const counts = await program.nonFiniteCounts(['x', 'd', 'lg', 'loss']);
    expect(counts.get('x')).toBe(0);
    expect(counts.get('d')).toBe(0);
    expect(counts.get('lg')).toBeGreaterThan(0);

    await program.resumeBefore(bad.step);
    expect(program.stepCount).toBe(0);
  });

  it('lets training continue after the latch is cleared', async () => {
    const program = await Program.create(doc, new CpuBackend());
    await program.run(gatherBatch(data, batchAt(0)));
    const w1 = await program.getWeights();
    await program.resumeBefore(2);
    await program.run(gatherBatch(data, batchAt(1)));
    expect(await program.getWeights()).not.toEqual(w1);
  });
});

describe('Program.opGraph', () => {
  it('lists the forward ops by document node, the gradient ops autodiff made, and the updates', async () => {
    const program = await Program.create(doc, new CpuBackend());
    const ops = program.opGraph();
    const forwardOfHidden = ops.filter((o) => o.origin === 'hidden' && o.phase === 'forward').map((o) => o.label);
    expect(forwardOfHidden).toEqual(expect.arrayContaining(['hidden/kernel', 'matmul', 'add', 'tanh']));
    const backwardOfHidden = ops.filter((o) => o.origin === 'hidden' && o.phase === 'backward').map((o) => o.label);
    expect(backwardOfHidden).toContain('matmul'); // x^T · dY and dY · W^T
    expect(ops.some((o) => o.phase === 'update')).toBe(true);
    // Ids index the list and inputs point backwards: a DAG the page can draw.
    ops.forEach((o, i) => {
      expect(o.id).toBe(i);
      o.inputs.forEach((j) => expect(j).toBeLessThan(i));
    });
  });
});

describe('Program.forward', () => {
  it('computes and reads back only the nodes asked for, with the same values as a full pass', async () => {
    const backend = new CpuBackend();
    const program = await Program.create(doc, backend);
    await program.step(gatherBatch(data, batchAt(0)));
    const batch = gatherBatch(
      data,
      Int32Array.from({ length: 40 }, (_v, i) => i),
    );
    const all = await program.forward(batch);
    expect([...all.keys()]).toEqual(expect.arrayContaining(['hidden', 'logits', 'loss', 'acc']));
    const some = await program.forward(batch, { nodes: ['loss', 'acc'] });
    expect([...some.keys()].sort()).toEqual(['acc', 'loss']);
    expect(some.get('loss')!.loss!.data[0]).toBe(all.get('loss')!.loss!.data[0]);
    expect(some.get('acc')!.value!.data[0]).toBe(all.get('acc')!.value!.data[0]);
    // Another batch size and back: each prepared program is kept and gives the same answer again.
    const small = await program.forward(gatherBatch(data, batchAt(1)), { nodes: ['loss'] });
    expect(small.get('loss')!.loss!.shape).toEqual([]);
    const again = await program.forward(batch, { nodes: ['loss', 'acc'] });
    expect(again.get('loss')!.loss!.data[0]).toBe(all.get('loss')!.loss!.data[0]);
    program.dispose();
  });

  it('prepares only the wanted outputs, keeps the four most recent programs and disposes older ones', async () => {
    const backend = new CpuBackend();
    const prepared: { outputs: number; disposed: boolean }[] = [];
    const prepare = backend.prepare.bind(backend);
    backend.prepare = async (graph, spec) => {
      const exec = await prepare(graph, spec);
      const entry = { outputs: spec.outputs.length, disposed: false };
      prepared.push(entry);
      const dispose = exec.dispose.bind(exec);
      exec.dispose = () => ((entry.disposed = true), dispose());
      return exec;
    };
    const program = await Program.create(doc, backend);
    const training = prepared.length;
    const sized = (n: number) =>
      gatherBatch(
        data,
        Int32Array.from({ length: n }, (_v, i) => i),
      );
    await program.forward(sized(8));
    await program.forward(sized(8), { nodes: ['loss'] });
    const [all, lossOnly] = prepared.slice(training);
    expect(lossOnly!.outputs).toBe(1);
    expect(all!.outputs).toBeGreaterThan(4);
    // Three more shapes: five prepared in all, the least recently used (all outputs, batch 8) goes.
    await Promise.all([4, 5, 6].map((n) => program.forward(sized(n), { nodes: ['loss'] })));
    expect(prepared.slice(training).map((p) => p.disposed)).toEqual([true, false, false, false, false]);
    // The loss-only program is still prepared: using it again prepares nothing new.
    await program.forward(sized(8), { nodes: ['loss'] });
    expect(prepared.length).toBe(training + 5);
    program.dispose();
    expect(prepared.every((p) => p.disposed)).toBe(true);
  });
});
