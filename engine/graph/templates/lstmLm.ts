/** A character-level LSTM language model over the built-in text: the recurrent counterpart of char-gpt. */
import { document, edge, node, type Template } from './build';

const NAME = 'LSTM language model';
const DESCRIPTION =
  "Predicts the next character of the built-in text with one LSTM layer (128 units, PyTorch's gates and weights) over a 64-character context: token embedding → LSTM → linear head; loss over every position.";

/** Token ids the Embedding and the head cover: a corpus of up to 127 distinct characters plus the unknown token (as char-gpt). */
export const LSTM_LM_VOCAB = 128;
/** Embedding width, LSTM units, context length. */
export const LSTM_LM = { width: 64, units: 128, context: 64 } as const;

export const lstmLm: Template = {
  id: 'lstm-lm',
  name: NAME,
  description: DESCRIPTION,
  build: (now) => {
    const { width, units, context } = LSTM_LM;
    return document(
      NAME,
      DESCRIPTION,
      [
        node('tokens', 'Input', { field: 'x', shape: [context], dtype: 'i32' }, 0, 0, 'tokens'),
        node('embed', 'Embedding', { inputDim: LSTM_LM_VOCAB, outputDim: width }, 1, 0, 'token embedding'),
        node('lstm', 'LSTM', { units, returnSequences: true }, 2, 0, 'LSTM'),
        node('logits', 'Dense', { units: LSTM_LM_VOCAB }, 3, 0, 'logits'),
        node('next', 'Input', { field: 'y', shape: [context], dtype: 'i32' }, 3, 1, 'next char'),
        node('loss', 'SequenceCrossEntropy', {}, 4, 0, 'loss'),
        node('accuracy', 'SequenceAccuracy', { mode: 'token' }, 4, 1, 'accuracy'),
      ],
      [
        edge('tokens.y', 'embed.x'),
        edge('embed.y', 'lstm.x'),
        edge('lstm.y', 'logits.x'),
        edge('logits.y', 'loss.pred'),
        edge('next.y', 'loss.target'),
        edge('logits.y', 'accuracy.pred'),
        edge('next.y', 'accuracy.target'),
      ],
      { dataset: { kind: 'text', source: 'builtin', context }, optimizer: { type: 'adam' }, lr: 3e-3, batchSize: 32, epochs: 20 },
      now,
    );
  },
};
