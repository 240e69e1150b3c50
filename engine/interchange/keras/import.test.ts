/**
 * Keras import: hand-written `model.to_json()` files in Keras 2's format (Sequential, Functional with
 * inbound_nodes lists) and Keras 3's (keras_history tensors) become documents that validate, with the
 * layers, settings and wires the file describes; unknown layer classes are named in one error.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outputShapes } from '../../testing/shapes';
import { validateDocument } from '../../graph/validate';
import type { GraphDocument } from '../../graph/document';
import { ImportError } from '../importDocument';
import { importKeras } from './import';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
const wires = (doc: GraphDocument) => doc.edges.map((e) => `${e.from.node}->${e.to.node}.${e.to.port}`);
/** The inferred output shape of `node` at batch size 2. */
const outShape = (doc: GraphDocument, node: string): readonly number[] => outputShapes(doc).get(node)!;

describe('Keras model.to_json() import', () => {
  it('a Sequential CNN (Keras 2)', () => {
    const doc = importKeras(fixture('sequential-cnn.json'));
    expect(doc.meta.name).toBe('mnist_cnn');
    expect(doc.nodes.map((n) => `${n.id}:${n.type}`)).toEqual([
      'input_1:Input',
      'conv2d:Conv2D',
      'max_pooling2d:MaxPool2D',
      'batch_normalization:BatchNorm',
      'flatten:Flatten',
      'dropout:Dropout',
      'dense:Dense',
      'activation:Activation',
    ]);
    expect(doc.nodes[0]!.params).toEqual({ field: 'x', shape: [28, 28, 1], dtype: 'f32' });
    expect(doc.nodes[1]!.params).toMatchObject({ filters: 32, kernelSize: [3, 3], padding: 'valid', activation: 'relu' });
    expect(doc.nodes[3]!.params).toEqual({ axis: 3, momentum: 0.01, epsilon: 0.001 }); // Keras momentum 0.99 is the batch's weight 0.01
    expect(wires(doc)).toEqual([
      'input_1->conv2d.x',
      'conv2d->max_pooling2d.x',
      'max_pooling2d->batch_normalization.x',
      'batch_normalization->flatten.x',
      'flatten->dropout.x',
      'dropout->dense.x',
      'dense->activation.x',
    ]);
    expect(validateDocument(doc, { requireLoss: false }).errors).toEqual([]);
    // 28 → conv 3 valid → 26 → pool 2 → 13; 13·13·32 features.
    expect(outShape(doc, 'flatten')).toEqual([2, 13 * 13 * 32]);
    expect(outShape(doc, 'activation')).toEqual([2, 10]);
  });

  it("a layer's trainable: false is the node's Trainable switch off (weightless layers ignore it)", () => {
    const json = JSON.parse(fixture('sequential-cnn.json'));
    for (const layer of json.config.layers) if (['conv2d', 'flatten', 'dense'].includes(layer.config.name)) layer.config.trainable = false;
    const doc = importKeras(JSON.stringify(json));
    const frozen = doc.nodes.filter((n) => n.trainable === false).map((n) => n.id);
    expect(frozen).toEqual(['conv2d', 'dense']);
    expect(importKeras(fixture('sequential-cnn.json')).nodes.some((n) => n.trainable === false)).toBe(false);
  });

  it('a Functional residual block (Keras 2 inbound_nodes)', () => {
    const doc = importKeras(fixture('functional-residual.json'));
    expect(doc.nodes.map((n) => n.type)).toEqual(['Input', 'Dense', 'Add', 'Dense']);
    expect(wires(doc)).toEqual(['features->hidden.x', 'features->skip.inputs', 'hidden->skip.inputs', 'skip->out.x']);
    expect(validateDocument(doc, { requireLoss: false }).errors).toEqual([]);
    expect(outShape(doc, 'out')).toEqual([2, 3]);
  });

  it("a Functional model in Keras 3's format with Concatenate", () => {
    const doc = importKeras(fixture('functional-keras3.json'));
    expect(wires(doc)).toEqual(['x->left.x', 'x->right.x', 'left->joined.inputs', 'right->joined.inputs', 'joined->head.x']);
    expect(doc.nodes.find((n) => n.id === 'right')!.params).toMatchObject({ units: 6, activation: 'sigmoid', useBias: false });
    expect(outShape(doc, 'joined')).toEqual([2, 10]);
    expect(validateDocument(doc, { requireLoss: false }).errors).toEqual([]);
  });

  it('names every unknown layer class and the layers that use it', () => {
    expect(() => importKeras(fixture('unknown-layers.json'))).toThrow(ImportError);
    expect(() => importKeras(fixture('unknown-layers.json'))).toThrow(
      'layer classes Wiregrad cannot import: LSTM ("lstm", "lstm_1"), GlobalAveragePooling1D ("pool")',
    );
  });

  it('bad files and settings say what and where', () => {
    expect(() => importKeras('{"class_name": ')).toThrow(/not JSON/);
    expect(() => importKeras('{"format": "wiregrad.graph"}')).toThrow(/not a Keras model.to_json\(\) file/);
    const seq = (layer: object) =>
      JSON.stringify({
        class_name: 'Sequential',
        config: { name: 'm', layers: [{ class_name: 'InputLayer', config: { batch_input_shape: [null, 4], name: 'in' } }, layer] },
      });
    expect(() => importKeras(seq({ class_name: 'Dense', config: { name: 'd', units: 3, activation: 'swish' } }))).toThrow(
      'layer "d" (Dense): activation "swish" has no Wiregrad form',
    );
    expect(() => importKeras(seq({ class_name: 'Conv2D', config: { name: 'c', filters: 3, kernel_size: 3, padding: 'causal' } }))).toThrow(
      'layer "c" (Conv2D): padding "causal"',
    );
    expect(() =>
      importKeras(JSON.stringify({ class_name: 'Sequential', config: { layers: [{ class_name: 'Dense', config: { name: 'd', units: 2 } }] } })),
    ).toThrow(/gives no input shape/);
  });
});
