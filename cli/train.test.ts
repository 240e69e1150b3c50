/**
 * `wiregrad train` and `export` in-process (CPU backend): the same losses as the tab's Trainer step
 * for step, on a built-in dataset and on a CSV file; event files read back by an independent decoder;
 * weights written as safetensors; bad input named and refused with exit code 2. The WebGPU and WASM
 * backends: cli/trainBackends.gpu.test.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/backends/cpu/backend';
import { builtinDataset, type Dataset } from '../engine/data';
import { csvDataset, parseCsv } from '../engine/data/csv';
import type { GraphDocument } from '../engine/graph/document';
import { TrainingConfig } from '../engine/graph/training';
import { decodeModel } from '../engine/interchange/onnx/proto';
import { decodeTensor, readSafetensors } from '../engine/interchange/safetensors';
import { makeDoc, twoLayerDoc } from '../engine/testing/docs';
import { Trainer } from '../workers/trainer';
import type { MetricPoint } from '../workers/types';
import { cli, eventsIn, scalarSeries, temp, writeDoc } from './testing';

/** The classic 2-layer template, trained on all its samples (the template's batch is the whole set). */
const twoLayer = (opts: Parameters<typeof twoLayerDoc>[0]): GraphDocument => {
  const doc = twoLayerDoc(opts);
  return { ...doc, training: TrainingConfig.parse({ ...doc.training, validationSplit: 0 }) };
};

/** The tab's session, in-process: `steps` steps of `doc` on the CPU, every logged point. */
async function trainerPoints(doc: GraphDocument, dataset: Dataset, steps: number) {
  const t = new Trainer({
    createBackend: async () => ({ backend: new CpuBackend(), info: { kind: 'cpu' as const, device: 'CPU' } }),
    loadDataset: async () => dataset,
  });
  const points: MetricPoint[] = [];
  t.subscribe((e) => e.type === 'metrics' && points.push(...e.points));
  expect((await t.open(doc)).ok).toBe(true);
  await t.step(steps);
  return { points, weights: await t.getWeights() };
}

function weightsOf(path: string): Record<string, Float32Array> {
  const file = readSafetensors(new Uint8Array(readFileSync(path)));
  return Object.fromEntries([...file.tensors].map(([name, t]) => [name, decodeTensor(t).data as Float32Array]));
}

describe('wiregrad train', () => {
  it('reproduces the Trainer step for step on the 2-layer template, logs it to TensorBoard and writes its weights', async () => {
    const dir = temp();
    const doc = twoLayer({ n: 32, dIn: 40, h: 16, dOut: 4, lr: 1e-4, seed: 5 });
    const path = writeDoc(dir, doc);
    const out = join(dir, 'w.safetensors');
    const logs = join(dir, 'logs');
    const run = await cli('train', path, '--backend', 'cpu', '--steps', '25', '--out', out, '--logdir', logs, '--histogram-every', '10');
    expect(run.err).toContain('step 25/25');
    expect(run.code).toBe(0);

    const ref = await trainerPoints({ ...doc, training: { ...doc.training, steps: 25 } }, builtinDataset(doc.training.dataset, doc.training.seed), 25);
    expect(ref.points).toHaveLength(25);
    const events = eventsIn(logs);
    expect(events[0]!.fileVersion).toBe('brain.Event:2');
    const losses = scalarSeries(events, 'loss');
    expect(losses).toEqual(ref.points.map((p) => [p.step, Math.fround(p.loss)]));
    expect(losses[0]![1]).toBeGreaterThan(losses.at(-1)![1]); // it trains
    expect(scalarSeries(events, 'lr').map(([, v]) => v)).toEqual(ref.points.map((p) => Math.fround(p.lr)));
    expect(scalarSeries(events, 'grad_norm').map(([, v]) => v)).toEqual(ref.points.map((p) => Math.fround(p.gradNorm)));

    // A histogram of each parameter (and its gradient), counting every value.
    const histos = events.filter((e) => Object.keys(e.histograms).length);
    expect(histos.length).toBeGreaterThan(0);
    const h = histos.at(-1)!.histograms;
    expect(Object.keys(h).sort()).toEqual(['gradients/w1.value', 'gradients/w2.value', 'weights/w1.value', 'weights/w2.value'].sort());
    expect(h['weights/w1.value']!.num).toBe(40 * 16);
    expect(h['weights/w1.value']!.counts.reduce((a, b) => a + b)).toBe(40 * 16);

    const written = weightsOf(out);
    expect(Object.keys(written).sort()).toEqual(['w1.value', 'w2.value']);
    expect(written['w1.value']).toEqual(ref.weights['w1/value']);
    expect(written['w2.value']).toEqual(ref.weights['w2/value']);
  });

  it('trains on a CSV file given with --data, as the Trainer does on the same table', async () => {
    const dir = temp();
    const rows = ['a,b,kind'];
    for (let i = 0; i < 60; i++) {
      const a = ((i * 37) % 60) / 10 - 3;
      const b = ((i * 11) % 60) / 10 - 3;
      rows.push(`${a},${b},${a + b > 0 ? 'up' : 'down'}`);
    }
    const csv = join(dir, 'points.csv');
    writeFileSync(csv, `${rows.join('\n')}\n`);
    const doc = makeDoc(
      [
        ['x', 'Input', { field: 'x', shape: [2] }],
        ['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
        ['h', 'Dense', { units: 8, activation: 'tanh' }],
        ['logits', 'Dense', { units: 2 }],
        ['loss', 'SoftmaxCrossEntropy'],
        ['acc', 'Accuracy'],
      ],
      ['x.y -> h.x', 'h.y -> logits.x', 'logits.y -> loss.pred', 'label.y -> loss.target', 'logits.y -> acc.pred', 'label.y -> acc.target'],
      {
        dataset: { kind: 'csv', name: 'uploaded.csv', label: 'kind' },
        optimizer: { type: 'adam' },
        lr: 0.05,
        batchSize: 8,
        epochs: 3,
        seed: 2,
        validationSplit: 0.2,
      },
    );
    const path = writeDoc(dir, doc);
    const logs = join(dir, 'logs');
    const run = await cli('train', path, '--data', csv, '--backend', 'cpu', '--out', join(dir, 'w.safetensors'), '--logdir', logs, '--histogram-every', '0');
    expect(run.code).toBe(0);
    const events = eventsIn(logs);
    const table = csvDataset(
      parseCsv(readFileSync(csv, 'utf8')),
      doc.training.dataset as Extract<GraphDocument['training']['dataset'], { kind: 'csv' }>,
      doc.training,
    ).dataset;
    const ref = await trainerPoints(doc, table, 18); // 48 training rows / 8 × 3 epochs
    expect(scalarSeries(events, 'loss')).toEqual(ref.points.map((p) => [p.step, Math.fround(p.loss)]));
    expect(scalarSeries(events, 'metrics/acc').map(([, v]) => v)).toEqual(ref.points.map((p) => Math.fround(p.metrics.acc!)));
    const validation = scalarSeries(events, 'validation/loss');
    expect(validation.at(-1)![0]).toBe(18);
    expect(scalarSeries(events, 'validation/acc').length).toBe(validation.length);
    expect(events.every((e) => Object.keys(e.histograms).length === 0)).toBe(true);
  });

  it('exits 1 when the loss goes non-finite, naming the step, and still writes the weights from before it', async () => {
    const dir = temp();
    const path = writeDoc(dir, twoLayer({ n: 16, dIn: 20, h: 8, dOut: 3, lr: 10, seed: 1 }));
    const out = join(dir, 'w.safetensors');
    const run = await cli('train', path, '--backend', 'cpu', '--steps', '200', '--out', out);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/the loss became (NaN|Infinity|-Infinity) at step \d+/);
    const w = weightsOf(out);
    expect(Object.values(w).every((a) => a.every(Number.isFinite))).toBe(true);
  });

  it('refuses bad input with exit code 2, naming the file, the node or the flag', async () => {
    const dir = temp();
    const missing = await cli('train', join(dir, 'nope.json'), '--backend', 'cpu');
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.err).toContain('nope.json: no such file');

    const invalid = await cli('train', writeDoc(dir, '{"format": "wiregrad.graph", ', 'bad.json'), '--backend', 'cpu');
    expect(invalid.code).toBe(2);
    expect(invalid.err).toMatch(/bad\.json is not a Wiregrad document:\n {2}invalid_json/);

    const doc = twoLayerDoc({ n: 8, dIn: 4, h: 3, dOut: 2 });
    const unknown = { ...doc, nodes: doc.nodes.map((n) => (n.id === 'relu' ? { ...n, type: 'Frobnicate' } : n)) };
    const typed = await cli('train', writeDoc(dir, unknown, 'unknown.json'), '--backend', 'cpu');
    expect(typed.code).toBe(2);
    expect(typed.err).toMatch(/Frobnicate.*\(node "relu"/);

    const wrongField = { ...doc, nodes: doc.nodes.map((n) => (n.id === 'x' ? { ...n, params: { ...n.params, field: 'pixels' } } : n)) };
    const field = await cli('train', writeDoc(dir, wrongField, 'field.json'), '--backend', 'cpu');
    expect(field.code).toBe(2);
    expect(field.err).toMatch(/pixels.*node "x"/);

    expect((await cli('train', writeDoc(dir, doc, 'ok.json'), '--steps', 'many')).code).toBe(2);
    expect((await cli('train', join(dir, 'ok.json'), '--data', join(dir, 'x.csv'))).err).toContain(
      '--data gives the CSV file of a document whose dataset is a CSV file',
    );
    expect((await cli('frobnicate')).code).toBe(2);
  });
});

describe('wiregrad export', () => {
  it('writes the trained model as ONNX and as PyTorch code with the weights from train', async () => {
    const dir = temp();
    const doc = makeDoc(
      [
        ['x', 'Input', { field: 'x', shape: [2] }],
        ['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
        ['h', 'Dense', { units: 4, activation: 'relu' }],
        ['logits', 'Dense', { units: 2 }],
        ['loss', 'SoftmaxCrossEntropy'],
      ],
      ['x.y -> h.x', 'h.y -> logits.x', 'logits.y -> loss.pred', 'label.y -> loss.target'],
      { dataset: { kind: 'xor', size: 40 }, batchSize: 8, steps: 3, seed: 1 },
    );
    const path = writeDoc(dir, doc);
    const weights = join(dir, 'w.safetensors');
    expect((await cli('train', path, '--backend', 'cpu', '--out', weights)).code).toBe(0);
    const onnx = join(dir, 'm.onnx');
    const run = await cli('export', path, '--weights', weights, '--onnx', onnx);
    expect(run.err).toContain('wrote');
    expect(run.code).toBe(0);
    const model = decodeModel(new Uint8Array(readFileSync(onnx)));
    const init = new Map(model.graph.initializer.map((t) => [t.name, t]));
    const kernel = init.get('h.kernel')!;
    expect(kernel.dims).toEqual([2, 4]);
    const stored = new Float32Array(kernel.raw_data!.slice().buffer);
    expect(stored).toEqual(weightsOf(weights)['h.kernel']);

    const torch = await cli('export', path, '--weights', weights, '--pytorch', join(dir, 'py'));
    expect(torch.code).toBe(0);
    expect(readFileSync(join(dir, 'py', 'model.py'), 'utf8')).toMatch(/class Model\(nn\.Module\)/);
    expect(readFileSync(join(dir, 'py', 'weights.safetensors'))).toEqual(readFileSync(weights));
    expect((await cli('export', path, '--weights', weights)).code).toBe(2);
    const missing = await cli('export', path, '--weights', join(dir, 'none.safetensors'), '--onnx', onnx);
    expect(missing.code).toBe(2);
    const other = makeDoc(
      [
        ['x', 'Input', { field: 'x', shape: [2] }],
        ['h', 'Dense', { units: 5 }],
      ],
      ['x.y -> h.x'],
      { dataset: { kind: 'xor', size: 40 } },
    );
    const mismatch = await cli('export', writeDoc(dir, other, 'other.json'), '--weights', weights, '--onnx', onnx);
    expect(mismatch.code).toBe(2);
    expect(mismatch.err).toMatch(/node "h": tensor "h.kernel" is \[2, 4\]/);
  });
});
