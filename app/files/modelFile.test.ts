import { strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { WeightMatch } from '../../engine/interchange';
import { TEMPLATES } from '../templates';
import { isZip, modelFileName, onnxFileName, readModelFile, weightsBlocker, weightsNotice } from './modelFile';
import { safetensorsByHand, tensorsOf } from '../../engine/testing/safetensorsByHand';

const when = new Date('2025-03-01T00:00:00Z');
const spirals = TEMPLATES.find((t) => t.id === 'two-spirals')!.build(when);

const weights = safetensorsByHand({ 'hidden1.kernel': { shape: [2, 2], values: [1, -2, 3.5, 0.25] }, 'hidden1.bias': { shape: [2], values: [0.5, -0.5] } });

describe('model files', () => {
  const unpacked = (graphText: string) => ({ ok: true as const, graphText, weights, tensors: 2 });

  it('opens the graph the worker unpacked, with its weights', () => {
    const read = readModelFile(unpacked(JSON.stringify(spirals)), 'spirals.wiregrad.zip');
    expect(read).toMatchObject({ ok: true, tensors: 2, doc: spirals });
    expect(read.ok && tensorsOf(read.weights)).toEqual({ 'hidden1.kernel': [1, -2, 3.5, 0.25], 'hidden1.bias': [0.5, -0.5] });
    expect(readModelFile({ ok: false, message: 'Could not open "x.zip": broken.' }, 'x.zip')).toEqual({
      ok: false,
      message: 'Could not open "x.zip": broken.',
    });
  });

  it('sends the graph through the document gate', () => {
    const read = readModelFile(unpacked('{"format":"wiregrad.graph","version":1,"nodes":"no"}'), 'bad.zip');
    expect(read).toMatchObject({ ok: false, message: expect.stringMatching(/^Could not open "bad\.zip"/) });
    const deep = readModelFile(unpacked(`${'['.repeat(20_000)}${']'.repeat(20_000)}`), 'deep.zip');
    expect(deep).toMatchObject({ ok: false, message: expect.stringMatching(/levels deep/) });
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
    const notice = weightsNotice(
      { ...none, matched: matched(4), missing: [{ message: 'node "head": the file has no tensor "head.kernel"', node: 'head' }], unexpected },
      '"w"',
    );
    expect(notice.text).toMatch(
      /^Loaded 4 of 5 tensors from "w": node "head": .*tensor "x4" matches no variable of this graph; and 3 more tensors match no variable\. The nodes without weights/,
    );
  });
});
