/** The page's side of importing: which files are imports, and the worker's result through layout and the document gate. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importModelFile } from '../../workers/importModels';
import { importKindOf, readImportedModel } from './importModel';

const root = join(__dirname, '../../engine/interchange');
const bytes = (path: string) => new Uint8Array(readFileSync(join(root, path)));
const text = (s: string) => new TextEncoder().encode(s);

describe('importing models from the Open button', () => {
  it('tells imports from Wiregrad files', () => {
    expect(importKindOf('m.onnx', new Uint8Array())).toBe('onnx');
    expect(importKindOf('lenet_train_test.prototxt', new Uint8Array())).toBe('caffe');
    expect(importKindOf('model.json', bytes('keras/fixtures/functional-keras3.json'))).toBe('keras');
    expect(importKindOf('graph.json', text('{"format": "wiregrad.graph", "version": 1, "class_name": "Sequential"}'))).toBeUndefined();
    expect(importKindOf('graph.wiregrad.json', text('{"format":"wiregrad.graph"}'))).toBeUndefined();
    expect(importKindOf('model.zip', new Uint8Array([0x50, 0x4b, 3, 4]))).toBeUndefined();
  });

  it('an ONNX model opens laid out, with weights, through the document gate', async () => {
    const read = await readImportedModel(importModelFile('onnx', bytes('onnx/fixtures/lenet.onnx'), 'lenet.onnx'), 'lenet.onnx', { width: 1200, height: 800 });
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.weights!.length).toBeGreaterThan(1000);
    expect(read.doc.meta.name).toBe('lenet');
    // ELK placed the nodes: no two share a spot.
    expect(new Set(read.doc.nodes.map((n) => `${n.position.x},${n.position.y}`)).size).toBe(read.doc.nodes.length);
  });

  it('problems come back as one message naming the file and what is wrong', async () => {
    const onnx = await readImportedModel(importModelFile('onnx', bytes('onnx/fixtures/unsupported.onnx'), 'bad.onnx'), 'bad.onnx');
    expect(onnx).toEqual({
      ok: false,
      message: expect.stringMatching(
        /^Could not import "bad.onnx" as an ONNX model: the model uses 2 operators Wiregrad cannot import: Erf \("\/Erf"\), CumSum \("\/CumSum"\)\.$/,
      ),
    });
    const caffe = await readImportedModel(importModelFile('caffe', text('layer {\n name: "x"'), 'net.prototxt'), 'net.prototxt');
    expect(caffe.ok ? '' : caffe.message).toMatch(/^Could not import "net.prototxt" as a Caffe net: line 2, column 11: the end of the file/);
    const binary = await readImportedModel(importModelFile('keras', new Uint8Array([0xff, 0xfe, 0x00]), 'k.json'), 'k.json');
    expect(binary.ok ? '' : binary.message).toBe('Could not import "k.json" as a Keras model: the file is not UTF-8 text.');
  });

  it('the document gate applies its limits to imports too', async () => {
    const layers = Array.from({ length: 30 }, (_x, i) => `{"class_name": "Dense", "config": {"name": "d${i}", "units": 4}}`).join(',');
    const keras = `{"class_name": "Sequential", "config": {"name": "${'n'.repeat(5000)}", "layers": [{"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4], "name": "in"}}, ${layers}]}}`;
    const read = await readImportedModel(importModelFile('keras', text(keras), 'long.json'), 'long.json');
    // The importer clips the name to 200 characters; a document of 31 nodes is within bounds.
    expect(read.ok).toBe(true);
    const hostile = await readImportedModel(
      { ok: true, docText: JSON.stringify({ format: 'wiregrad.graph', version: 1, nodes: [], edges: [], meta: { name: 'x'.repeat(2000) } }) },
      'evil.onnx',
    );
    expect(hostile.ok ? '' : hostile.message).toMatch(/^Could not open "evil.onnx".*graph name is 2,000 characters/);
  });
});
