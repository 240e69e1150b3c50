import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backends/cpu/backend';
import { Program } from '../compile/program';
import { parseDocument } from '../graph/migrations';
import { makeDoc } from '../testing/docs';
import { MODEL_FILE_LIMITS, ModelFileError, packModel, unpackModel } from './modelFile';
import { writeSafetensors } from './safetensors';
import { encodeWeights, matchedValues, matchWeights } from './weights';

const doc = makeDoc(
  [
    ['x', 'Input', { field: 'x', shape: [3] }],
    ['y', 'Input', { field: 'y', shape: [2] }],
    ['dense1', 'Dense', { units: 2, activation: 'tanh' }],
    ['loss', 'MSELoss', {}],
  ],
  ['x.y -> dense1.x', 'dense1.y -> loss.pred', 'y.y -> loss.target'],
);
const x = new Float32Array([0.5, -1, 2, 1, 1, 1]);

function errorOf(f: () => unknown): ModelFileError {
  try {
    f();
  } catch (e) {
    if (e instanceof ModelFileError) return e;
    throw new Error(`expected a ModelFileError, got ${String(e)}`);
  }
  throw new Error('expected an error');
}

describe('model files (graph.json + weights.safetensors in a zip)', () => {
  it('reopen as the same document with the same weights, predicting the same', async () => {
    const program = await Program.create(doc, new CpuBackend());
    program.setWeights({ 'dense1/kernel': [1, 2, 3, 4, 5, 6], 'dense1/bias': [0.5, -0.5] });
    const bytes = packModel(doc, encodeWeights(program.variables, await program.getWeights()));
    expect(packModel(doc, encodeWeights(program.variables, await program.getWeights()))).toEqual(bytes);

    const { graphText, weights } = unpackModel(bytes);
    const opened = parseDocument(graphText);
    if (!opened.ok) throw new Error(JSON.stringify(opened.errors));
    expect(opened.doc).toEqual(doc);
    const reopened = await Program.create(opened.doc, new CpuBackend());
    const match = matchWeights(reopened.variables, weights);
    expect(match.matched).toHaveLength(2);
    reopened.setWeights(matchedValues(weights, match));
    const want = (await program.forward({ x })).get('dense1')!.y!.data;
    expect([...(await reopened.forward({ x })).get('dense1')!.y!.data]).toEqual([...want]);
  });

  const weights = writeSafetensors({ 'dense1.bias': { dtype: 'F32', shape: [2], data: new Float32Array(2) } });
  const graph = strToU8(JSON.stringify(doc));

  it.each([
    ['not a zip', () => strToU8('hello, this is not a zip file at all'), /not a readable zip file/],
    ['a zip without the graph', () => zipSync({ 'weights.safetensors': weights }), /no graph.json: it is not a Wiregrad model file/],
    ['a zip without weights', () => zipSync({ 'graph.json': graph }), /no weights.safetensors/],
    [
      'broken weights',
      () => zipSync({ 'graph.json': graph, 'weights.safetensors': weights.subarray(0, 20) }),
      /weights.safetensors: the header length \d+ runs past the end/,
    ],
    [
      'a graph that is not UTF-8',
      () => zipSync({ 'graph.json': new Uint8Array([0x7b, 0xff, 0x7d]), 'weights.safetensors': weights }),
      /graph.json is not UTF-8 text/,
    ],
    ['a truncated zip', () => packModel(doc, weights).subarray(0, 100), /not a readable zip file/],
  ])('refuses %s', (_what, make, message) => {
    expect(errorOf(() => unpackModel(make())).message).toMatch(message);
  });

  it('refuses sizes over the limits from the zip directory, before inflating', () => {
    // A deflated run of zeros: a few kilobytes in the file, 9 MiB unpacked.
    const bomb = zipSync({ 'graph.json': [new Uint8Array(9 * 1024 * 1024), { level: 1 }], 'weights.safetensors': weights });
    expect(bomb.length).toBeLessThan(200_000);
    expect(errorOf(() => unpackModel(bomb)).message).toMatch(/graph.json is 9 MiB unpacked, over the 8 MiB allowed/);
    const small = { ...MODEL_FILE_LIMITS, fileBytes: 1000 };
    expect(errorOf(() => unpackModel(new Uint8Array(2000), small)).message).toMatch(/the file is 2000 bytes, over the 1000 bytes a model file may be/);
    const many = Object.fromEntries(Array.from({ length: 70 }, (_v, i) => [`extra${i}.txt`, strToU8('x')]));
    expect(errorOf(() => unpackModel(zipSync({ ...many, 'graph.json': graph, 'weights.safetensors': weights }))).message).toMatch(/more than 64 entries/);
  });

  it('ignores entries it does not know', () => {
    const { graphText } = unpackModel(zipSync({ 'graph.json': graph, 'weights.safetensors': weights, 'README.txt': strToU8('later versions may add files') }));
    expect(JSON.parse(graphText)).toEqual(JSON.parse(JSON.stringify(doc)));
  });
});
