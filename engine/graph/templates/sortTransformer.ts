/** A small decoder-only Transformer that learns to sort digits (the synthetic 'sort' task). */
import { getNodeSpec } from '../nodes';
import { document, edge, node as place, type Template } from './build';

/** A node with every setting written out (defaults filled), as the editor writes them. */
const node = (id: string, type: string, params: Record<string, unknown>, column: number, row: number, label?: string) =>
  place(id, type, getNodeSpec(type)!.params.parse(params) as Record<string, unknown>, column, row, label);

const NAME = 'Sorting Transformer';
const DESCRIPTION =
  'Reads six digits and "=", then writes them in ascending order, one token at a time: embeddings of width 64, two causal Transformer blocks of 4 heads; loss and accuracy over the answer only, exact match per sequence.';

/** Digits per example. */
export const SORT_LENGTH = 6;
/** The synthetic tasks' shared vocabulary size (engine/data/sequence.ts TASK_VOCAB; a test keeps them equal). */
export const TASK_VOCAB_SIZE = 16;

export const sortTransformer: Template = {
  id: 'sort-transformer',
  name: NAME,
  description: DESCRIPTION,
  build: (now) => {
    const [width, heads] = [64, 4];
    const context = 2 * SORT_LENGTH; // prompt (digits and "=") plus answer, less the last token
    const vocab = TASK_VOCAB_SIZE;
    const block = { heads, keyDim: width / heads, ffnUnits: 2 * width, causal: true, dropout: 0 };
    return document(
      NAME,
      DESCRIPTION,
      [
        node('tokens', 'Input', { field: 'x', shape: [context], dtype: 'i32' }, 0, 0, 'tokens'),
        node('embed', 'Embedding', { inputDim: vocab, outputDim: width, init: { kind: 'normal', mean: 0, std: 0.02 } }, 1, 0, 'token embedding'),
        node('positions', 'PositionalEmbedding', { kind: 'learned', maxLength: context }, 2, 0, 'positions'),
        node('block1', 'TransformerBlock', block, 3, 0, 'block 1'),
        node('block2', 'TransformerBlock', block, 4, 0, 'block 2'),
        node('norm', 'LayerNorm', {}, 5, 0, 'final norm'),
        node('logits', 'Dense', { units: vocab }, 6, 0, 'logits'),
        node('answer', 'Input', { field: 'y', shape: [context], dtype: 'i32' }, 6, 1, 'answer'),
        node('loss', 'SequenceCrossEntropy', {}, 7, 0, 'loss'),
        node('accuracy', 'SequenceAccuracy', { mode: 'token' }, 7, 1, 'token accuracy'),
        node('exact', 'SequenceAccuracy', { mode: 'sequence' }, 7, 2, 'exact match'),
      ],
      [
        edge('tokens.y', 'embed.x'),
        edge('embed.y', 'positions.x'),
        edge('positions.y', 'block1.x'),
        edge('block1.y', 'block2.x'),
        edge('block2.y', 'norm.x'),
        edge('norm.y', 'logits.x'),
        edge('logits.y', 'loss.pred'),
        edge('answer.y', 'loss.target'),
        edge('logits.y', 'accuracy.pred'),
        edge('answer.y', 'accuracy.target'),
        edge('logits.y', 'exact.pred'),
        edge('answer.y', 'exact.target'),
      ],
      {
        dataset: { kind: 'sequence', task: 'sort', length: SORT_LENGTH, size: 8192, seed: 1 },
        optimizer: { type: 'adamw' },
        lr: 1e-3,
        batchSize: 64,
        epochs: 30,
      },
      now,
    );
  },
};
