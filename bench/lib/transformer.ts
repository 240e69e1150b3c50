/**
 * The transformer row of the benchmarks: the char-GPT template's model (2 causal pre-LN blocks of 4
 * heads, width 64, context 64, vocabulary 128) as a Wiregrad document, one fixed random batch of
 * token windows, and the same model written with TensorFlow.js ops on Wiregrad's initial weights.
 * Throughput is tokens per second: batch × context tokens per training step.
 */
import * as tf from '@tensorflow/tfjs';
import { CHAR_GPT, CHAR_GPT_VOCAB } from '../../engine/graph/templates/charGpt';
import { Rng } from '../../engine/ops/random';
import { makeDoc, type EdgeLine, type NodeLine } from '../../engine/testing/docs';
import type { FixedBatch, Workload } from './models';

const BATCH = 32;
const { width: D, context: T, heads: H, layers: L } = CHAR_GPT;
const BLOCKS = Array.from({ length: L }, (_v, i) => `block${i + 1}`);

/** Tokens one training step of the GPT workload consumes. */
export const GPT_TOKENS_PER_STEP = BATCH * T;

/** The char-GPT template's model with the bench's Adam; fields x (tokens) and label (next tokens), both i32 [T]. */
export function gptWorkload(seed: number, adam: { lr: number; beta1: number; beta2: number; eps: number }): Workload {
  const block = { heads: H, keyDim: D / H, ffnUnits: 4 * D, causal: true, dropout: 0 };
  const nodes: NodeLine[] = [
    ['x', 'Input', { field: 'x', shape: [T], dtype: 'i32' }],
    ['embed', 'Embedding', { inputDim: CHAR_GPT_VOCAB, outputDim: D, init: { kind: 'normal', mean: 0, std: 0.02 } }],
    ['positions', 'PositionalEmbedding', { kind: 'learned', maxLength: T }],
    ...BLOCKS.map((b): NodeLine => [b, 'TransformerBlock', block]),
    ['norm', 'LayerNorm', {}],
    ['logits', 'Dense', { units: CHAR_GPT_VOCAB }],
    ['label', 'Input', { field: 'label', shape: [T], dtype: 'i32' }],
    ['loss', 'SequenceCrossEntropy', {}],
  ];
  const chain = ['embed', 'positions', ...BLOCKS, 'norm', 'logits'];
  const edges: EdgeLine[] = ['x.y -> embed.x', ...chain.slice(1).map((n, i) => `${chain[i]}.y -> ${n}.x`), 'logits.y -> loss.pred', 'label.y -> loss.target'];
  const doc = makeDoc(nodes, edges, {
    dataset: { kind: 'random', inputShape: [T], targetShape: [T], size: BATCH, seed },
    optimizer: { type: 'adam', beta1: adam.beta1, beta2: adam.beta2, eps: adam.eps },
    lr: adam.lr,
    batchSize: BATCH,
    seed,
  });
  return {
    name: 'gpt',
    title: `char-GPT ${L} layers × ${H} heads, width ${D}, context ${T}, vocabulary ${CHAR_GPT_VOCAB}, batch ${BATCH} (${GPT_TOKENS_PER_STEP} tokens/step)`,
    batch: BATCH,
    input: [T],
    doc,
    lossNode: 'loss',
  };
}

/** Random token windows and random next tokens (memorised by repetition, so the loss falls). */
export function gptBatch(seed: number): FixedBatch {
  const rng = new Rng(seed ^ 0x51ed270b);
  return {
    x: Int32Array.from({ length: BATCH * T }, () => rng.int(CHAR_GPT_VOCAB)),
    label: Int32Array.from({ length: BATCH * T }, () => rng.int(CHAR_GPT_VOCAB)),
  };
}

type Vars = (name: string) => tf.Variable;

/** x · kernel + bias for the weights `<prefix>kernel`, `<prefix>bias`. */
const dense = (v: Vars, prefix: string, x: tf.Tensor2D, activation: 'linear' | 'gelu' = 'linear'): tf.Tensor2D => {
  const y = tf.fused.matMul({ a: x, b: v(`${prefix}kernel`) as tf.Tensor2D, bias: v(`${prefix}bias`) }) as tf.Tensor2D;
  return activation === 'gelu' ? gelu(y) : y;
};

/** Wiregrad's GELU (the tanh form): 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
const gelu = <R extends tf.Rank>(x: tf.Tensor<R>): tf.Tensor<R> =>
  tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))));

const layerNorm = (v: Vars, prefix: string, x: tf.Tensor2D): tf.Tensor2D => {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), v(`${prefix}gamma`)), v(`${prefix}beta`));
};

/** [B·T, D] → [B, H, T, D/H] */
const heads = (x: tf.Tensor2D) => tf.transpose(tf.reshape(x, [BATCH, T, H, D / H]), [0, 2, 1, 3]);

/** The causal mask as Wiregrad adds it: −1e9 on keys after the query. */
let maskTensor: tf.Tensor2D | undefined;
const causal = () =>
  (maskTensor ??= tf.keep(
    tf.tensor2d(
      Array.from({ length: T * T }, (_v, n) => (n % T > Math.floor(n / T) ? -1e9 : 0)),
      [T, T],
    ),
  ));

/** The loss of one forward pass, as Wiregrad's graph computes it. */
export function gptForward(v: Vars, tokens: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  const flat = tf.reshape(tokens, [BATCH * T]) as tf.Tensor1D;
  // The lookup as one-hot · table: tf.gather's gradient (UnsortedSegmentSum) has no tfjs-wasm kernel.
  const embedded = tf.matMul(tf.oneHot(flat, CHAR_GPT_VOCAB), v('embed/embeddings') as tf.Tensor2D);
  // Row t of the position table is added to every sample's position t.
  let h = tf.reshape(tf.add(tf.reshape(embedded, [BATCH, T, D]), v('positions/positions')), [BATCH * T, D]) as tf.Tensor2D;
  for (const b of BLOCKS) {
    const a = layerNorm(v, `${b}/ln1_`, h);
    const q = heads(dense(v, `${b}/attn_query_`, a));
    const k = heads(dense(v, `${b}/attn_key_`, a));
    const val = heads(dense(v, `${b}/attn_value_`, a));
    const scores = tf.add(tf.matMul(tf.mul(q, 1 / Math.sqrt(D / H)), k, false, true), causal());
    const ctx = tf.reshape(tf.transpose(tf.matMul(tf.softmax(scores), val), [0, 2, 1, 3]), [BATCH * T, D]) as tf.Tensor2D;
    h = tf.add(h, dense(v, `${b}/attn_output_`, ctx));
    h = tf.add(h, dense(v, `${b}/ffn2_`, dense(v, `${b}/ffn1_`, layerNorm(v, `${b}/ln2_`, h), 'gelu')));
  }
  const logits = dense(v, 'logits/', layerNorm(v, 'norm/', h));
  const targets = tf.oneHot(tf.reshape(labels, [BATCH * T]) as tf.Tensor1D, CHAR_GPT_VOCAB);
  return tf.losses.softmaxCrossEntropy(targets, logits) as tf.Scalar;
}
