/**
 * Attention layers (issue 15): MultiHeadAttention (self and cross, optionally causal) and
 * PositionalEmbedding, lowered onto the primitive ops (batched matmul over leading axes, softmax
 * over the last axis, reshape, transpose), so both backends, autodiff and fusion already cover them.
 * MultiHeadAttention is PyTorch's `nn.MultiheadAttention(batch_first=True)`: checked against it in
 * attention.torch.test.ts.
 */
import { z } from 'zod';
import type { OpBuilder } from '../../ops/builder';
import { formatShape } from '../../ops/shape';
import { ShapeError } from '../../ops/types';
import type { LowerContext, NodeSpec } from '../spec';
import { defineNode, initializer, int, one } from './common';

/** Added to a masked score: exp underflows to exactly 0 in f32 and f64 after the max is subtracted. */
const MASKED = -1e9;

/** MultiHeadAttention's settings, shared with TransformerBlock. */
export const attentionParams = {
  heads: int(1).default(4),
  /** Width of each head's queries, keys and values (PyTorch: embed_dim / num_heads). */
  keyDim: int(1).default(16),
  /** Position i attends to keys 0..i only (a decoder: no peeking at later tokens). */
  causal: z.boolean().default(false),
  /** Dropout on the attention weights while training (PyTorch's `dropout`). */
  dropout: z.number().min(0).lt(1).default(0),
};

export const MultiHeadAttentionParams = z.strictObject({
  ...attentionParams,
  useBias: z.boolean().default(true),
  kernelInit: initializer.default({ kind: 'glorot_uniform' }),
  biasInit: initializer.default({ kind: 'zeros' }),
});
export type MultiHeadAttentionParams = z.output<typeof MultiHeadAttentionParams>;

function sequenceShape<T>(b: OpBuilder<T>, x: T, what: string): readonly [number, number, number] {
  const s = b.shape(x);
  if (s.length !== 3) throw new ShapeError(`${what} expects sequences [batch, time, features] but got ${formatShape(s)}`);
  return s as [number, number, number];
}

/** 0 where query i may see key j, MASKED where j > i + (tk − tq) (the last query sees every key). */
export function causalMask(tq: number, tk: number): number[] {
  const shift = tk - tq;
  return Array.from({ length: tq * tk }, (_v, n) => (n % tk > Math.floor(n / tk) + shift ? MASKED : 0));
}

/** x · kernel + bias for one projection, its variables named `<name>_kernel` and `<name>_bias`. */
function project<T>(ctx: LowerContext<T>, x: T, name: string, inDim: number, outDim: number, p: MultiHeadAttentionParams): T {
  const { b } = ctx;
  const kernel = ctx.variable({ name: `${name}_kernel`, shape: [inDim, outDim], init: p.kernelInit, fans: [inDim, outDim], trainable: true });
  const y = b.matmul(x, kernel);
  return p.useBias ? b.add(y, ctx.variable({ name: `${name}_bias`, shape: [outDim], init: p.biasInit, trainable: true })) : y;
}

/** [B, T, H·d] → [B, H, T, d] */
function splitHeads<T>(b: OpBuilder<T>, x: T, heads: number, d: number): T {
  const [n, t] = b.shape(x) as [number, number, number];
  return b.transpose(b.reshape(x, [n, t, heads, d]), [0, 2, 1, 3]);
}

/**
 * Scaled dot-product attention with `heads` heads: softmax(q·kᵀ/√d + mask)·v, each head on its own
 * slice of the projections. Returns the output [B, Tq, D] and the softmax weights [B, H, Tq, Tk].
 */
export function lowerMultiHeadAttention<T>(ctx: LowerContext<T>, q: T, kv: T, p: MultiHeadAttentionParams): { y: T; attention: T } {
  const { b } = ctx;
  const [batch, tq, dq] = sequenceShape(b, q, 'MultiHeadAttention query');
  const [batchKv, tk, dkv] = sequenceShape(b, kv, 'MultiHeadAttention keys/values');
  if (batchKv !== batch) throw new ShapeError(`query batch ${batch} and key/value batch ${batchKv} differ`);
  const inner = p.heads * p.keyDim;
  const query = splitHeads(b, project(ctx, q, 'query', dq, inner, p), p.heads, p.keyDim);
  const key = splitHeads(b, project(ctx, kv, 'key', dkv, inner, p), p.heads, p.keyDim);
  const value = splitHeads(b, project(ctx, kv, 'value', dkv, inner, p), p.heads, p.keyDim);
  // PyTorch scales the queries before the product; so do we (same rounding order).
  let scores = b.matmul(b.scale(query, 1 / Math.sqrt(p.keyDim)), key, false, true);
  if (p.causal) scores = b.add(scores, b.constant([tq, tk], causalMask(tq, tk)));
  const attention = b.softmax(scores, -1);
  let weights = attention;
  if (ctx.training && p.dropout > 0) {
    const u = b.randomUniform(ctx.counter(), b.shape(attention), ctx.seed());
    weights = b.mul(attention, b.scale(b.mask(b.greaterEqual(u, b.scalar(p.dropout))), 1 / (1 - p.dropout)));
  }
  const heads = b.reshape(b.transpose(b.matmul(weights, value), [0, 2, 1, 3]), [batch, tq, inner]);
  return { y: project(ctx, heads, 'output', inner, dq, p), attention };
}

/** Sinusoidal positions (Vaswani et al.): PE[t, 2i] = sin(t / 10000^(2i/D)), PE[t, 2i+1] = cos(same). */
export function sinusoidalPositions(length: number, width: number): number[] {
  return Array.from({ length: length * width }, (_v, n) => {
    const t = Math.floor(n / width);
    const c = n % width;
    const angle = t / 10000 ** ((2 * Math.floor(c / 2)) / width);
    return c % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
  });
}

export const ATTENTION_NODES: readonly NodeSpec[] = [
  defineNode({
    type: 'MultiHeadAttention',
    label: 'Multi-head attention',
    category: 'Sequence',
    description:
      "Scaled dot-product attention over several heads (PyTorch's nn.MultiheadAttention): self-attention on q, or cross-attention to kv when it is wired; causal hides later keys. The attention port gives the softmax weights [batch, heads, query, key].",
    inputs: [{ name: 'q' }, { name: 'kv', optional: true }],
    outputs: [{ name: 'y' }, { name: 'attention' }],
    params: MultiHeadAttentionParams,
    lower(ctx, inputs, p) {
      const q = one(inputs, 'q');
      return lowerMultiHeadAttention(ctx, q, inputs.kv === undefined ? q : one(inputs, 'kv'), p);
    },
  }),
  defineNode({
    type: 'PositionalEmbedding',
    label: 'Positional embedding',
    category: 'Sequence',
    description:
      'Add a vector per position to a sequence [batch, time, features]: learned (a trainable table, as GPT) or fixed sinusoids (as the original Transformer).',
    inputs: [{ name: 'x' }],
    outputs: [{ name: 'y' }],
    params: z.strictObject({
      kind: z.enum(['learned', 'sinusoidal']).default('learned'),
      /** The longest sequence the table covers (learned: its rows). */
      maxLength: int(1).default(512),
      init: initializer.default({ kind: 'normal', mean: 0, std: 0.02 }),
    }),
    lower(ctx, inputs, p) {
      const { b } = ctx;
      const x = one(inputs, 'x');
      const [, t, d] = sequenceShape(b, x, 'PositionalEmbedding');
      if (t > p.maxLength) throw new ShapeError(`the sequence has ${t} positions but maxLength is ${p.maxLength}`);
      if (p.kind === 'sinusoidal') return { y: b.add(x, b.constant([t, d], sinusoidalPositions(t, d))) };
      const table = ctx.variable({ name: 'positions', shape: [p.maxLength, d], init: p.init, fans: [p.maxLength, d], trainable: true });
      return { y: b.add(x, t === p.maxLength ? table : b.slice(table, [0, 0], [t, d])) };
    },
  }),
];
