/**
 * TransformerBlock: a composite node, one pre-LN Transformer layer
 *   h = x + MHA(LN₁(x)),  y = h + Dense₂(gelu(Dense₁(LN₂(h))))
 * that lowers by calling its parts' own lowerings, so it computes exactly what its expansion
 * (attentionExpand.ts, the editor's ⊞) computes. Each part's variables are named `<part>_<name>`.
 */
import { z } from 'zod';
import { ShapeError } from '../../ops/types';
import type { LowerContext, LowerInputs, NodeSpec } from '../spec';
import { attentionParams, ATTENTION_NODES } from './attention';
import { defineNode, int, one } from './common';
import { LAYER_NODES } from './layers';

export const TransformerBlockParams = z.strictObject({
  ...attentionParams,
  /** Width of the feed-forward layer (GPT: 4 × the model width). */
  ffnUnits: int(1).default(256),
});
export type TransformerBlockParams = z.output<typeof TransformerBlockParams>;

/** One part of an expanded block: its id suffix, node type, params, and where its inputs come from. */
export interface BlockPart {
  /** Suffix of the part's node id and prefix of the block's variable names (`ln1` → `ln1_gamma`). */
  readonly part: string;
  readonly type: string;
  readonly params: Record<string, unknown>;
  /** Input port → sources: 'x' (the block's input) or another part's name (its `y`). */
  readonly inputs: Readonly<Record<string, readonly string[]>>;
}

/** The block's parts in order, wired as the block computes; `width` is the model width (the input's last dim). */
export function blockParts(p: TransformerBlockParams, width: number): readonly BlockPart[] {
  return [
    { part: 'ln1', type: 'LayerNorm', params: { epsilon: 1e-5 }, inputs: { x: ['x'] } },
    { part: 'attn', type: 'MultiHeadAttention', params: { heads: p.heads, keyDim: p.keyDim, causal: p.causal, dropout: p.dropout }, inputs: { q: ['ln1'] } },
    { part: 'add1', type: 'Add', params: {}, inputs: { inputs: ['x', 'attn'] } },
    { part: 'ln2', type: 'LayerNorm', params: { epsilon: 1e-5 }, inputs: { x: ['add1'] } },
    { part: 'ffn1', type: 'Dense', params: { units: p.ffnUnits, activation: 'gelu' }, inputs: { x: ['ln2'] } },
    { part: 'ffn2', type: 'Dense', params: { units: width }, inputs: { x: ['ffn1'] } },
    { part: 'add2', type: 'Add', params: {}, inputs: { inputs: ['add1', 'ffn2'] } },
  ];
}

const PART_SPECS: ReadonlyMap<string, NodeSpec> = new Map([...LAYER_NODES, ...ATTENTION_NODES].map((s) => [s.type, s]));

/** The block's context as one part sees it: variables, state and random draws under the part's name. */
function partContext<T>(ctx: LowerContext<T>, part: string, salt: number): LowerContext<T> {
  return {
    ...ctx,
    variable: (request) => ctx.variable({ ...request, name: `${part}_${request.name}` }),
    assign: (name, value) => ctx.assign(`${part}_${name}`, value),
    seed: () => (ctx.seed() ^ Math.imul(salt + 1, 0x9e3779b1)) >>> 0,
  };
}

export const BLOCK_NODES: readonly NodeSpec[] = [
  defineNode({
    type: 'TransformerBlock',
    label: 'Transformer block',
    category: 'Sequence',
    description: 'One pre-LN Transformer layer: x + attention(LayerNorm(x)), then + Dense(gelu(Dense(LayerNorm(·)))). Expand it (⊞) to edit its parts.',
    inputs: [{ name: 'x' }],
    outputs: [{ name: 'y' }],
    params: TransformerBlockParams,
    lower(ctx, inputs, p) {
      const x = one(inputs, 'x');
      const s = ctx.b.shape(x);
      if (s.length !== 3) throw new ShapeError(`TransformerBlock expects sequences [batch, time, features] but got [${s.join(', ')}]`);
      type T = typeof x;
      const values = new Map<string, T>([['x', x]]);
      blockParts(p, s[2]!).forEach((part, i) => {
        const spec = PART_SPECS.get(part.type)!;
        const ins: Record<string, T | readonly T[]> = {};
        for (const port of spec.inputs) {
          const from = part.inputs[port.name];
          if (from) ins[port.name] = port.multiple ? from.map((f) => values.get(f)!) : values.get(from[0]!)!;
        }
        const out = spec.lower(partContext(ctx, part.part, i), ins as LowerInputs<T>, spec.params.parse(part.params));
        values.set(part.part, out.y!);
      });
      return { y: values.get('add2')! };
    },
  }),
];
