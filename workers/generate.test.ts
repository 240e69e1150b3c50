import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/backends/cpu/backend';
import { Program } from '../engine/compile/program';
import { builtinDataset, gatherBatch, splitIndices, type Dataset } from '../engine/data';
import { nextToken } from '../engine/data/sequenceSampling';
import { makeDoc } from '../engine/testing/docs';
import { generate, generateInfo, greedyAccuracy, type GenerateContext } from './generate';

/** A bigram model: each position's logits from its own token only (so it is causal). */
function bigramDoc(dataset: Record<string, unknown>, T: number, V: number) {
  return makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [T], dtype: 'i32' }],
      ['y', 'Input', { field: 'y', shape: [T], dtype: 'i32' }],
      ['emb', 'Embedding', { inputDim: V, outputDim: 8, init: { kind: 'normal', mean: 0, std: 1 } }],
      ['logits', 'Dense', { units: V }],
      ['loss', 'SequenceCrossEntropy'],
    ],
    ['x.y -> emb.x', 'emb.y -> logits.x', 'logits.y -> loss.pred', 'y.y -> loss.target'],
    { dataset, optimizer: { type: 'adam' }, lr: 0.05, batchSize: 32, seed: 3, validationSplit: 0.25 },
  );
}

async function context(dataset: Record<string, unknown>, T: number, V: number, steps: number): Promise<GenerateContext & { byHand: (id: number) => number[] }> {
  const doc = bigramDoc(dataset, T, V);
  const program = await Program.create(doc, new CpuBackend());
  const ds: Dataset = builtinDataset(doc.training.dataset, doc.training.seed);
  const split = splitIndices(ds.length, doc.training.validationSplit, doc.training.seed);
  for (let s = 0; s < steps; s++)
    await program.step(gatherBatch(ds, split.train.subarray((s * 32) % (split.train.length - 32), ((s * 32) % (split.train.length - 32)) + 32)));
  const w = await program.getWeights();
  const find = (node: string, v: string) => w[Object.keys(w).find((k) => k.startsWith(node) && k.endsWith(v))!]!;
  const [table, kernel, bias] = [find('emb', 'embeddings'), find('logits', 'kernel'), find('logits', 'bias')];
  // float64 by hand: logits = table[id] · kernel + bias
  const byHand = (id: number) =>
    Array.from({ length: V }, (_v, c) => bias[c]! + Array.from({ length: 8 }, (_u, j) => table[id * 8 + j]! * kernel[j * V + c]!).reduce((a, b) => a + b, 0));
  return { program, doc, dataset: ds, split, byHand };
}

const argmax = (xs: number[]) => xs.indexOf(Math.max(...xs));

describe('generation (the generation panel commands)', () => {
  it('describes a task run: context, vocabulary, prompt and answer lengths, the logits node', async () => {
    const ctx = await context({ kind: 'sequence', task: 'sort', length: 3, size: 200, seed: 1 }, 6, 16, 0);
    const info = generateInfo(ctx);
    expect(info).toMatchObject({
      field: 'x',
      context: 6,
      kind: 'task',
      promptLength: 4,
      answerLength: 3,
      output: { node: 'logits', port: 'y' },
      validation: 50,
    });
    expect(info.examples[0]).toMatch(/^\d{3}=$/);
  });

  it('greedy decoding feeds back its own tokens, and its exact match is counted as by hand', async () => {
    const ctx = await context({ kind: 'sequence', task: 'sort', length: 3, size: 200, seed: 1 }, 6, 16, 30);
    const r = await greedyAccuracy(ctx);
    const x = ctx.dataset.data.x!;
    const y = ctx.dataset.data.y!;
    let exact = 0;
    let tokens = 0;
    const decoded: string[] = [];
    for (const i of ctx.split.validation) {
      const row = [...x.subarray(i * 6, i * 6 + 4)];
      for (let k = 0; k < 3; k++) row.push(argmax(ctx.byHand(row.at(-1)!)));
      const truth = [...x.subarray(i * 6 + 4, i * 6 + 6), y[i * 6 + 5]!];
      const right = truth.filter((t, k) => row[4 + k] === t).length;
      tokens += right;
      if (right === 3) exact++;
      decoded.push(
        row
          .slice(4)
          .map((id) => ctx.dataset.vocab![id])
          .join(''),
      );
    }
    expect(r.evaluated).toBe(50);
    expect(r.exactMatch).toBe(exact / 50);
    expect(r.tokenAccuracy).toBe(tokens / 150);
    expect(r.examples.map((e) => e.decoded)).toEqual(decoded.slice(0, 8));
    expect(r.examples[0]!.expected).toBe([...r.examples[0]!.prompt.slice(0, 3)].sort().join(''));
  });

  it("samples each next token from the logits at the prompt's last position (short prompts padded, long ones cut)", async () => {
    const ctx = await context({ kind: 'sequence', task: 'copy', length: 4, size: 100, seed: 2 }, 8, 16, 10);
    for (const [prompt, opts] of [
      ['12', { temperature: 0 }],
      ['3', { temperature: 1 }],
      ['0123456789+=()', { temperature: 0.8, topK: 4 }],
    ] as const) {
      const g = await generate(ctx, { text: prompt, tokens: 12, seed: 5, ...opts });
      const ids: number[] = [];
      let last = ctx.dataset.vocab!.indexOf(prompt.at(-1)!);
      for (let i = 0; i < 12; i++) {
        last = nextToken(ctx.byHand(last), opts, 5, i);
        ids.push(last);
      }
      expect(g.ids).toEqual(ids);
      expect(g.text).toBe(ids.map((id) => ctx.dataset.vocab![id]).join(''));
    }
    // in two calls (offset) the same as in one
    const one = await generate(ctx, { text: '7', tokens: 10, seed: 9, temperature: 1.5 });
    const first = await generate(ctx, { text: '7', tokens: 4, seed: 9, temperature: 1.5 });
    const rest = await generate(ctx, { text: `7${first.text}`, tokens: 6, seed: 9, temperature: 1.5, offset: 4 });
    expect(first.text + rest.text).toBe(one.text);
  });

  it("reads only the vocabulary's logits from a wider head (a template sized for any corpus), and refuses a narrower one", async () => {
    const ctx = await context({ kind: 'sequence', task: 'copy', length: 4, size: 100, seed: 2 }, 8, 24, 5);
    const g = await generate(ctx, { text: '5', tokens: 40, seed: 1, temperature: 3 });
    expect(g.ids.every((id) => id < 16)).toBe(true);
    let last = 5;
    const ids = Array.from({ length: 40 }, (_v, i) => (last = nextToken(ctx.byHand(last).slice(0, 16), { temperature: 3 }, 1, i)));
    expect(g.ids).toEqual(ids);
    const narrow = await context({ kind: 'sequence', task: 'copy', length: 4, size: 100, seed: 2 }, 8, 12, 0);
    await expect(generate(narrow, { text: '5', tokens: 1, seed: 1, temperature: 0 })).rejects.toThrow(
      /gives 12 logits per position, but the dataset's vocabulary has 16 tokens: set its units to at least 16/,
    );
  });

  it("refuses characters outside a task's vocabulary, an empty prompt, and a dataset that is not sequences", async () => {
    const ctx = await context({ kind: 'sequence', task: 'copy', length: 2, size: 40, seed: 2 }, 4, 16, 0);
    await expect(generate(ctx, { text: '1a', tokens: 1, seed: 0, temperature: 0 })).rejects.toThrow(/vocabulary is 0 1 .*the prompt has "a"/);
    await expect(generate(ctx, { text: '', tokens: 1, seed: 0, temperature: 0 })).rejects.toThrow(/type a prompt/);
    const xor = builtinDataset({ kind: 'xor', size: 20, noise: 0.1 }, 1);
    expect(() => generateInfo({ ...ctx, dataset: xor })).toThrow(/not a sequence dataset/);
    await expect(greedyAccuracy({ ...ctx, dataset: { ...ctx.dataset, sequence: { kind: 'text', unknown: 15 } } })).rejects.toThrow(
      /greedy accuracy is for the synthetic tasks/,
    );
  });
});
