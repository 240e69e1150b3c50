/** A character-level GPT (Karpathy's nanoGPT at toy size): 2 pre-LN Transformer blocks over the built-in text. */
import { getNodeSpec } from '../nodes';
import { document, edge, node as place, type Template } from './build';

/** A node with every setting written out (defaults filled), as the editor writes them. */
const node = (id: string, type: string, params: Record<string, unknown>, column: number, row: number, label?: string) =>
  place(id, type, getNodeSpec(type)!.params.parse(params) as Record<string, unknown>, column, row, label);

const NAME = 'Character-level GPT';
const DESCRIPTION =
  'Predicts the next character of the built-in text: token and learned position embeddings (width 64, context 64), two causal Transformer blocks of 4 heads, a LayerNorm and a linear head; loss over every position.';

/** Token ids the Embedding and the head cover: a corpus of up to 127 distinct characters plus the unknown token. */
export const CHAR_GPT_VOCAB = 128;
/** Model width, context length, layers, heads (as the issue asks: 2 layers, 4 heads, width 64, context 64). */
export const CHAR_GPT = { width: 64, context: 64, layers: 2, heads: 4 } as const;

export const charGpt: Template = {
  id: 'char-gpt',
  name: NAME,
  description: DESCRIPTION,
  build: (now) => {
    const { width, context, heads } = CHAR_GPT;
    const block = { heads, keyDim: width / heads, ffnUnits: 4 * width, causal: true, dropout: 0 };
    return document(
      NAME,
      DESCRIPTION,
      [
        node('tokens', 'Input', { field: 'x', shape: [context], dtype: 'i32' }, 0, 0, 'tokens'),
        node('embed', 'Embedding', { inputDim: CHAR_GPT_VOCAB, outputDim: width, init: { kind: 'normal', mean: 0, std: 0.02 } }, 1, 0, 'token embedding'),
        node('positions', 'PositionalEmbedding', { kind: 'learned', maxLength: context }, 2, 0, 'positions'),
        node('block1', 'TransformerBlock', block, 3, 0, 'block 1'),
        node('block2', 'TransformerBlock', block, 4, 0, 'block 2'),
        node('norm', 'LayerNorm', {}, 5, 0, 'final norm'),
        node('logits', 'Dense', { units: CHAR_GPT_VOCAB }, 6, 0, 'logits'),
        node('next', 'Input', { field: 'y', shape: [context], dtype: 'i32' }, 6, 1, 'next char'),
        node('loss', 'SequenceCrossEntropy', {}, 7, 0, 'loss'),
        node('accuracy', 'SequenceAccuracy', { mode: 'token' }, 7, 1, 'accuracy'),
      ],
      [
        edge('tokens.y', 'embed.x'),
        edge('embed.y', 'positions.x'),
        edge('positions.y', 'block1.x'),
        edge('block1.y', 'block2.x'),
        edge('block2.y', 'norm.x'),
        edge('norm.y', 'logits.x'),
        edge('logits.y', 'loss.pred'),
        edge('next.y', 'loss.target'),
        edge('logits.y', 'accuracy.pred'),
        edge('next.y', 'accuracy.target'),
      ],
      { dataset: { kind: 'text', source: 'builtin', context }, optimizer: { type: 'adamw' }, lr: 1e-3, batchSize: 32, epochs: 20 },
      now,
    );
  },
};
