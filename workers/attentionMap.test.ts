import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/backends/cpu/backend';
import { Program } from '../engine/compile/program';
import { builtinDataset, splitIndices } from '../engine/data';
import { makeDoc } from '../engine/testing/docs';
import { attentionMap, type AttentionContext } from './attentionMap';

const T = 6;
const V = 16;
const D = 8;

async function context(): Promise<AttentionContext & { weights: Record<string, Float32Array> }> {
  const doc = makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [T], dtype: 'i32' }],
      ['y', 'Input', { field: 'y', shape: [T], dtype: 'i32' }],
      ['emb', 'Embedding', { inputDim: V, outputDim: D, init: { kind: 'normal', mean: 0, std: 1 } }],
      ['att', 'MultiHeadAttention', { heads: 2, keyDim: 4, causal: true, biasInit: { kind: 'normal', mean: 0, std: 0.5 } }],
      ['logits', 'Dense', { units: V }],
      ['loss', 'SequenceCrossEntropy'],
    ],
    ['x.y -> emb.x', 'emb.y -> att.q', 'att.y -> logits.x', 'logits.y -> loss.pred', 'y.y -> loss.target'],
    { dataset: { kind: 'sequence', task: 'sort', length: 3, size: 40, seed: 1 }, seed: 4, validationSplit: 0.25 },
  );
  const program = await Program.create(doc, new CpuBackend());
  const dataset = builtinDataset(doc.training.dataset, doc.training.seed);
  const split = splitIndices(dataset.length, 0.25, doc.training.seed);
  return { program, doc, dataset, split, weights: await program.getWeights() };
}

/** softmax(q·kᵀ/√d) per head with the causal mask, in float64 from the weights (x = embeddings of ids). */
function byHand(w: Record<string, Float32Array>, ids: ArrayLike<number>): number[] {
  const find = (s: string) => w[Object.keys(w).find((k) => k.endsWith(s))!]!;
  const table = find('embeddings');
  const proj = (name: string) =>
    Array.from(ids, (id) =>
      Array.from(
        { length: 8 },
        (_v, o) =>
          find(`${name}_bias`)[o]! + Array.from({ length: D }, (_u, i) => table[id * D + i]! * find(`${name}_kernel`)[i * 8 + o]!).reduce((a, b) => a + b, 0),
      ),
    );
  const q = proj('query');
  const k = proj('key');
  const out: number[] = [];
  for (let h = 0; h < 2; h++) {
    for (let i = 0; i < T; i++) {
      const s = Array.from({ length: T }, (_v, j) =>
        j > i ? -Infinity : Array.from({ length: 4 }, (_u, c) => q[i]![h * 4 + c]! * k[j]![h * 4 + c]!).reduce((a, b) => a + b, 0) / 2,
      );
      const m = Math.max(...s);
      const e = s.map((v) => Math.exp(v - m));
      const z = e.reduce((a, b) => a + b, 0);
      out.push(...e.map((v) => v / z));
    }
  }
  return out;
}

describe('attention map (the attention probe command)', () => {
  it('reads the weights of a validation sample, equal to softmax(q·kᵀ/√d) with the causal mask by hand, labelled by its tokens', async () => {
    const ctx = await context();
    const m = await attentionMap(ctx, { node: 'att', sample: 2 });
    expect([m.heads, m.queries, m.keys]).toEqual([2, T, T]);
    const ids = ctx.dataset.data.x!.subarray(ctx.split.validation[2]! * T, (ctx.split.validation[2]! + 1) * T);
    expect(m.tokens).toEqual(Array.from(ids, (id) => ctx.dataset.vocab![id]));
    const ref = byHand(ctx.weights, ids);
    for (let n = 0; n < ref.length; n++) expect(m.weights[n]).toBeCloseTo(ref[n]!, 5);
    expect(m.validation).toBe(10);
  });

  it("takes typed text, padded with id 0 to the model's length", async () => {
    const ctx = await context();
    const m = await attentionMap(ctx, { node: 'att', text: '321=' });
    expect(m.tokens).toEqual(['3', '2', '1', '=', '0', '0']);
    const ref = byHand(ctx.weights, [3, 2, 1, 11, 0, 0]);
    for (let n = 0; n < ref.length; n++) expect(m.weights[n]).toBeCloseTo(ref[n]!, 5);
  });

  it('says which node is not an attention layer, and which sample does not exist', async () => {
    const ctx = await context();
    await expect(attentionMap(ctx, { node: 'emb' })).rejects.toThrow(/node emb \(Embedding\) is not a MultiHeadAttention/);
    await expect(attentionMap(ctx, { node: 'nope' })).rejects.toThrow(/no node nope/);
    await expect(attentionMap(ctx, { node: 'att', sample: 10 })).rejects.toThrow(/no validation sample 10: the validation split holds 10/);
    await expect(attentionMap(ctx, { node: 'att', text: 'ab' })).rejects.toThrow(/outside the vocabulary/);
  });
});
