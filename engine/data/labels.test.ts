import { describe, expect, it } from 'vitest';
import { makeDoc } from '../testing/docs';
import type { Dataset } from './dataset';
import { checkDatasetLabels, checkLabels, labelReaders } from './labels';

/** x [2] → Dense(classes) → SoftmaxCrossEntropy and Accuracy against the `label` field. */
const classifier = (opts: { classes?: number; labelShape?: number[]; dtype?: 'i32' | 'f32'; lossParams?: Record<string, unknown> } = {}) =>
  makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [2] }],
      ['label', 'Input', { field: 'label', shape: opts.labelShape ?? [], dtype: opts.dtype ?? 'i32' }],
      ['logits', 'Dense', { units: opts.classes ?? 3 }],
      ['loss', 'SoftmaxCrossEntropy', opts.lossParams ?? {}],
      ['acc', 'Accuracy'],
    ],
    ['x.y -> logits.x', 'logits.y -> loss.pred', 'label.y -> loss.target', 'logits.y -> acc.pred', 'label.y -> acc.target'],
    { batchSize: 4 },
  );

const dataset = (labels: Int32Array | Float32Array): Dataset => ({
  name: 'toy',
  length: labels.length,
  fields: { x: { shape: [2], dtype: 'f32' }, label: { shape: [], dtype: labels instanceof Int32Array ? 'i32' : 'f32' } },
  data: { x: new Float32Array(2 * labels.length), label: labels },
});

describe('labelReaders', () => {
  it("lists the loss and the metric that read sparse labels from a field, with the logits' width", () => {
    expect(labelReaders(classifier({ classes: 5 }))).toEqual([
      { node: 'loss', name: '"loss"', field: 'label', perSample: 1, classes: 5, kind: 'label' },
      { node: 'acc', name: '"acc"', field: 'label', perSample: 1, classes: 5, kind: 'label' },
    ]);
  });

  it('skips one-hot targets and labels that no Input feeds', () => {
    expect(labelReaders(classifier({ lossParams: { labels: 'onehot' } })).map((r) => r.node)).toEqual(['acc']);
    const computed = makeDoc(
      [
        ['x', 'Input', { field: 'x', shape: [3] }],
        ['c', 'Constant', { shape: [4], value: 1 }],
        ['loss', 'SoftmaxCrossEntropy'],
      ],
      ['x.y -> loss.pred', 'c.y -> loss.target'],
      { batchSize: 4 },
    );
    expect(labelReaders(computed)).toEqual([]);
  });
});

describe('checkLabels', () => {
  const readers = labelReaders(classifier());

  it('names the node, the label, its sample and the valid classes (label 7 of 3 classes)', () => {
    const labels = Int32Array.from({ length: 20 }, (_v, i) => (i === 12 ? 7 : i % 3));
    expect(checkLabels(readers, { label: labels })).toEqual({
      node: 'loss',
      field: 'label',
      value: 7,
      sample: 12,
      message: 'label 7 at sample 12 is outside the 3 classes of node "loss" (0..2)',
    });
  });

  it('refuses negative labels, and names a node by its label when it has one', () => {
    const doc = classifier();
    doc.nodes.find((n) => n.id === 'loss')!.label = 'Cross-entropy';
    expect(checkLabels(labelReaders(doc), { label: Int32Array.of(0, -1) })?.message).toBe(
      'label -1 at sample 1 is outside the 3 classes of node "Cross-entropy" (0..2)',
    );
  });

  it('refuses fractional and NaN labels in an f32 field (a cast would silently pick a class)', () => {
    const f32 = labelReaders(classifier({ dtype: 'f32' }));
    expect(checkLabels(f32, { label: Float32Array.of(0, 2, 1.5) })?.message).toBe('label 1.5 at sample 2 is not a class index of node "loss" (0..2)');
    expect(checkLabels(f32, { label: Float32Array.of(NaN) })?.message).toBe('label NaN at sample 0 is not a class index of node "loss" (0..2)');
    expect(checkLabels(f32, { label: Float32Array.of(0, 1, 2, 2) })).toBeUndefined();
  });

  it('in a batch, names the dataset sample of the bad label', () => {
    expect(checkLabels(readers, { label: Int32Array.of(1, 3, 0) }, Int32Array.of(40, 17, 8))?.sample).toBe(17);
  });

  it('counts samples of [batch, 1] labels', () => {
    const r = labelReaders(classifier({ labelShape: [1] }));
    expect(checkLabels(r, { label: Int32Array.of(0, 1, 2, 3) })?.message).toBe('label 3 at sample 3 is outside the 3 classes of node "loss" (0..2)');
  });

  it('passes every label in 0..classes-1, and skips a field the data lacks', () => {
    expect(checkLabels(readers, { label: Int32Array.of(0, 1, 2, 2, 1, 0) })).toBeUndefined();
    expect(checkLabels(readers, {})).toBeUndefined();
  });
});

describe('Embedding token ids', () => {
  const doc = makeDoc(
    [
      ['ids', 'Input', { field: 'tokens', shape: [4], dtype: 'i32' }],
      ['emb', 'Embedding', { inputDim: 10, outputDim: 3 }],
    ],
    ['ids.y -> emb.x'],
    { batchSize: 2 },
  );

  it("are checked against the table's rows, per sample of a sequence", () => {
    const readers = labelReaders(doc);
    expect(readers).toEqual([{ node: 'emb', name: '"emb"', field: 'tokens', perSample: 4, classes: 10, kind: 'token id' }]);
    expect(checkLabels(readers, { tokens: Int32Array.of(1, 2, 3, 9, 0, 0, 10, 0) })?.message).toBe(
      'token id 10 at sample 1 is outside the 10 rows of node "emb" (0..9)',
    );
    expect(checkLabels(readers, { tokens: Int32Array.of(1, 2, 3, 9, 0, 0, 5, 0) })).toBeUndefined();
  });
});

describe('checkDatasetLabels', () => {
  it('checks a whole dataset field against the document', () => {
    expect(checkDatasetLabels(classifier(), dataset(Int32Array.of(0, 1, 2, 1)))).toBeUndefined();
    expect(checkDatasetLabels(classifier({ classes: 2 }), dataset(Int32Array.of(0, 1, 2, 1)))?.message).toBe(
      'label 2 at sample 2 is outside the 2 classes of node "loss" (0..1)',
    );
  });
});
