/** The LSTM language model template: shapes, parameter counts as the status bar sums them, its dataset, and that it learns on the CPU. */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../backends/cpu/backend';
import { Program } from '../../compile/program';
import { inferShapes } from '../infer';
import { templateById } from '.';
import { LSTM_LM, LSTM_LM_VOCAB } from './lstmLm';

describe('lstm-lm template', () => {
  it('Embedding → LSTM (every step) → Dense over the vocabulary, on the built-in text with a 64-character context', () => {
    const doc = templateById('lstm-lm')!.build();
    const { nodes, errors } = inferShapes(doc);
    expect(errors).toEqual([]);
    const { width, units, context } = LSTM_LM;
    expect(nodes.get('lstm')!.outputs.y!.shape).toEqual([32, context, units]);
    expect(nodes.get('logits')!.outputs.y!.shape).toEqual([32, context, LSTM_LM_VOCAB]);
    expect(doc.training.dataset).toMatchObject({ kind: 'text', source: 'builtin', context });
    // torch.nn.LSTM(64, 128): 4·128·(64 + 128) weights and two 4·128 biases.
    expect(nodes.get('lstm')!.paramCount).toBe(4 * units * (width + units) + 2 * 4 * units);
    const total = [...nodes.values()].reduce((n, i) => n + i.paramCount, 0);
    expect(total).toBe(LSTM_LM_VOCAB * width + 4 * units * (width + units) + 8 * units + units * LSTM_LM_VOCAB + LSTM_LM_VOCAB);
  });

  it('a shortened copy learns a repeating text on the CPU: the loss falls well below log(vocabulary)', async () => {
    const base = templateById('lstm-lm')!.build();
    const T = 8;
    const doc = {
      ...base,
      nodes: base.nodes.map((n) =>
        n.type === 'Input'
          ? { ...n, params: { ...n.params, shape: [T] } }
          : n.id === 'lstm'
            ? { ...n, params: { ...n.params, units: 16 } }
            : n.id === 'embed'
              ? { ...n, params: { ...n.params, outputDim: 8 } }
              : n,
      ),
      training: { ...base.training, batchSize: 4, lr: 0.03, dataset: { kind: 'random' as const, inputShape: [T], targetShape: [T], size: 4, seed: 0 } },
    };
    const program = await Program.create(doc, new CpuBackend());
    // "abcabc…": the next character is determined by the current one.
    const text = Array.from({ length: 4 * (T + 1) + 8 }, (_v, i) => 10 + (i % 3));
    const x = new Int32Array(4 * T);
    const y = new Int32Array(4 * T);
    for (let s = 0; s < 4; s++)
      for (let t = 0; t < T; t++) {
        x[s * T + t] = text[s + t]!;
        y[s * T + t] = text[s + t + 1]!;
      }
    const first = await program.step({ x, y });
    let last = first;
    for (let k = 0; k < 150; k++) last = await program.step({ x, y });
    expect(first).toBeGreaterThan(0.9 * Math.log(LSTM_LM_VOCAB));
    expect(last).toBeLessThan(0.5);
    program.dispose();
  });
});
