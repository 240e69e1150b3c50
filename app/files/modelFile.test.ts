import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { WeightMatch } from '../../engine/interchange';
import { TEMPLATES } from '../templates';
import { isZip, modelFileName, onnxFileName, readModelFile, weightsBlocker, weightsNotice, writeModelFile } from './modelFile';

const when = new Date('2025-03-01T00:00:00Z');
const spirals = TEMPLATES.find((t) => t.id === 'two-spirals')!.build(when);

/** A safetensors file written by hand from the format's description (independent of the engine's writer). */
function safetensors(tensors: Record<string, { shape: number[]; values: number[] }>): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: { format: 'test' } };
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.values.length * 4] };
    offset += t.values.length * 4;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, json.length, true);
  out.set(strToU8(json), 8);
  let at = 8 + json.length;
  for (const t of Object.values(tensors)) {
    for (const v of t.values) {
      view.setFloat32(at, v, true);
      at += 4;
    }
  }
  return out;
}

/** Each tensor's float32 values, read by hand. */
function tensorsOf(file: Uint8Array): Record<string, number[]> {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const n = view.getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + n))) as Record<string, { data_offsets: [number, number] }>;
  const out: Record<string, number[]> = {};
  for (const [name, t] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    out[name] = [];
    for (let at = t.data_offsets[0]; at < t.data_offsets[1]; at += 4) out[name].push(view.getFloat32(8 + n + at, true));
  }
  return out;
}

const weights = safetensors({ 'hidden1.kernel': { shape: [2, 2], values: [1, -2, 3.5, 0.25] }, 'hidden1.bias': { shape: [2], values: [0.5, -0.5] } });

describe('model files', () => {
  it('writes a zip of the stamped graph and the weights, and reads both back', () => {
    const bytes = writeModelFile(spirals, weights, new Date('2025-04-04T00:00:00Z'));
    expect(isZip(bytes)).toBe(true);
    const read = readModelFile(bytes, 'spirals.wiregrad.zip');
    expect(read).toMatchObject({ ok: true, tensors: 2, doc: { ...spirals, meta: { ...spirals.meta, modified: '2025-04-04T00:00:00.000Z' } } });
    // The worker gets a safetensors file with the same tensors (the engine's layout; the same values).
    const again = readModelFile(writeModelFile(spirals, read.ok ? read.weights : new Uint8Array()), 'x.zip');
    expect(again.ok && again.weights).toEqual(read.ok && read.weights);
    expect(unzipSync(bytes)['weights.safetensors']).toEqual(weights);
    expect(read.ok && tensorsOf(read.weights)).toEqual({ 'hidden1.bias': [0.5, -0.5], 'hidden1.kernel': [1, -2, 3.5, 0.25] });
  });

  it('names the file and the problem for a damaged or foreign zip, and never throws', () => {
    const bytes = writeModelFile(spirals, weights);
    const cut = readModelFile(bytes.slice(0, bytes.length - 30), 'cut.wiregrad.zip');
    expect(cut).toMatchObject({ ok: false, message: expect.stringMatching(/^Could not open "cut\.wiregrad\.zip": this is not a readable zip file/) });
    const noWeights = readModelFile(zipSync({ 'graph.json': strToU8(JSON.stringify(spirals)) }), 'g.zip');
    expect(noWeights).toMatchObject({ ok: false, message: expect.stringMatching(/no weights\.safetensors/) });
    const garbled = new Uint8Array(weights);
    garbled[0] = 0xff;
    const badWeights = readModelFile(zipSync({ 'graph.json': strToU8(JSON.stringify(spirals)), 'weights.safetensors': garbled }), 'w.zip');
    expect(badWeights).toMatchObject({ ok: false, message: expect.stringMatching(/^Could not open "w\.zip": weights\.safetensors: /) });
  });

  it('sends the graph through the document gate', () => {
    const read = readModelFile(zipSync({ 'graph.json': strToU8('{"format":"wiregrad.graph","version":1,"nodes":"no"}'), 'weights.safetensors': weights }), 'bad.zip');
    expect(read).toMatchObject({ ok: false, message: expect.stringMatching(/^Could not open "bad\.zip"/) });
  });

  it('names files after the document', () => {
    expect(modelFileName(spirals)).toBe('two-spirals-classifier.wiregrad.zip');
    expect(onnxFileName(spirals)).toBe('two-spirals-classifier.onnx');
    expect(isZip(strToU8('{"format"'))).toBe(false);
  });

  it('saves weights only for the graph they were trained on', () => {
    expect(weightsBlocker(undefined, spirals)).toMatch(/Nothing is trained yet/);
    expect(weightsBlocker(spirals, spirals)).toBeUndefined();
    expect(weightsBlocker(spirals, { ...spirals, training: { ...spirals.training, lr: spirals.training.lr * 2 } })).toBeUndefined();
    const rewired = { ...spirals, nodes: spirals.nodes.filter((n) => n.id !== 'accuracy'), edges: spirals.edges.filter((e) => e.to.node !== 'accuracy') };
    expect(weightsBlocker(spirals, rewired)).toMatch(/changed since it was trained/);
  });
});

describe('what loading weights says', () => {
  const matched = (n: number) => Array.from({ length: n }, (_, i) => ({ variable: `d${i}/kernel`, tensor: `d${i}.kernel`, node: `d${i}` }));
  const none: WeightMatch = { matched: [], missing: [], unexpected: [], shapeMismatches: [], typeMismatches: [] };

  it('counts the tensors when everything matched', () => {
    expect(weightsNotice({ ...none, matched: matched(6) }, '"m.zip"')).toEqual({ kind: 'info', text: 'Loaded 6 tensors from "m.zip".' });
    expect(weightsNotice({ ...none, matched: matched(1) }, '"m.zip"').text).toBe('Loaded 1 tensor from "m.zip".');
  });

  it('names every mismatching node; nothing loaded when a shape is wrong', () => {
    const notice = weightsNotice(
      {
        ...none,
        matched: matched(2),
        shapeMismatches: [{ message: 'node "hidden1": tensor "hidden1.kernel" is [2, 8] but hidden1/kernel is [2, 16]', node: 'hidden1' }],
        missing: [{ message: 'node "logits": the file has no tensor "logits.bias"', node: 'logits' }],
      },
      '"w.safetensors"',
    );
    expect(notice.kind).toBe('error');
    expect(notice.text).toMatch(/^Loaded no weights from "w\.safetensors": node "hidden1": .*; node "logits": /);
  });

  it('says what loaded when only some variables were in the file, and lists a few stray tensors', () => {
    const unexpected = Array.from({ length: 8 }, (_, i) => ({ message: `tensor "x${i}" matches no variable of this graph`, tensor: `x${i}` }));
    const notice = weightsNotice({ ...none, matched: matched(4), missing: [{ message: 'node "head": the file has no tensor "head.kernel"', node: 'head' }], unexpected }, '"w"');
    expect(notice.text).toMatch(/^Loaded 4 of 5 tensors from "w": node "head": .*tensor "x4" matches no variable of this graph; and 3 more tensors match no variable\. The nodes without weights/);
  });
});
