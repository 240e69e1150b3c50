/** The attention layers and sequence losses: gradients against float64 finite differences, values by hand. */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../backends/cpu/backend';
import { Program } from '../../compile/program';
import { makeDoc } from '../../testing/docs';
import { gradcheck } from '../../testing/gradcheck';
import { causalMask, sinusoidalPositions } from './attention';
import { layerCase, variablesOf } from './attentionTesting';

async function expectGradientsMatch(c: ReturnType<typeof layerCase>) {
  const { maxError, analytic } = await gradcheck(c.inputs, c.build);
  expect(maxError).toBeLessThan(1e-6);
  // Every input and variable gets a gradient that is not all zeros (no vacuous pass), except the key
  // bias: it adds q·b_k to every score of a query alike, which softmax cancels (0 in PyTorch too).
  const names = [...c.inputs.slice(0, c.inputs.length - c.variables.length).map(() => 'input'), ...c.variables.map((v) => v.name)];
  analytic.forEach((a, i) =>
    expect(
      a.some((v) => Math.abs(v) > 1e-4),
      names[i],
    ).toBe(!names[i]!.endsWith('key_bias')),
  );
}

describe('gradients of the attention layers match central finite differences in float64', () => {
  it('MultiHeadAttention, self-attention, causal (2 heads of 3 on width 5)', async () => {
    await expectGradientsMatch(layerCase('MultiHeadAttention', { q: [2, 4, 5] }, { heads: 2, keyDim: 3, causal: true }));
  });
  it('MultiHeadAttention, cross-attention to a longer, wider kv, no bias', async () => {
    await expectGradientsMatch(layerCase('MultiHeadAttention', { q: [2, 3, 4], kv: [2, 5, 6] }, { heads: 2, keyDim: 2, useBias: false }));
  });
  it('MultiHeadAttention, its attention-weights port (keys and queries get gradients; values do not)', async () => {
    const c = layerCase('MultiHeadAttention', { q: [1, 3, 4] }, { heads: 2, keyDim: 2, causal: true }, 'attention');
    const { maxError, analytic } = await gradcheck(c.inputs, c.build);
    expect(maxError).toBeLessThan(1e-6);
    const names = c.variables.map((v) => v.name);
    expect(analytic[1 + names.indexOf('query_kernel')]!.some((v) => Math.abs(v) > 1e-4)).toBe(true);
    expect(analytic[1 + names.indexOf('value_kernel')]!.every((v) => v === 0)).toBe(true);
  });
  it('PositionalEmbedding, learned (a slice of the table when the sequence is shorter)', async () => {
    await expectGradientsMatch(layerCase('PositionalEmbedding', { x: [2, 3, 4] }, { kind: 'learned', maxLength: 5 }));
  });
  it('PositionalEmbedding, sinusoidal', async () => {
    await expectGradientsMatch(layerCase('PositionalEmbedding', { x: [2, 3, 4] }, { kind: 'sinusoidal' }));
  });
  it("TransformerBlock (causal, every part's variables)", async () => {
    const c = layerCase('TransformerBlock', { x: [2, 3, 4] }, { heads: 2, keyDim: 2, ffnUnits: 6, causal: true });
    expect(c.variables.map((v) => v.name)).toEqual([
      'ln1_gamma',
      'ln1_beta',
      'attn_query_kernel',
      'attn_query_bias',
      'attn_key_kernel',
      'attn_key_bias',
      'attn_value_kernel',
      'attn_value_bias',
      'attn_output_kernel',
      'attn_output_bias',
      'ln2_gamma',
      'ln2_beta',
      'ffn1_kernel',
      'ffn1_bias',
      'ffn2_kernel',
      'ffn2_bias',
    ]);
    await expectGradientsMatch(c);
  });
});

describe('attention values', () => {
  it('the causal mask hides key j from query i when j > i', () => {
    expect(causalMask(3, 3).map((v) => (v < 0 ? 1 : 0))).toEqual([0, 1, 1, 0, 0, 1, 0, 0, 0]);
  });

  it('sinusoidal positions are sin/cos of t / 10000^(2i/D)', () => {
    const pe = sinusoidalPositions(3, 4);
    expect(pe[0]).toBe(0);
    expect(pe[1]).toBe(1);
    expect(pe[4 * 2 + 0]).toBeCloseTo(Math.sin(2), 12);
    expect(pe[4 * 2 + 3]).toBeCloseTo(Math.cos(2 / 100), 12);
  });

  it("a causal MultiHeadAttention's weights sum to 1 per query and are 0 on later keys; the output does not depend on later tokens", async () => {
    const [t, d] = [5, 4];
    const doc = makeDoc(
      [
        ['x', 'Input', { field: 'x', shape: [t, d] }],
        ['mha', 'MultiHeadAttention', { heads: 2, keyDim: 3, causal: true }],
        ['t', 'Input', { field: 't', shape: [t, d] }],
        ['loss', 'MSELoss'],
      ],
      ['x.y -> mha.q', 'mha.y -> loss.pred', 't.y -> loss.target'],
      { batchSize: 1, optimizer: { type: 'sgd' }, lr: 0.1, seed: 2 },
    );
    const p = await Program.create(doc, new CpuBackend());
    const x = Float32Array.from({ length: t * d }, (_v, i) => Math.sin(i * 1.3));
    const out = (await p.forward({ x })).get('mha')!;
    const w = out.attention!;
    expect(w.shape).toEqual([1, 2, t, t]);
    for (let h = 0; h < 2; h++) {
      for (let i = 0; i < t; i++) {
        const row = Array.from(w.data.subarray((h * t + i) * t, (h * t + i + 1) * t));
        expect(row.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 5);
        row.forEach((v, j) => (j > i ? expect(v).toBe(0) : expect(v).toBeGreaterThan(0)));
      }
    }
    // Change the last token: every earlier output stays, the last one moves.
    const x2 = Float32Array.from(x);
    x2.fill(3, (t - 1) * d);
    const y1 = out.y!.data;
    const y2 = (await p.forward({ x: x2 })).get('mha')!.y!.data;
    for (let i = 0; i < (t - 1) * d; i++) expect(y2[i]).toBeCloseTo(y1[i]!, 6);
    expect(Math.abs(y2[t * d - 1]! - y1[t * d - 1]!)).toBeGreaterThan(1e-4);
  });

  it('MultiHeadAttention asks for PyTorch-shaped projections: query [D, H·d], key/value [Dkv, H·d], output [H·d, D]', () => {
    const shapes = Object.fromEntries(
      variablesOf('MultiHeadAttention', { q: [2, 3, 4], kv: [2, 5, 6] }, { heads: 2, keyDim: 3 }).map((v) => [v.name, v.shape]),
    );
    expect(shapes).toEqual({
      query_kernel: [4, 6],
      query_bias: [6],
      key_kernel: [6, 6],
      key_bias: [6],
      value_kernel: [6, 6],
      value_bias: [6],
      output_kernel: [6, 4],
      output_bias: [4],
    });
  });

  it('PositionalEmbedding refuses a sequence longer than maxLength, naming both', () => {
    expect(() => variablesOf('PositionalEmbedding', { x: [1, 9, 4] }, { maxLength: 8 })).toThrow(/9 positions but maxLength is 8/);
  });
});
