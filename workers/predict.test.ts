import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/backends/cpu/backend';
import { builtinDataset, splitIndices } from '../engine/data';
import { fitScaling } from '../engine/data/scaling';
import type { GraphDocument } from '../engine/graph/document';
import { makeDoc } from '../engine/testing/docs';
import { classProbabilities, recoverScaling } from './predict';
import { Trainer } from './trainer';

const deps = {
  createBackend: async () => ({ backend: new CpuBackend(), info: { kind: 'cpu' as const, device: 'CPU (JavaScript)' } }),
  loadDataset: async (doc: GraphDocument) => builtinDataset(doc.training.dataset, doc.training.seed, doc.training.validationSplit),
};

function classifier(dataset: Record<string, unknown>, inputs: number, classes: number) {
  return makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [inputs] }],
      ['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
      ['h', 'Dense', { units: 8, activation: 'relu' }],
      ['logits', 'Dense', { units: classes }],
      ['loss', 'SoftmaxCrossEntropy'],
    ],
    ['x.y -> h.x', 'h.y -> logits.x', 'logits.y -> loss.pred', 'label.y -> loss.target'],
    { dataset, optimizer: { type: 'adam' }, lr: 0.02, batchSize: 10, epochs: 50, seed: 3, validationSplit: 0.2 },
  );
}

/** The MLP by hand in float64 from the weights the trainer reports: relu(x·W1 + b1)·W2 + b2. */
function mlpByHand(w: Record<string, Float32Array>, x: ArrayLike<number>, hidden: number, classes: number): number[] {
  const find = (node: string, v: string) => w[Object.keys(w).find((k) => k.startsWith(node) && k.endsWith(v))!]!;
  const [k1, b1, k2, b2] = [find('h', 'kernel'), find('h', 'bias'), find('logits', 'kernel'), find('logits', 'bias')];
  const h = Array.from({ length: hidden }, (_v, j) => Math.max(0, b1[j]! + Array.from(x).reduce((s, xi, i) => s + xi * k1[i * hidden + j]!, 0)));
  return Array.from({ length: classes }, (_v, c) => b2[c]! + h.reduce((s, hj, j) => s + hj * k2[j * classes + c]!, 0));
}

describe('predict (the inference panel command)', () => {
  it('gives the logits of the weights held now, as an MLP computed by hand in float64, and their softmax', async () => {
    const t = new Trainer(deps);
    expect((await t.open(classifier({ kind: 'xor', size: 100, noise: 0.1 }, 2, 2))).ok).toBe(true);
    await t.step(12);
    const info = await t.predictInfo();
    expect(info).toMatchObject({
      field: 'x',
      shape: [2],
      dataShape: [2],
      task: 'class',
      output: { node: 'logits', port: 'y' },
      validation: 20,
      scalesInput: false,
    });
    const xs = builtinDataset({ kind: 'xor', size: 100, noise: 0.1 }, 3).data.x!.filter((_v, i) => i % 2 === 0);
    expect(info.bounds![0]).toBe(Math.min(...xs));
    expect(info.bounds![1]).toBe(Math.max(...xs));
    const x = Float32Array.from([0.7, -1.3]);
    const p = await t.predict({ kind: 'values', values: x });
    expect(p.step).toBe(12);
    const want = mlpByHand(await t.getWeights(), x, 8, 2);
    p.output.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
    const z = want.map((v) => Math.exp(v)).reduce((a, b) => a + b);
    p.probabilities!.forEach((v, i) => expect(v).toBeCloseTo(Math.exp(want[i]!) / z, 6));
    expect(p.predicted).toBe(want[0]! > want[1]! ? 0 : 1);
    // Predicting takes no training step.
    expect(t.status.step).toBe(12);
  });

  it('a validation sample comes with its true label, and equals predicting its values', async () => {
    const doc = classifier({ kind: 'xor', size: 100, noise: 0.1 }, 2, 2);
    const t = new Trainer(deps);
    await t.open(doc);
    await t.step(5);
    const ds = builtinDataset(doc.training.dataset, doc.training.seed);
    const { validation } = splitIndices(ds.length, 0.2, doc.training.seed);
    const p = await t.predict({ kind: 'sample', index: 3 });
    const src = validation[3]!;
    expect(p.truth).toEqual({ label: ds.data.label![src], index: 3 });
    expect(Array.from(p.input)).toEqual(Array.from(ds.data.x!.subarray(2 * src, 2 * src + 2)));
    const same = await t.predict({ kind: 'values', values: p.input });
    expect(Array.from(same.output)).toEqual(Array.from(p.output));
    await expect(t.predict({ kind: 'sample', index: 20 })).rejects.toThrow(/no validation sample 20: the validation split holds 20/);
    await expect(t.predict({ kind: 'values', values: new Float32Array(3) })).rejects.toThrow(/3 values but field "x" takes 2/);
    await expect(t.predict({ kind: 'values', values: Float32Array.from([1, NaN]) })).rejects.toThrow(/input value 2 is not a number/);
  });

  it('typed Iris measurements in cm are standardized as training did: a validation flower typed by hand gives its own prediction', async () => {
    const doc = classifier({ kind: 'iris', scaling: 'standardize' }, 4, 3);
    const t = new Trainer(deps);
    await t.open(doc);
    await t.step(20);
    const info = await t.predictInfo();
    expect(info.scalesInput).toBe(true);
    expect(info.featureNames).toEqual(['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)']);
    expect(info.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    const raw = builtinDataset({ kind: 'iris', scaling: 'none' }, 3, 0.2).data.x!;
    const { validation } = splitIndices(150, 0.2, 3);
    for (const index of [0, 7, 29]) {
      const sample = await t.predict({ kind: 'sample', index });
      const typed = await t.predict({ kind: 'values', values: Float32Array.from(raw.subarray(4 * validation[index]!, 4 * validation[index]! + 4)) });
      typed.input.forEach((v, i) => expect(v).toBeCloseTo(sample.input[i]!, 5));
      typed.output.forEach((v, i) => expect(v).toBeCloseTo(sample.output[i]!, 4));
    }
  });

  it('returns the open probes as readings of this input (values only)', async () => {
    const t = new Trainer(deps);
    await t.open(classifier({ kind: 'xor', size: 100, noise: 0.1 }, 2, 2));
    await t.step(3);
    const x = Float32Array.from([0.2, 0.4]);
    const p = await t.predict({
      kind: 'values',
      values: x,
      probes: [
        { key: 'k1', node: 'h' },
        { key: 'k2', node: 'h', variable: 'h/kernel' },
      ],
    });
    const w = await t.getWeights();
    const k = w[Object.keys(w).find((n) => n.startsWith('h') && n.endsWith('kernel'))!]!;
    const b = w[Object.keys(w).find((n) => n.startsWith('h') && n.endsWith('bias'))!]!;
    const h = Array.from({ length: 8 }, (_v, j) => Math.max(0, b[j]! + x[0]! * k[j]! + x[1]! * k[8 + j]!));
    expect(p.probes[0]!.value!.shape).toEqual([1, 8]);
    expect(p.probes[0]!.value!.stats.max).toBeCloseTo(Math.max(...h), 5);
    expect(p.probes[0]!.value!.stats.mean).toBeCloseTo(h.reduce((a, v) => a + v) / 8, 5);
    expect(p.probes[1]!.error).toMatch(/parameter/);
  });

  it("the picker's plane: each cell's class and confidence are the prediction at its centre; the dots are the data's own points and labels", async () => {
    const doc = classifier({ kind: 'spirals', size: 120, noise: 0.1 }, 2, 2);
    const t = new Trainer(deps);
    await t.open(doc);
    await t.step(15);
    const plane = (await t.predictPlane())!;
    const n = plane.resolution;
    expect(plane.predicted).toHaveLength(n * n);
    for (const cell of [0, n - 1, Math.floor((n * n) / 2) + 3, n * n - 1]) {
      const [i, j] = [Math.floor(cell / n), cell % n];
      const centre = Float32Array.from([plane.x0 + ((j + 0.5) * (plane.x1 - plane.x0)) / n, plane.y1 - ((i + 0.5) * (plane.y1 - plane.y0)) / n]);
      const p = await t.predict({ kind: 'values', values: centre });
      expect(plane.predicted[cell]).toBe(p.predicted);
      expect(plane.confidence[cell]).toBeCloseTo(p.probabilities![p.predicted!]!, 5);
    }
    // Every drawn dot is a sample of the dataset with its own label, and the plane covers them all.
    const ds = builtinDataset(doc.training.dataset, doc.training.seed, doc.training.validationSplit);
    const key = (x: number, y: number) => `${x},${y}`;
    const labelOf = new Map(Array.from(ds.data.label!, (l, s) => [key(ds.data.x![2 * s]!, ds.data.x![2 * s + 1]!), l]));
    expect(plane.labels.length).toBeGreaterThan(50);
    plane.labels.forEach((l, k) => {
      const [x, y] = [plane.points[2 * k]!, plane.points[2 * k + 1]!];
      expect(labelOf.get(key(x, y))).toBe(l);
      expect(x > plane.x0 && x < plane.x1 && y > plane.y0 && y < plane.y1).toBe(true);
    });
    // Not a classifier of 2-D points: no plane.
    const iris = new Trainer(deps);
    await iris.open(classifier({ kind: 'iris', scaling: 'standardize' }, 4, 3));
    expect(await iris.predictPlane()).toBeUndefined();
  });

  it('says why before anything is compiled', async () => {
    const t = new Trainer(deps);
    await expect(t.predict({ kind: 'sample', index: 0 })).rejects.toThrow(/nothing is compiled/);
    await expect(t.predictPlane()).rejects.toThrow(/nothing is compiled/);
  });
});

describe('recoverScaling', () => {
  it('recovers the standardize and min-max maps that fitScaling made, and constant columns', () => {
    const width = 3;
    const raw = Float32Array.from([1, 5, 2, 3, 5, -4, 7, 5, 0.5, 2, 5, 9]);
    for (const kind of ['standardize', 'minmax'] as const) {
      const fit = fitScaling(raw, width, [0, 1, 2, 3], [0, 1, 2], kind);
      const scaled = raw.map((v, i) => (v - fit.offset[i % width]!) / fit.scale[i % width]!);
      const got = recoverScaling(raw, scaled, width);
      for (const c of [0, 2]) {
        expect(got.offset[c]).toBeCloseTo(fit.offset[c]!, 4);
        expect(got.scale[c]).toBeCloseTo(fit.scale[c]!, 4);
      }
      expect(got.constant[1]).toBe(scaled[1]);
    }
  });
});

describe('classProbabilities', () => {
  it('is the softmax of the logits, and [1 − p, p] for one logit', () => {
    const p = classProbabilities([1000, 1001, 999]);
    const e = [Math.exp(-1), 1, Math.exp(-2)];
    const z = e[0]! + e[1]! + e[2]!;
    p.forEach((v, i) => expect(v).toBeCloseTo(e[i]! / z, 6));
    const s = classProbabilities([0.3]);
    expect(s[1]).toBeCloseTo(1 / (1 + Math.exp(-0.3)), 6);
    expect(s[0]! + s[1]!).toBeCloseTo(1, 6);
  });
});

describe('predict on a picture', () => {
  it('resizes and converts it as the image datasets do (engine/data/images), then predicts', async () => {
    const doc = makeDoc(
      [
        // The graph reads the pictures flattened, as the MNIST MLP does; the data holds them as [4, 4, 1].
        ['x', 'Input', { field: 'x', shape: [16] }],
        ['y', 'Input', { field: 'y', shape: [1] }],
        ['out', 'Dense', { units: 1 }],
        ['loss', 'MSELoss'],
      ],
      ['x.y -> out.x', 'out.y -> loss.pred', 'y.y -> loss.target'],
      {
        dataset: { kind: 'random', inputShape: [4, 4, 1], targetShape: [1], size: 20, seed: 1 },
        optimizer: { type: 'sgd' },
        lr: 0.01,
        batchSize: 4,
        epochs: 1,
        seed: 1,
      },
    );
    const t = new Trainer(deps);
    expect((await t.open(doc)).errors).toEqual([]);
    expect(await t.predictInfo()).toMatchObject({ shape: [16], dataShape: [4, 4, 1], task: 'value' });
    // An 8×8 RGBA picture: left half red, right half white; 2×2 blocks average exactly (half-pixel centres).
    const rgba = new Uint8Array(8 * 8 * 4);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) rgba.set(x < 4 ? [255, 0, 0, 255] : [255, 255, 255, 255], 4 * (y * 8 + x));
    const p = await t.predict({ kind: 'image', image: { width: 8, height: 8, rgba } });
    const [red, white] = [0.2989, 0.2989 + 0.587 + 0.114];
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) expect(p.input[y * 4 + x]).toBeCloseTo(x < 2 ? red : white, 5);
    const w = await t.getWeights();
    const k = w[Object.keys(w).find((n) => n.endsWith('kernel'))!]!;
    const b = w[Object.keys(w).find((n) => n.endsWith('bias'))!]!;
    expect(p.output[0]).toBeCloseTo(b[0]! + Array.from(p.input).reduce((s, v, i) => s + v * k[i]!, 0), 5);
    expect(p.probabilities).toBeUndefined();
    const sample = await t.predict({ kind: 'sample', index: 0 });
    expect(sample.truth?.values?.length).toBe(1);
    await expect(t.predict({ kind: 'image', image: { width: 8, height: 8, rgba: new Uint8Array(10) } })).rejects.toThrow(/do not fit its size 8×8/);
  });
});
