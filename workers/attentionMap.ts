/**
 * The attention probe's command: one input (a validation sample, or typed text for a character
 * model) through the inference program, reading a MultiHeadAttention node's `attention` output
 * [1, heads, queries, keys] (the softmax weights) with the tokens that label its rows and columns.
 */
import type { Program } from '../engine/compile/program';
import { gatherBatch, type Dataset } from '../engine/data';
import type { GraphDocument } from '../engine/graph/document';
import { encodePrompt } from './generate';

export interface AttentionRequest {
  /** The MultiHeadAttention node. */
  readonly node: string;
  /** The index-th sample of the validation split (default 0). */
  readonly sample?: number;
  /** Or this text (character and task datasets), cut or padded with id 0 to the model's length. */
  readonly text?: string;
}

export interface AttentionMap {
  readonly step: number;
  readonly heads: number;
  readonly queries: number;
  readonly keys: number;
  /** Row-major [heads, queries, keys]: each query's weights over the keys (rows sum to 1). */
  readonly weights: Float32Array;
  /** The tokens at each position of the input, when the dataset has a vocabulary (else position numbers). */
  readonly tokens: readonly string[];
  /** Validation samples there are to choose from. */
  readonly validation: number;
}

export interface AttentionContext {
  readonly program: Program;
  readonly doc: GraphDocument;
  readonly dataset: Dataset;
  readonly split: { readonly validation: Int32Array };
}

/** The attention weights of `request.node` for one input. */
export async function attentionMap(ctx: AttentionContext, request: AttentionRequest): Promise<AttentionMap> {
  const node = ctx.doc.nodes.find((n) => n.id === request.node);
  if (!node) throw new Error(`there is no node ${request.node} in the graph`);
  if (node.type !== 'MultiHeadAttention') throw new Error(`node ${request.node} (${node.type}) is not a MultiHeadAttention: it has no attention weights`);
  const val = ctx.split.validation;
  let batch: Record<string, Int32Array | Float32Array>;
  let ids: ArrayLike<number> | undefined;
  const tokenField = [...ctx.program.fields].find(([, t]) => t.dtype === 'i32' && t.shape.length === 1 && ctx.dataset.vocab)?.[0];
  if (request.text !== undefined) {
    if (!tokenField || !ctx.dataset.vocab)
      throw new Error('typed input is for models of token sequences (text or a sequence task); pick a validation sample instead');
    const T = ctx.program.fields.get(tokenField)!.shape[0]!;
    const { ids: typed } = encodePrompt(request.text, ctx.dataset.vocab);
    if (!typed.length) throw new Error('type some text to see its attention');
    if (typed.includes(-1)) throw new Error(`the text has characters outside the vocabulary (${ctx.dataset.vocab.join(' ')})`);
    const feed = new Int32Array(T);
    feed.set(typed.slice(0, T));
    batch = { [tokenField]: feed };
    ids = feed;
  } else {
    const index = request.sample ?? 0;
    if (!Number.isInteger(index) || index < 0 || index >= val.length)
      throw new Error(`there is no validation sample ${index}: the validation split holds ${val.length} samples`);
    batch = gatherBatch(ctx.dataset, [val[index]!]);
    if (tokenField) ids = batch[tokenField];
  }
  const out = await ctx.program.forward(batch, { nodes: [request.node] });
  const t = out.get(request.node)?.attention;
  if (!t) throw new Error(`node ${request.node}'s attention could not be computed from this input`);
  if (t.shape.length !== 4 || t.shape[0] !== 1) throw new Error(`expected attention weights [1, heads, queries, keys] but got [${t.shape.join(', ')}]`);
  const [, heads, queries, keys] = t.shape as [number, number, number, number];
  const vocab = ctx.dataset.vocab;
  const tokens =
    ids && vocab && ids.length === queries ? Array.from(ids, (id) => vocab[id] ?? '?') : Array.from({ length: Math.max(queries, keys) }, (_v, i) => String(i));
  return { step: ctx.program.stepCount, heads, queries, keys, weights: Float32Array.from(t.data), tokens, validation: val.length };
}
