import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { twoLayerDoc } from '../engine/testing/docs';
import { packModelFile, unpackModelFile } from './modelFiles';
import { safetensorsByHand, tensorsOf } from '../engine/testing/safetensorsByHand';

const spirals = twoLayerDoc();

const weights = safetensorsByHand({ 'hidden1.kernel': { shape: [2, 2], values: [1, -2, 3.5, 0.25] }, 'hidden1.bias': { shape: [2], values: [0.5, -0.5] } });

describe('model files in the worker', () => {
  it('packs the stamped graph and the weights, and unpacks both', () => {
    const bytes = packModelFile(spirals, weights, new Date('2025-04-04T00:00:00Z'));
    const read = unpackModelFile(bytes, 'spirals.wiregrad.zip');
    expect(read).toMatchObject({ ok: true, tensors: 2 });
    const doc = read.ok ? JSON.parse(read.graphText) : undefined;
    expect(doc.meta.modified).toBe('2025-04-04T00:00:00.000Z');
    expect(doc.nodes).toEqual(spirals.nodes);
    // The weights come back as a safetensors file with the same tensors (the engine's layout; the same values).
    const again = unpackModelFile(packModelFile(spirals, read.ok ? read.weights : new Uint8Array()), 'x.zip');
    expect(again.ok && again.weights).toEqual(read.ok && read.weights);
    expect(unzipSync(bytes)['weights.safetensors']).toEqual(weights);
    expect(read.ok && tensorsOf(read.weights)).toEqual({ 'hidden1.bias': [0.5, -0.5], 'hidden1.kernel': [1, -2, 3.5, 0.25] });
  });

  it('names the file and the problem for a damaged or foreign zip, and never throws', () => {
    const bytes = packModelFile(spirals, weights);
    const cut = unpackModelFile(bytes.slice(0, bytes.length - 30), 'cut.wiregrad.zip');
    expect(cut).toMatchObject({ ok: false, message: expect.stringMatching(/^Could not open "cut\.wiregrad\.zip": this is not a readable zip file/) });
    const noWeights = unpackModelFile(zipSync({ 'graph.json': strToU8(JSON.stringify(spirals)) }), 'g.zip');
    expect(noWeights).toMatchObject({ ok: false, message: expect.stringMatching(/no weights\.safetensors/) });
    const garbled = new Uint8Array(weights);
    garbled[0] = 0xff;
    const badWeights = unpackModelFile(zipSync({ 'graph.json': strToU8(JSON.stringify(spirals)), 'weights.safetensors': garbled }), 'w.zip');
    expect(badWeights).toMatchObject({ ok: false, message: expect.stringMatching(/^Could not open "w\.zip": weights\.safetensors: /) });
  });
});
