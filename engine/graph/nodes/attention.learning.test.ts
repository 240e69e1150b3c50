/**
 * Learning proofs (about a minute on one CPU core): a small causal
 * Transformer learns to sort digits to ≥ 95% exact match on held-out sequences, and a character model's
 * validation loss falls below the unigram baseline. Trained with the WASM backend (the CPU reference's
 * kernels in SIMD); accuracy is computed here from the logits, independently of SequenceAccuracy.
 */
import { describe, expect, it } from 'vitest';
import { WasmBackend } from '../../backends/wasm/backend';
import { Program } from '../../compile/program';
import { sequenceTaskDataset } from '../../data/sequence';
import { textCorpusDataset } from '../../data/sequenceText';
import { splitIndices } from '../../data/dataset';
import { Rng } from '../../ops/random';
import { makeDoc, type EdgeLine, type NodeLine } from '../../testing/docs';

/** Embedding → learned positions → `layers` causal TransformerBlocks → LayerNorm → Dense(vocab) → SequenceCrossEntropy. */
export function tinyGpt(o: { context: number; vocab: number; width: number; layers: number; batch: number; lr: number; seed?: number }) {
  const nodes: NodeLine[] = [
    ['x', 'Input', { field: 'x', shape: [o.context], dtype: 'i32' }],
    ['emb', 'Embedding', { inputDim: o.vocab, outputDim: o.width, init: { kind: 'normal', mean: 0, std: 0.1 } }],
    ['pos', 'PositionalEmbedding', { maxLength: o.context, init: { kind: 'normal', mean: 0, std: 0.1 } }],
  ];
  const edges: EdgeLine[] = ['x.y -> emb.x', 'emb.y -> pos.x'];
  let prev = 'pos';
  for (let l = 0; l < o.layers; l++) {
    nodes.push([`b${l}`, 'TransformerBlock', { heads: 4, keyDim: o.width / 4, ffnUnits: 2 * o.width, causal: true }]);
    edges.push(`${prev}.y -> b${l}.x`);
    prev = `b${l}`;
  }
  nodes.push(
    ['ln', 'LayerNorm'],
    ['head', 'Dense', { units: o.vocab }],
    ['y', 'Input', { field: 'y', shape: [o.context], dtype: 'i32' }],
    ['loss', 'SequenceCrossEntropy'],
  );
  edges.push(`${prev}.y -> ln.x`, 'ln.y -> head.x', 'head.y -> loss.pred', 'y.y -> loss.target');
  return makeDoc(nodes, edges, { batchSize: o.batch, optimizer: { type: 'adam' }, lr: o.lr, seed: o.seed ?? 1 });
}

/** Rows [from, from + n) of a per-sample field of width w. */
const rows = (a: Int32Array, w: number, from: number, n: number) => a.subarray(from * w, (from + n) * w);

describe('a Transformer learns', () => {
  it('sorts 5 digits: ≥ 95% exact match on held-out sequences', async () => {
    const length = 5;
    const train = sequenceTaskDataset({ task: 'sort', length, size: 16384, seed: 1 });
    const T = train.fields.x!.shape[0]!;
    const seen = new Set(
      Array.from({ length: train.length }, (_v, i) =>
        rows(train.data.x as Int32Array, T, i, 1)
          .slice(0, length)
          .join(),
      ),
    );
    const pool = sequenceTaskDataset({ task: 'sort', length, size: 2000, seed: 99 });
    const held = Array.from({ length: pool.length }, (_v, i) => i)
      .filter(
        (i) =>
          !seen.has(
            rows(pool.data.x as Int32Array, T, i, 1)
              .slice(0, length)
              .join(),
          ),
      )
      .slice(0, 1024);
    expect(held.length).toBe(1024);
    const batch = 64;
    const program = await Program.create(tinyGpt({ context: T, vocab: 16, width: 32, layers: 2, batch, lr: 3e-3 }), WasmBackend.createSync());
    const rng = new Rng(5);
    const order = Array.from({ length: train.length }, (_v, i) => i);
    const x = new Int32Array(batch * T);
    const y = new Int32Array(batch * T);
    const exactMatch = async (): Promise<number> => {
      let right = 0;
      for (let s = 0; s < held.length; s += batch) {
        held.slice(s, s + batch).forEach((i, k) => {
          x.set(rows(pool.data.x as Int32Array, T, i, 1), k * T);
          y.set(rows(pool.data.y as Int32Array, T, i, 1), k * T);
        });
        const logits = (await program.forward({ x }, { nodes: ['head'] })).get('head')!.y!.data;
        for (let k = 0; k < batch; k++) {
          let ok = true;
          for (let t = 0; t < T && ok; t++) {
            const label = y[k * T + t]!;
            if (label === -100) continue;
            const row = logits.subarray((k * T + t) * 16, (k * T + t + 1) * 16);
            ok = row.indexOf(Math.max(...row)) === label;
          }
          if (ok) right++;
        }
      }
      return right / held.length;
    };
    let acc = 0;
    for (let step = 0; step < 6000 && acc < 0.97; step++) {
      const start = (step * batch) % train.length;
      if (start === 0)
        for (let i = order.length - 1; i > 0; i--) {
          const j = rng.int(i + 1);
          [order[i], order[j]] = [order[j]!, order[i]!];
        }
      order.slice(start, start + batch).forEach((i, k) => {
        x.set(rows(train.data.x as Int32Array, T, i, 1), k * T);
        y.set(rows(train.data.y as Int32Array, T, i, 1), k * T);
      });
      const loss = await program.step({ x, y });
      if ((step + 1) % 250 === 0) {
        acc = await exactMatch();
        console.log(`sort: step ${step + 1}, loss ${loss.toFixed(4)}, held-out exact match ${(100 * acc).toFixed(1)}%`);
      }
    }
    expect(acc).toBeGreaterThanOrEqual(0.95);
  }, 3_600_000);

  it("a character model's validation loss falls at least 0.5 nats below the unigram baseline", async () => {
    // A seeded corpus of simple sentences: words repeat, so characters are predictable from context.
    const rng = new Rng(21);
    const pick = (words: string[]) => words[rng.int(words.length)]!;
    const [adjs, nouns, verbs] = [
      ['small', 'green', 'quiet', 'heavy', 'bright'],
      ['cat', 'river', 'engine', 'garden', 'teacher', 'window'],
      ['sees', 'follows', 'paints', 'carries', 'finds'],
    ];
    let text = '';
    while (text.length < 40_000) text += `the ${pick(adjs)} ${pick(nouns)} ${pick(verbs)} the ${pick(nouns)}. `;
    const context = 32;
    const { dataset } = textCorpusDataset(text, { context, validationSplit: 0.1, seed: 3 });
    const { train, validation } = splitIndices(dataset.length, 0.1, 3);
    const V = dataset.vocab!.length;
    const X = dataset.data.x as Int32Array;
    const Y = dataset.data.y as Int32Array;
    // Unigram baseline: each validation character's −log frequency among the training targets (add-one smoothed).
    const counts = new Float64Array(V).fill(1);
    for (const w of train) for (let t = 0; t < context; t++) counts[Y[w * context + t]!]! += 1;
    const total = counts.reduce((a, c) => a + c, 0);
    let unigram = 0;
    for (const w of validation) for (let t = 0; t < context; t++) unigram -= Math.log(counts[Y[w * context + t]!]! / total);
    unigram /= validation.length * context;

    const batch = 32;
    const program = await Program.create(tinyGpt({ context, vocab: V, width: 32, layers: 2, batch, lr: 3e-3 }), WasmBackend.createSync());
    const x = new Int32Array(batch * context);
    const y = new Int32Array(batch * context);
    const fill = (ids: ArrayLike<number>, from: number) => {
      for (let k = 0; k < batch; k++) {
        const w = ids[(from + k) % ids.length]!;
        x.set(rows(X, context, w, 1), k * context);
        y.set(rows(Y, context, w, 1), k * context);
      }
    };
    for (let step = 0; step < 100; step++) {
      fill(train, step * batch);
      await program.step({ x, y });
    }
    // Validation cross-entropy from the logits, in float64.
    let loss = 0;
    let n = 0;
    for (let s = 0; s + batch <= validation.length; s += batch) {
      fill(validation, s);
      const logits = (await program.forward({ x }, { nodes: ['head'] })).get('head')!.y!.data;
      for (let i = 0; i < batch * context; i++) {
        const row = Array.from(logits.subarray(i * V, i * V + V));
        const m = Math.max(...row);
        loss += m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0)) - row[y[i]!]!;
        n++;
      }
    }
    loss /= n;
    console.log(`char model: validation loss ${loss.toFixed(3)} nats/char vs unigram ${unigram.toFixed(3)} over ${n} characters`);
    expect(loss).toBeLessThan(unigram - 0.5);
  }, 3_600_000);
});
