import { describe, expect, it } from 'vitest';
import { GraphDocument } from '../document';
import { inferShapes } from '../infer';
import { checkStructure } from '../structure';
import { TEMPLATES, templateById } from '.';

const shapeOf = (doc: GraphDocument, node: string, port = 'y') => inferShapes(doc).nodes.get(node)?.outputs[port];

describe('templates', () => {
  it.each(TEMPLATES.map((t) => [t.id, t] as const))('%s is a valid, fully shaped document', (_id, template) => {
    const doc = template.build(new Date('2025-01-01T00:00:00Z'));
    expect(GraphDocument.parse(doc)).toEqual(doc);
    expect(checkStructure(doc)).toEqual([]);
    const inferred = inferShapes(doc);
    expect(inferred.errors).toEqual([]);
    // Every node has an inferred output, so the canvas shows a shape on each.
    expect([...inferred.nodes.keys()].sort()).toEqual(doc.nodes.map((n) => n.id).sort());
    expect(doc.meta.name).toBe(template.name);
  });

  it('node ids are unique and positions do not overlap', () => {
    for (const t of TEMPLATES) {
      const doc = t.build();
      expect(new Set(doc.nodes.map((n) => n.id)).size).toBe(doc.nodes.length);
      expect(new Set(doc.nodes.map((n) => `${n.position.x},${n.position.y}`)).size).toBe(doc.nodes.length);
    }
  });

  it('2-layer net: the PyTorch example shapes and settings', () => {
    const doc = templateById('two-layer-net')!.build();
    expect(shapeOf(doc, 'x')).toEqual({ shape: [64, 1000], dtype: 'f32' });
    expect(shapeOf(doc, 'h')).toEqual({ shape: [64, 100], dtype: 'f32' });
    expect(shapeOf(doc, 'relu')).toEqual({ shape: [64, 100], dtype: 'f32' });
    expect(shapeOf(doc, 'pred')).toEqual({ shape: [64, 10], dtype: 'f32' });
    expect(shapeOf(doc, 'loss', 'loss')).toEqual({ shape: [], dtype: 'f32' });
    const info = inferShapes(doc).nodes;
    expect(info.get('w1')?.paramCount).toBe(100_000);
    expect(info.get('w2')?.paramCount).toBe(1_000);
    expect(doc.training).toMatchObject({
      dataset: { kind: 'random', inputShape: [1000], targetShape: [10], size: 64 },
      optimizer: { type: 'sgd' },
      lr: 1e-6,
      batchSize: 64,
      steps: 500,
      seed: 0,
    });
    expect(doc.nodes.find((n) => n.id === 'w1')?.params.init).toEqual({ kind: 'normal', mean: 0, std: 1 });
  });

  it('MLP: [128, 784] → [128, 256] → [128, 10], scalar loss and accuracy', () => {
    const doc = templateById('mlp-mnist')!.build();
    expect(shapeOf(doc, 'image')?.shape).toEqual([128, 784]);
    expect(shapeOf(doc, 'dense1')?.shape).toEqual([128, 256]);
    expect(shapeOf(doc, 'logits')?.shape).toEqual([128, 10]);
    expect(shapeOf(doc, 'label')).toEqual({ shape: [128], dtype: 'i32' });
    expect(shapeOf(doc, 'loss', 'loss')?.shape).toEqual([]);
    expect(shapeOf(doc, 'accuracy', 'value')?.shape).toEqual([]);
    expect(inferShapes(doc).nodes.get('dense1')?.paramCount).toBe(784 * 256 + 256);
    expect(doc.training).toMatchObject({ dataset: { kind: 'mnist' }, optimizer: { type: 'adam' }, lr: 1e-3, batchSize: 128 });
  });

  it('LeNet: the classic feature-map sizes', () => {
    const doc = templateById('lenet')!.build();
    const b = doc.training.batchSize;
    expect(shapeOf(doc, 'conv1')?.shape).toEqual([b, 28, 28, 6]);
    expect(shapeOf(doc, 'pool1')?.shape).toEqual([b, 14, 14, 6]);
    expect(shapeOf(doc, 'conv2')?.shape).toEqual([b, 10, 10, 16]);
    expect(shapeOf(doc, 'pool2')?.shape).toEqual([b, 5, 5, 16]);
    expect(shapeOf(doc, 'flatten')?.shape).toEqual([b, 400]);
    expect(shapeOf(doc, 'fc1')?.shape).toEqual([b, 120]);
    expect(shapeOf(doc, 'fc2')?.shape).toEqual([b, 84]);
    expect(shapeOf(doc, 'logits')?.shape).toEqual([b, 10]);
    expect(inferShapes(doc).nodes.get('conv2')?.paramCount).toBe(5 * 5 * 6 * 16 + 16);
    expect(doc.training.dataset.kind).toBe('mnist');
  });

  it('two spirals: 2 → 16 → 16 → 2 with Adam at 0.01, batch 32', () => {
    const doc = templateById('two-spirals')!.build();
    expect(shapeOf(doc, 'point')?.shape).toEqual([32, 2]);
    expect(shapeOf(doc, 'hidden1')?.shape).toEqual([32, 16]);
    expect(shapeOf(doc, 'hidden2')?.shape).toEqual([32, 16]);
    expect(shapeOf(doc, 'logits')?.shape).toEqual([32, 2]);
    expect(doc.training).toMatchObject({ dataset: { kind: 'spirals', size: 512, noise: 0.1 }, optimizer: { type: 'adam' }, lr: 0.01, batchSize: 32 });
  });
});
