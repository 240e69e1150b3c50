import { describe, expect, it } from 'vitest';
import { builtinDataset } from '.';
import { TrainingConfig } from '../graph/training';
import {
  addDigits,
  decodeTokens,
  IGNORE_INDEX,
  isBalanced,
  SEP,
  SEQUENCE_TASKS,
  sequenceTaskDataset,
  TASK_VOCAB,
  taskLengths,
  type SequenceTask,
} from './sequence';

/** Each example as its prompt and answer strings, read back from fields x and y. */
function examples(task: SequenceTask, length: number, size = 200, seed = 7) {
  const ds = sequenceTaskDataset({ task, length, size, seed });
  const T = ds.fields.x!.shape[0]!;
  const p = ds.sequence!.promptLength!;
  return Array.from({ length: size }, (_v, i) => {
    const x = [...ds.data.x!.subarray(i * T, (i + 1) * T)];
    const y = [...ds.data.y!.subarray(i * T, (i + 1) * T)];
    const whole = [...x, y[T - 1]!];
    return { x, y, prompt: decodeTokens(whole.slice(0, p - 1), TASK_VOCAB), sep: whole[p - 1], answer: decodeTokens(whole.slice(p), TASK_VOCAB) };
  });
}

describe('synthetic sequence tasks', () => {
  it.each(SEQUENCE_TASKS)('%s: the same seed gives the same data, another seed other data', (task) => {
    const a = sequenceTaskDataset({ task, length: 5, size: 64, seed: 3 });
    expect(sequenceTaskDataset({ task, length: 5, size: 64, seed: 3 }).data).toEqual(a.data);
    expect(sequenceTaskDataset({ task, length: 5, size: 64, seed: 4 }).data.x).not.toEqual(a.data.x);
  });

  it.each(SEQUENCE_TASKS)('%s: x is the string without its last token, y the next token over the answer and -100 over the prompt', (task) => {
    const ds = sequenceTaskDataset({ task, length: 4, size: 50, seed: 1 });
    const { prompt, answer } = taskLengths(task, 4);
    const T = prompt + answer - 1;
    expect(ds.fields).toEqual({ x: { shape: [T], dtype: 'i32' }, y: { shape: [T], dtype: 'i32' } });
    for (const ex of examples(task, 4, 50, 1)) {
      expect(ex.sep).toBe(SEP);
      for (let t = 0; t < T; t++) {
        if (t < prompt - 1) expect(ex.y[t]).toBe(IGNORE_INDEX);
        else expect(ex.y[t]).toBe(t + 1 < T ? ex.x[t + 1] : ex.y[T - 1]);
      }
      expect(ex.answer).toHaveLength(answer);
      expect(ex.x.every((v) => v >= 0 && v < TASK_VOCAB.length)).toBe(true);
    }
  });

  it('copy repeats, reverse reverses, sort sorts the prompt', () => {
    for (const ex of examples('copy', 6)) expect(ex.answer).toBe(ex.prompt);
    for (const ex of examples('reverse', 6)) expect(ex.answer).toBe([...ex.prompt].reverse().join(''));
    for (const ex of examples('sort', 6)) {
      expect(ex.answer).toBe([...ex.prompt].sort().join(''));
      expect([...ex.answer].every((c, i, a) => i === 0 || a[i - 1]! <= c)).toBe(true);
    }
    // the prompts use every digit (not a constant)
    expect(new Set(examples('sort', 6).flatMap((e) => [...e.prompt])).size).toBe(10);
  });

  it('add: the answer is the sum, zero-padded to one digit more than the operands', () => {
    const seen = new Set<boolean>();
    for (const ex of examples('add', 5, 300)) {
      const [a, b] = ex.prompt.split('+');
      expect(a).toHaveLength(5);
      expect(b).toHaveLength(5);
      expect(ex.answer).toBe(String(Number(a) + Number(b)).padStart(6, '0'));
      seen.add(ex.answer.startsWith('1'));
    }
    expect(seen).toEqual(new Set([true, false])); // with and without a final carry
    expect(addDigits([9, 9], [0, 1])).toEqual([1, 0, 0]);
  });

  it('parens: y exactly when balanced, half of each, both with as many ( as )', () => {
    const exs = examples('parens', 6, 400);
    let yes = 0;
    for (const ex of exs) {
      const s = ex.prompt;
      expect(s).toHaveLength(12);
      expect([...s].filter((c) => c === '(').length).toBe(6);
      let depth = 0;
      let ok = true;
      for (const c of s) {
        depth += c === '(' ? 1 : -1;
        if (depth < 0) ok = false;
      }
      expect(ex.answer).toBe(ok && depth === 0 ? 'y' : 'n');
      if (ex.answer === 'y') yes++;
    }
    expect(yes).toBe(200);
    // the balanced strings are varied (a uniform draw, not one fixed string)
    expect(new Set(exs.filter((e) => e.answer === 'y').map((e) => e.prompt)).size).toBeGreaterThan(50);
    expect(isBalanced([12, 13])).toBe(true);
    expect(isBalanced([13, 12])).toBe(false);
  });

  it('balanced strings of 3 pairs are drawn uniformly over the 5 Dyck words', () => {
    const counts = new Map<string, number>();
    for (const ex of examples('parens', 3, 5000, 11)) if (ex.answer === 'y') counts.set(ex.prompt, (counts.get(ex.prompt) ?? 0) + 1);
    expect(counts.size).toBe(5);
    // 2500 draws over 5 words: 500 each, sd ≈ 20; a 5-sd band
    for (const n of counts.values()) expect(Math.abs(n - 500)).toBeLessThan(100);
  });

  it('is a document dataset kind with defaults, built by builtinDataset with its own seed', () => {
    const cfg = TrainingConfig.parse({ dataset: { kind: 'sequence' } }).dataset;
    expect(cfg).toEqual({ kind: 'sequence', task: 'sort', length: 6, size: 4096 });
    const ds = builtinDataset({ kind: 'sequence', task: 'reverse', length: 3, size: 10, seed: 5 }, 99);
    expect(ds.data).toEqual(sequenceTaskDataset({ task: 'reverse', length: 3, size: 10, seed: 5 }).data);
    expect(ds.vocab).toBe(TASK_VOCAB);
    expect(() => TrainingConfig.parse({ dataset: { kind: 'sequence', task: 'multiply' } })).toThrow();
  });
});
