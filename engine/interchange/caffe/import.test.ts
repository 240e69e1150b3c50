/**
 * Caffe import: LeNet's lenet_train_test.prototxt (Caffe's MNIST example) becomes Wiregrad's LeNet
 * on the MNIST dataset and trains; a residual block with BatchNorm + Scale and Eltwise imports; the
 * text-format parser reports bad syntax with line and column; unsupported layer types are named.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../backends/cpu/backend';
import { Program } from '../../compile/program';
import type { GraphDocument } from '../../graph/document';
import { outputShapes } from '../../testing/shapes';
import { validateDocument } from '../../graph/validate';
import { seededRandom } from '../../testing/random';
import { ImportError } from '../importDocument';
import { importCaffe } from './import';
import { parseTextFormat, TextMessage } from './prototxt';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
const wires = (doc: GraphDocument) => doc.edges.map((e) => `${e.from.node}->${e.to.node}.${e.to.port}`);
const shapes = (doc: GraphDocument) => outputShapes(doc);
const caught = (f: () => unknown): ImportError => {
  try {
    f();
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw e;
  }
  throw new Error('expected an ImportError');
};

describe('Caffe prototxt import', () => {
  it('LeNet (lenet_train_test.prototxt): the TRAIN net on MNIST, shapes as Caffe gives them, and it trains', async () => {
    const doc = importCaffe(fixture('lenet_train_test.prototxt'));
    expect(doc.meta.name).toBe('LeNet');
    expect(doc.nodes.map((n) => `${n.id}:${n.type}`)).toEqual([
      'data:Input',
      'label:Input',
      'conv1:Conv2D',
      'pool1:MaxPool2D',
      'conv2:Conv2D',
      'pool2:MaxPool2D',
      'ip1_flatten:Flatten',
      'ip1:Dense',
      'relu1:ReLU',
      'ip2:Dense',
      'loss:SoftmaxCrossEntropy',
    ]);
    expect(wires(doc)).toEqual([
      'data->conv1.x',
      'conv1->pool1.x',
      'pool1->conv2.x',
      'conv2->pool2.x',
      'pool2->ip1_flatten.x',
      'ip1_flatten->ip1.x',
      'ip1->relu1.x',
      'relu1->ip2.x',
      'ip2->loss.pred',
      'label->loss.target',
    ]);
    expect(doc.training.dataset).toEqual({ kind: 'mnist' });
    expect(doc.nodes.find((n) => n.id === 'data')!.params).toEqual({ field: 'x', shape: [28, 28, 1], dtype: 'f32' });
    expect(validateDocument(doc).errors).toEqual([]);
    const s = shapes(doc);
    // Caffe's LeNet: 28 → conv 5 → 24 → pool → 12 → conv 5 → 8 → pool → 4; 4·4·50 = 800 → 500 → 10.
    expect(s.get('conv1')).toEqual([2, 24, 24, 20]);
    expect(s.get('pool2')).toEqual([2, 4, 4, 50]);
    expect(s.get('ip1_flatten')).toEqual([2, 800]);
    expect(s.get('ip2')).toEqual([2, 10]);
    // One training step on a batch of MNIST-shaped data gives a finite loss that the next steps lower.
    const program = await Program.create({ ...doc, training: { ...doc.training, batchSize: 8 } }, new CpuBackend());
    const r = seededRandom(1);
    const batch = { x: Float32Array.from({ length: 8 * 784 }, () => r.next()), label: Int32Array.from({ length: 8 }, () => r.int(10)) };
    const first = await program.step(batch);
    let last = first;
    for (let i = 0; i < 5; i++) last = await program.step(batch);
    expect(Number.isFinite(first)).toBe(true);
    expect(last).toBeLessThan(first);
    program.dispose();
  });

  it('a residual block: BatchNorm takes the Scale after it, Eltwise SUM is an Add, in-place layers chain', () => {
    const doc = importCaffe(fixture('residual_bn.prototxt'));
    expect(doc.nodes.map((n) => `${n.id}:${n.type}`)).toEqual([
      'data:Input',
      'conv1:Conv2D',
      'bn1:BatchNorm',
      'relu1:ReLU',
      'conv2:Conv2D',
      'sum:Add',
      'tanh:Tanh',
      'pool:AvgPool2D',
      'drop:Dropout',
      'fc_flatten:Flatten',
      'fc:Dense',
      'sig:Sigmoid',
    ]);
    expect(wires(doc)).toContain('relu1->sum.inputs');
    expect(wires(doc)).toContain('conv2->sum.inputs');
    expect(doc.nodes.find((n) => n.id === 'conv1')!.params).toMatchObject({ filters: 4, padding: 'same', useBias: false });
    expect(doc.nodes.find((n) => n.id === 'bn1')!.params).toEqual({ axis: -1, momentum: 0.001, epsilon: 1e-5 }); // moving_average_fraction 0.999: the batch's weight is 0.001
    expect(doc.nodes.find((n) => n.id === 'drop')!.params).toEqual({ rate: 0.25 });
    expect(validateDocument(doc, { requireLoss: false }).errors).toEqual([]);
    expect(shapes(doc).get('sig')).toEqual([2, 5]);
  });

  it('names every unsupported layer type and its layers, and the line of a bad layer', () => {
    const net = (layers: string) =>
      `name: "n"\nlayer { name: "data" type: "Input" top: "data" input_param { shape { dim: 1 dim: 3 dim: 8 dim: 8 } } }\n${layers}`;
    expect(
      caught(() =>
        importCaffe(
          net(
            'layer { name: "n1" type: "LRN" bottom: "data" top: "n1" }\nlayer { name: "d" type: "Deconvolution" bottom: "n1" top: "d" }\nlayer { name: "n2" type: "LRN" bottom: "d" top: "n2" }',
          ),
        ),
      ).message,
    ).toBe('the net uses layer types Wiregrad cannot import: LRN ("n1", "n2"), Deconvolution ("d")');
    const bad = caught(() =>
      importCaffe(net('layer { name: "c" type: "Convolution" bottom: "data" top: "c"\n  convolution_param { num_output: 2 kernel_size: 3 pad: 2 } }')),
    );
    expect(bad.message).toMatch(/^line 3: layer "c" \(Convolution\): pad 2 × 2 with kernel 3 × 3/);
    expect(bad.line).toBe(3);
    expect(
      caught(() => importCaffe(net('layer { name: "f" type: "InnerProduct" bottom: "nothing" top: "f" inner_product_param { num_output: 2 } }'))).message,
    ).toContain('reads blob "nothing", which no earlier layer makes');
    expect(caught(() => importCaffe('layer { name: "mnist" type: "Data" top: "data" data_param { source: "cifar_lmdb" } }')).message).toContain(
      'replace it by an Input layer',
    );
  });
});

describe('protobuf text format', () => {
  it('parses nested messages, repeated fields, lists, strings, enums, booleans and comments', () => {
    const m = parseTextFormat(
      '# comment\nname: "a\\"b" # trailing\nshape { dim: 1 dim: 2 }\nflag: true\nlist: [1, 2.5e1, -3]\nmode: MAX;\nnested: < inner { x: 0x10 } >\njoined: "ab" "cd"\n',
    );
    expect(m.get('name')).toBe('a"b');
    expect(m.message('shape')!.all('dim')).toEqual([1, 2]);
    expect(m.get('flag')).toBe(true);
    expect(m.all('list')).toEqual([1, 25, -3]);
    expect(m.get('mode')).toBe('MAX');
    expect((m.message('nested')!.message('inner') as TextMessage).get('x')).toBe(16);
    expect(m.get('joined')).toBe('abcd');
  });

  it.each([
    ['name: "open\n', 'line 1, column 7: this string is not closed'],
    ['layer {\n  name: "x"\n', 'line 3, column 1: the end of the file comes before the "}" that closes the message opened on line 1, column 7'],
    ['layer { name "x" }', 'line 1, column 14: expected ":" or "{" after the field name "name"'],
    ['a: 1\n}\n', 'line 2, column 1: expected a field name but found "}"'],
    ['a: [1 2]', 'line 1, column 7: expected "," or "]"'],
    ['a: @', 'line 1, column 4: unexpected "@"'],
    ['a: }', 'line 1, column 4: expected a value for "a" but found "}"'],
  ])('%j → %s', (text, message) => {
    const e = caught(() => parseTextFormat(text));
    expect(e.message.startsWith(message), e.message).toBe(true);
  });

  it('deep nesting is an error, not a stack overflow', () => {
    expect(() => parseTextFormat('a {'.repeat(100_000))).toThrow(/nest more than 100 deep/);
  });
});
