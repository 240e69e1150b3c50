import { describe, expect, it } from 'vitest';
import { makeDoc } from '../testing/docs';
import { inferShapes } from './infer';
import { validateDocument } from './validate';

describe('shape inference over a document', () => {
  it('gives every node its output shape and parameter count (a LeNet-style CNN)', () => {
    const doc = makeDoc(
      [
        ['img', 'Input', { field: 'x', shape: [28, 28, 1] }],
        ['c1', 'Conv2D', { filters: 6, kernelSize: 5, padding: 'same', activation: 'relu' }],
        ['p1', 'MaxPool2D'],
        ['c2', 'Conv2D', { filters: 16, kernelSize: [5, 5] }],
        ['p2', 'AvgPool2D', { poolSize: 2 }],
        ['flat', 'Flatten'],
        ['d1', 'Dense', { units: 120, activation: 'relu' }],
        ['bn', 'BatchNorm'],
        ['drop', 'Dropout', { rate: 0.25 }],
        ['out', 'Dense', { units: 10 }],
        ['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
        ['loss', 'SoftmaxCrossEntropy'],
      ],
      [
        'img.y -> c1.x',
        'c1.y -> p1.x',
        'p1.y -> c2.x',
        'c2.y -> p2.x',
        'p2.y -> flat.x',
        'flat.y -> d1.x',
        'd1.y -> bn.x',
        'bn.y -> drop.x',
        'drop.y -> out.x',
        'out.y -> loss.pred',
        'label.y -> loss.target',
      ],
      { batchSize: 8 },
    );
    const { nodes, errors } = inferShapes(doc);
    expect(errors).toEqual([]);
    const shape = (id: string) => nodes.get(id)!.outputs.y!.shape;
    expect(shape('c1')).toEqual([8, 28, 28, 6]);
    expect(shape('p1')).toEqual([8, 14, 14, 6]);
    expect(shape('c2')).toEqual([8, 10, 10, 16]);
    expect(shape('p2')).toEqual([8, 5, 5, 16]);
    expect(shape('flat')).toEqual([8, 400]);
    expect(nodes.get('loss')!.outputs.loss!.shape).toEqual([]);
    expect(nodes.get('c1')!.paramCount).toBe(5 * 5 * 1 * 6 + 6);
    expect(nodes.get('d1')!.paramCount).toBe(400 * 120 + 120);
    expect(nodes.get('bn')!.paramCount).toBe(2 * 120); // moving statistics are not trainable
  });

  it('names the node at fault, with the shapes, and skips what is downstream of it', () => {
    const doc = makeDoc(
      [
        ['x', 'Input', { field: 'x', shape: [3] }],
        ['w', 'Parameter', { shape: [4, 2] }],
        ['mm', 'matmul'],
        ['relu', 'ReLU'],
        ['t', 'Input', { field: 'y', shape: [2] }],
        ['loss', 'MSELoss'],
      ],
      ['x.y -> mm.a', 'w.y -> mm.b', 'mm.y -> relu.x', 'relu.y -> loss.pred', 't.y -> loss.target'],
      { batchSize: 5 },
    );
    const { errors } = validateDocument(doc);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'shape', node: 'mm' });
    expect(errors[0]!.message).toContain('[5, 3]');
    expect(errors[0]!.message).toContain('[4, 2]');
  });

  it('reports dtype errors as such (Embedding of float ids)', () => {
    const doc = makeDoc(
      [
        ['x', 'Input', { shape: [4] }],
        ['emb', 'Embedding'],
        ['t', 'Input', { field: 't', shape: [4, 16] }],
        ['loss', 'MSELoss'],
      ],
      ['x.y -> emb.x', 'emb.y -> loss.pred', 't.y -> loss.target'],
    );
    const { errors } = validateDocument(doc);
    expect(errors).toEqual([expect.objectContaining({ code: 'dtype', node: 'emb' })]);
  });

  it('refuses one field read with two different shapes', () => {
    const doc = makeDoc(
      [
        ['a', 'Input', { field: 'x', shape: [4] }],
        ['b', 'Input', { field: 'x', shape: [5] }],
        ['loss', 'MSELoss'],
      ],
      ['a.y -> loss.pred', 'b.y -> loss.target'],
    );
    expect(validateDocument(doc).errors).toEqual([expect.objectContaining({ node: 'b', code: 'shape' })]);
  });

  it('reports a loss with mismatched prediction and target', () => {
    const doc = makeDoc(
      [
        ['a', 'Input', { field: 'x', shape: [4] }],
        ['b', 'Input', { field: 'y', shape: [3] }],
        ['loss', 'MSELoss'],
      ],
      ['a.y -> loss.pred', 'b.y -> loss.target'],
    );
    const [e] = validateDocument(doc).errors;
    expect(e).toMatchObject({ node: 'loss' });
    expect(e!.message).toMatch(/same shape/);
  });
});
