/** The sequence templates: shapes, the vocabulary sizes they assume, and their datasets. */
import { describe, expect, it } from 'vitest';
import { TASK_VOCAB, taskLengths } from '../../data/sequence';
import { inferShapes } from '../infer';
import { templateById } from '.';
import { CHAR_GPT, CHAR_GPT_VOCAB } from './charGpt';
import { SORT_LENGTH, TASK_VOCAB_SIZE } from './sortTransformer';

const shapeOf = (id: string, node: string, port = 'y') => inferShapes(templateById(id)!.build()).nodes.get(node)?.outputs[port]?.shape;

describe('sequence templates', () => {
  it('char-gpt: 2 causal blocks of 4 heads, width 64, context 64, on the built-in text', () => {
    const doc = templateById('char-gpt')!.build();
    expect(shapeOf('char-gpt', 'block2')).toEqual([32, CHAR_GPT.context, CHAR_GPT.width]);
    expect(shapeOf('char-gpt', 'logits')).toEqual([32, 64, CHAR_GPT_VOCAB]);
    expect(doc.nodes.filter((n) => n.type === 'TransformerBlock').map((n) => n.params)).toEqual(
      Array(2).fill({ heads: 4, keyDim: 16, ffnUnits: 256, causal: true, dropout: 0 }),
    );
    expect(doc.training.dataset).toMatchObject({ kind: 'text', source: 'builtin', context: 64 });
    // Per block: 2 LayerNorms, 4 projections of 64×64 with biases, a 64→256→64 feed-forward.
    expect(inferShapes(doc).nodes.get('block1')?.paramCount).toBe(2 * 128 + 4 * (64 * 64 + 64) + (64 * 256 + 256) + (256 * 64 + 64));
  });

  it("sort-transformer: reads the sort task's x and y, its vocabulary is the tasks'", () => {
    const doc = templateById('sort-transformer')!.build();
    expect(TASK_VOCAB_SIZE).toBe(TASK_VOCAB.length);
    const { prompt, answer } = taskLengths('sort', SORT_LENGTH);
    expect(shapeOf('sort-transformer', 'tokens')).toEqual([64, prompt + answer - 1]);
    expect(shapeOf('sort-transformer', 'logits')).toEqual([64, prompt + answer - 1, TASK_VOCAB.length]);
    expect(shapeOf('sort-transformer', 'exact', 'value')).toEqual([]);
    expect(doc.training.dataset).toMatchObject({ kind: 'sequence', task: 'sort', length: SORT_LENGTH });
  });
});
