/**
 * ONNX import. PyTorch-made fixtures (scripts/make-onnx-fixtures.py: an MLP, a LeNet-style CNN and a
 * residual block with batch norm) import as layers and, run by Wiregrad's CPU backend, give ONNX
 * Runtime's outputs and PyTorch's own (recorded next to each file) within 1e-5. Wiregrad → ONNX →
 * Wiregrad gives back the same document structure and weights. Unsupported operators are listed by
 * type and node name in one error.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../backends/cpu/backend';
import { Program } from '../../compile/program';
import type { GraphDocument } from '../../graph/document';
import { getNodeSpec } from '../../graph/nodes';
import { TEMPLATES } from '../../graph/templates';
import { ONNX_ROUND_TRIP_TEMPLATES } from './noOnnxYet';
import { validateDocument } from '../../graph/validate';
import { readSafetensors } from '../safetensors';
import { seededRandom } from '../../testing/random';
import { relativeError, setRandomWeights, randomInput } from './testing';
import { makeDoc } from '../../testing/docs';
import { ImportError } from '../importDocument';
import { exportOnnx } from './export';
import { recurrentDoc } from './testCases';
import { importOnnx, onnxWeightsFile, type OnnxImport } from './import';
import { encodeModel, type ModelProto } from './proto';

const FIXTURES = join(__dirname, 'fixtures');
const TOLERANCE = 1e-5;

/** NCHW data of `shape` as NHWC. */
function toNhwc(data: ArrayLike<number>, [n, c, h, w]: readonly number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let b = 0; b < n!; b++)
    for (let k = 0; k < c!; k++)
      for (let y = 0; y < h!; y++)
        for (let x = 0; x < w!; x++) {
          out[((b * h! + y) * w! + x) * c! + k] = data[((b * c! + k) * h! + y) * w! + x]!;
        }
  return out;
}

/** Wiregrad's outputs for one ONNX-shaped input, with the imported weights. */
async function runImported(
  imported: OnnxImport,
  data: Float32Array,
  shape: readonly number[],
): Promise<{ data: ArrayLike<number>; shape: readonly number[] }[]> {
  const program = await Program.create(imported.doc, new CpuBackend());
  program.setWeights(imported.weights);
  const input = imported.inputs[0]!;
  const feed = input.nchw ? toNhwc(data, shape) : data;
  const result = await program.forward({ [input.field]: feed });
  program.dispose();
  return imported.outputs.map((o) => result.get(o.node)![o.port]!);
}

interface Expected {
  input: { name: string; shape: number[]; data: number[] };
  output: { name: string; shape: number[]; data: number[] };
}

describe('PyTorch-exported models import and agree with ONNX Runtime and PyTorch', () => {
  const cases: [string, string[]][] = [
    ['mlp', ['Input', 'Dense', 'Dense', 'Dense']],
    ['lenet', ['Input', 'Conv2D', 'MaxPool2D', 'Conv2D', 'AvgPool2D', 'transpose', 'Flatten', 'Dense', 'Dense']],
    ['residual', ['Input', 'Conv2D', 'BatchNorm', 'ReLU', 'Conv2D', 'BatchNorm', 'Conv2D', 'Add', 'ReLU', 'transpose', 'Flatten', 'Dense', 'LayerNorm']],
  ];
  it.each(cases)('%s', async (name, types) => {
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, `${name}.onnx`)));
    const expected = JSON.parse(readFileSync(join(FIXTURES, `${name}.expected.json`), 'utf8')) as Expected;
    const imported = importOnnx(bytes, { trainingHead: true });
    expect(imported.doc.nodes.map((n) => n.type)).toEqual([...types, 'Input', 'MSELoss']);
    expect(imported.head).toEqual(['target', 'loss']);
    expect(validateDocument(imported.doc).errors).toEqual([]);
    const x = Float32Array.from(expected.input.data);
    const [got] = await runImported(imported, x, expected.input.shape);
    const session = await ort.InferenceSession.create(bytes);
    const ran = (await session.run({ input: new ort.Tensor('float32', x, expected.input.shape) })).output!;
    await session.release();
    expect(got!.shape).toEqual(ran.dims);
    expect(got!.shape).toEqual(expected.output.shape);
    const vsOrt = relativeError(got!.data, ran.data as Float32Array);
    const vsTorch = relativeError(got!.data, expected.output.data);
    expect(vsOrt, `vs ONNX Runtime: ${vsOrt}`).toBeLessThanOrEqual(TOLERANCE);
    expect(vsTorch, `vs PyTorch: ${vsTorch}`).toBeLessThanOrEqual(TOLERANCE);
  });

  it('layers keep their module names and fold the following activation', () => {
    const imported = importOnnx(new Uint8Array(readFileSync(join(FIXTURES, 'lenet.onnx'))));
    const byId = Object.fromEntries(imported.doc.nodes.map((n) => [n.id, n]));
    expect(byId.conv1!.params).toMatchObject({ filters: 4, kernelSize: [5, 5], padding: 'same', activation: 'relu' });
    expect(byId.conv2!.params).toMatchObject({ filters: 6, kernelSize: [3, 3], padding: 'valid', activation: 'sigmoid' });
    expect(byId.fc1!.params).toMatchObject({ units: 20, activation: 'relu' });
    expect(byId.input!.params).toMatchObject({ shape: [16, 16, 1], field: 'input' });
    expect(Object.keys(imported.weights).sort()).toEqual([
      'conv1/bias',
      'conv1/kernel',
      'conv2/bias',
      'conv2/kernel',
      'fc1/bias',
      'fc1/kernel',
      'fc2/bias',
      'fc2/kernel',
    ]);
    expect(imported.shapes['conv1/kernel']).toEqual([5, 5, 1, 4]);
    expect(imported.shapes['fc1/kernel']).toEqual([54, 20]);
  });

  it('with a training head the imported MLP trains on random data of its shapes', async () => {
    const imported = importOnnx(new Uint8Array(readFileSync(join(FIXTURES, 'mlp.onnx'))), { trainingHead: true });
    expect(validateDocument(imported.doc).errors).toEqual([]);
    expect(imported.doc.training.dataset).toMatchObject({ kind: 'random', inputShape: [12], targetShape: [3] });
    const program = await Program.create(imported.doc, new CpuBackend());
    program.setWeights(imported.weights);
    const before = await program.getWeights();
    const r = seededRandom(3);
    const n = imported.doc.training.batchSize;
    await program.step({ x: Float32Array.from({ length: n * 12 }, () => r.normal()), y: Float32Array.from({ length: n * 3 }, () => r.next()) });
    const after = await program.getWeights();
    expect(relativeError(after['fc1/kernel']!, before['fc1/kernel']!)).toBeGreaterThan(0);
    program.dispose();
  });

  it("the weights file names tensors as Wiregrad does, with the variables' shapes", () => {
    const imported = importOnnx(new Uint8Array(readFileSync(join(FIXTURES, 'residual.onnx'))));
    const file = readSafetensors(onnxWeightsFile(imported));
    expect(file.tensors.get('bn1.moving_variance')!.shape).toEqual([4]);
    expect(file.tensors.get('conv1.kernel')!.shape).toEqual([3, 3, 4, 4]);
    expect(file.tensors.has('conv1.bias')).toBe(false);
  });
});

describe('unsupported and broken files', () => {
  it('lists every unsupported operator by type and node name', () => {
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, 'unsupported.onnx')));
    let error: unknown;
    try {
      importOnnx(bytes);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ImportError);
    const message = (error as Error).message;
    expect(message).toContain('2 operators Wiregrad cannot import');
    expect(message).toContain('Erf ("/Erf")');
    expect(message).toContain('CumSum ("/CumSum")');
  });

  it('a model with the recurrent layers Wiregrad exports (ONNX RNN, LSTM, GRU) is refused, naming them (NO_ONNX_IMPORT_YET)', async () => {
    const doc = recurrentDoc();
    const program = await Program.create(doc, new CpuBackend());
    const bytes = exportOnnx(doc, await program.getWeights()).bytes;
    program.dispose();
    let error: unknown;
    try {
      importOnnx(bytes);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ImportError);
    const message = (error as Error).message;
    for (const op of ['LSTM ("lstm/LSTM", "lstm_last/LSTM")', 'GRU ("gru/GRU", "gru_last/GRU")', 'RNN ("rnn/RNN", "rnn_last/RNN")'])
      expect(message).toContain(op);
  });

  it('bytes that are no ONNX model', () => {
    expect(() => importOnnx(new TextEncoder().encode('{"format": "wiregrad.graph"}'))).toThrow(/not an ONNX model/);
    expect(() => importOnnx(new Uint8Array(0))).toThrow(/not an ONNX model/);
  });

  const model = (node: ModelProto['graph']['node'][number], init: ModelProto['graph']['initializer'] = []): Uint8Array =>
    encodeModel({
      ir_version: 8,
      producer_name: 'test',
      producer_version: '',
      opset_import: [{ domain: '', version: 17 }],
      graph: {
        name: 'g',
        node: [node],
        initializer: init,
        input: [
          { name: 'x', type: { tensor_type: { elem_type: 1, shape: { dim: [{ dim_param: 'n' }, { dim_value: 2 }, { dim_value: 5 }, { dim_value: 5 }] } } } },
        ],
        output: [{ name: 'y', type: { tensor_type: { elem_type: 1 } } }],
      },
    });
  const weight = { name: 'w', dims: [3, 2, 3, 3], data_type: 1, raw_data: new Uint8Array(3 * 2 * 9 * 4) };

  it('padding Wiregrad has no form for names the node and the pads', () => {
    const bytes = model({ name: 'odd_conv', op_type: 'Conv', input: ['x', 'w'], output: ['y'], attribute: [{ name: 'pads', type: 7, ints: [0, 0, 2, 2] }] }, [
      weight,
    ]);
    expect(() => importOnnx(bytes)).toThrow(/node "odd_conv" \(Conv\): pads \[0, 0, 2, 2\]/);
  });

  it('a weight that is computed rather than stored names the node', () => {
    const bytes = model({ name: 'mm', op_type: 'Gemm', input: ['x', 'x'], output: ['y'], attribute: [] });
    expect(() => importOnnx(bytes)).toThrow(/node "mm" \(Gemm\): the weight B must be a constant/);
  });

  it('a tensor whose data does not fill its shape names the tensor', () => {
    const bytes = model({ name: 'c', op_type: 'Conv', input: ['x', 'w'], output: ['y'], attribute: [] }, [{ ...weight, raw_data: new Uint8Array(8) }]);
    expect(() => importOnnx(bytes)).toThrow(/initializer "w" has 8 bytes of data/);
  });
});

/** A document's structure: node types and params with defaults filled (initializers aside), and its wires. */
function structure(doc: GraphDocument, keep: (id: string) => boolean) {
  // The export names a model input after its dataset field, so an Input node comes back under that name.
  const renamed = new Map(doc.nodes.filter((n) => n.type === 'Input').map((n) => [n.id, String(n.params.field)]));
  const id = (n: string) => renamed.get(n) ?? n;
  const nodes = doc.nodes
    .filter((n) => keep(id(n.id)))
    .map((n) => {
      const { kernelInit: _k, biasInit: _b, ...params } = getNodeSpec(n.type)!.params.parse(n.params) as Record<string, unknown>;
      return { id: id(n.id), type: n.type, params };
    });
  const edges = doc.edges
    .filter((e) => keep(id(e.from.node)) && keep(id(e.to.node)))
    .map((e) => `${id(e.from.node)}.${e.from.port}->${id(e.to.node)}.${e.to.port}`)
    .sort();
  return { nodes: nodes.sort((a, b) => a.id.localeCompare(b.id)), edges };
}

describe('Wiregrad → ONNX → Wiregrad', () => {
  // The two-layer net's Parameter · matmul pairs export as MatMul by a constant: they come back as Dense layers (checked below).
  const docs: [string, () => GraphDocument][] = [
    ...ONNX_ROUND_TRIP_TEMPLATES.filter((t) => t.id !== 'two-layer-net').map(
      (t) => [t.id, () => t.build(new Date('2026-01-01T00:00:00Z'))] as [string, () => GraphDocument],
    ),
    [
      'conv stack',
      () =>
        makeDoc(
          [
            ['x', 'Input', { field: 'x', shape: [7, 6, 2] }],
            ['c1', 'Conv2D', { filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' }],
            ['bn', 'BatchNorm', { epsilon: 0.01, momentum: 0.9 }],
            ['c2', 'Conv2D', { filters: 3, kernelSize: [2, 3], strides: 2, useBias: false }],
            ['pool', 'AvgPool2D', { poolSize: 2, padding: 'same' }],
            ['flat', 'Flatten', {}],
            ['d', 'Dense', { units: 4, activation: 'tanh' }],
            ['ln', 'LayerNorm', { epsilon: 0.001 }],
            ['y', 'Input', { field: 'y', shape: [4] }],
            ['loss', 'MSELoss', {}],
          ],
          [
            'x.y -> c1.x',
            'c1.y -> bn.x',
            'bn.y -> c2.x',
            'c2.y -> pool.x',
            'pool.y -> flat.x',
            'flat.y -> d.x',
            'd.y -> ln.x',
            'ln.y -> loss.pred',
            'y.y -> loss.target',
          ],
          { dataset: { kind: 'random', inputShape: [7, 6, 2], targetShape: [4] } },
        ),
    ],
  ];
  it.each([...docs, ['two-layer-net', () => TEMPLATES.find((t) => t.id === 'two-layer-net')!.build(new Date('2026-01-01T00:00:00Z'))] as const])(
    '%s: same structure, weights and outputs',
    async (name, build) => {
      const doc = build();
      const asDense = name === 'two-layer-net';
      const program = await Program.create(doc, new CpuBackend());
      const r = seededRandom(5);
      const weights = setRandomWeights(program, r);
      const exported = exportOnnx(doc, await program.getWeights());
      const imported = importOnnx(exported.bytes, { trainingHead: true });
      const head = new Set(imported.head);
      const inference = new Set(imported.doc.nodes.map((n) => n.id).filter((id) => !head.has(id)));
      if (asDense) {
        expect(imported.doc.nodes.filter((n) => !head.has(n.id)).map((n) => `${n.id}:${n.type}`)).toEqual(['x:Input', 'w1:Dense', 'w2:Dense']);
        expect(imported.doc.nodes.find((n) => n.id === 'w1')!.params).toMatchObject({ units: 100, useBias: false, activation: 'relu' });
        expect(imported.weights['w1/kernel']).toEqual(weights['w1/value']);
      } else {
        // The export leaves out losses, metrics and labels: the rest comes back as it was.
        expect(structure(imported.doc, (id) => inference.has(id))).toEqual(structure(doc, (id) => inference.has(id)));
        for (const [variable, data] of Object.entries(imported.weights)) expect(data, variable).toEqual(weights[variable]);
        expect(Object.keys(imported.weights).sort()).toEqual(
          Object.keys(weights)
            .filter((k) => inference.has(k.slice(0, k.lastIndexOf('/'))))
            .sort(),
        );
      }
      // And the same outputs.
      const input = exported.inputs[0]!;
      const shape = [3, ...input.shape.slice(1)] as number[];
      const n = shape.reduce((a, d) => a * d, 1);
      const x = randomInput(r, input.dtype, n, 2);
      const want = await program.forward({ [String(doc.nodes.find((d) => d.id === input.node)!.params.field)]: x });
      const back = await Program.create(imported.doc, new CpuBackend());
      back.setWeights(imported.weights);
      const got = await back.forward({ x });
      for (const out of exported.outputs) {
        const port = getNodeSpec(doc.nodes.find((d) => d.id === out.node)!.type)!.outputs[0]!.name;
        const o = imported.outputs.find((i) => i.name === out.name)!;
        expect(relativeError(got.get(o.node)![o.port]!.data, want.get(out.node)![port]!.data)).toBeLessThanOrEqual(TOLERANCE);
      }
      program.dispose();
      back.dispose();
    },
  );
});
