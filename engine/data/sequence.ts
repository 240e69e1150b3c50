/**
 * Seeded synthetic sequence tasks (copy, reverse, sort, multi-digit addition, balanced parentheses) that
 * show in minutes whether a model learned an algorithm.
 *
 * Every example is the token string `prompt = answer` (`=` separates them). The fields are the usual
 * next-token layout of a causal language model (GPT's teacher forcing): x is the string without its
 * last token, y[t] is the token at t + 1 where that token is part of the answer, and -100 elsewhere
 * (PyTorch CrossEntropyLoss's ignore_index: no loss over the prompt). So x and y are i32 [T] with
 * T = prompt + 1 + answer - 1. A model must not look ahead (causal attention, RNN/LSTM/GRU): x[t + 1]
 * is y[t]. With teacher forcing, every answer position predicted right is the same as greedy
 * decoding producing the whole answer, so exact-match over y equals greedy decoding's accuracy.
 */
import { Rng } from '../ops/random';
import type { Dataset } from './dataset';

export type { SequenceLayout } from './dataset';

/** PyTorch's CrossEntropyLoss ignore_index: positions with this label carry no target. */
export const IGNORE_INDEX = -100;

/** The tasks, in the order the data panel lists them. */
export const SEQUENCE_TASKS = ['copy', 'reverse', 'sort', 'add', 'parens'] as const;
export type SequenceTask = (typeof SEQUENCE_TASKS)[number];

/** One vocabulary for every task (so a model's Embedding fits all of them): each token is one character. */
export const TASK_VOCAB: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '+', '=', '(', ')', 'y', 'n'];
const id = (token: string): number => {
  const i = TASK_VOCAB.indexOf(token);
  if (i < 0) throw new Error(`"${token}" is not a task token`);
  return i;
};
export const SEP = id('=');
const PLUS = id('+');
const OPEN = id('(');
const CLOSE = id(')');
const YES = id('y');
const NO = id('n');

/** What each task asks, for the data panel. */
export const TASK_DESCRIPTIONS: Readonly<Record<SequenceTask, string>> = {
  copy: 'repeat the digits',
  reverse: 'the digits in reverse order',
  sort: 'the digits in ascending order',
  add: 'the sum of two numbers, zero-padded to one digit more',
  parens: 'y when the parentheses are balanced, n when not',
};

/** The prompt and answer lengths of a task whose operand length is `length`. */
export function taskLengths(task: SequenceTask, length: number): { prompt: number; answer: number } {
  switch (task) {
    case 'copy':
    case 'reverse':
    case 'sort':
      return { prompt: length + 1, answer: length };
    // a + b = sum: two operands of `length` digits, the sum with length + 1 digits
    case 'add':
      return { prompt: 2 * length + 2, answer: length + 1 };
    // `length` pairs of parentheses, then y or n
    case 'parens':
      return { prompt: 2 * length + 1, answer: 1 };
    default:
      task satisfies never;
      throw new Error(`unknown sequence task "${String(task)}"`);
  }
}

/** Whether a string of parentheses (token ids) is balanced: no prefix closes more than it opened, and all close. */
export function isBalanced(tokens: ArrayLike<number>): boolean {
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    depth += tokens[i] === OPEN ? 1 : -1;
    if (depth < 0) return false;
  }
  return depth === 0;
}

/** A uniformly random balanced string of n pairs, by the cycle lemma (a random walk of n ups and n + 1 downs, rotated). */
function balanced(n: number, rng: Rng): number[] {
  const steps = shuffled([...Array<number>(n).fill(OPEN), ...Array<number>(n + 1).fill(CLOSE)], rng);
  // The rotation that starts just after the first minimum of the prefix sums keeps every prefix above its end.
  let depth = 0;
  let min = 0;
  let at = 0;
  for (let i = 0; i < steps.length; i++) {
    depth += steps[i] === OPEN ? 1 : -1;
    if (depth < min) {
      min = depth;
      at = i + 1;
    }
  }
  const rotated = [...steps.slice(at), ...steps.slice(0, at)];
  return rotated.slice(0, 2 * n); // drop the final extra ')'
}

function shuffled<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** An unbalanced string with as many '(' as ')' (so counting alone cannot tell), n ≥ 1. */
function unbalanced(n: number, rng: Rng): number[] {
  for (;;) {
    const s = shuffled([...Array<number>(n).fill(OPEN), ...Array<number>(n).fill(CLOSE)], rng);
    if (!isBalanced(s)) return s;
  }
}

function digits(n: number, rng: Rng): number[] {
  return Array.from({ length: n }, () => rng.int(10));
}

/** One example's prompt (without the separator) and answer, as token ids. */
export function taskExample(task: SequenceTask, length: number, rng: Rng, index: number): { prompt: number[]; answer: number[] } {
  switch (task) {
    case 'copy': {
      const d = digits(length, rng);
      return { prompt: d, answer: [...d] };
    }
    case 'reverse': {
      const d = digits(length, rng);
      return { prompt: d, answer: [...d].reverse() };
    }
    case 'sort': {
      const d = digits(length, rng);
      return { prompt: d, answer: [...d].sort((a, b) => a - b) };
    }
    case 'add': {
      const a = digits(length, rng);
      const b = digits(length, rng);
      return { prompt: [...a, PLUS, ...b], answer: addDigits(a, b) };
    }
    case 'parens': {
      // Alternate classes so they stay balanced in any split.
      const yes = index % 2 === 0;
      return { prompt: yes ? balanced(length, rng) : unbalanced(length, rng), answer: [yes ? YES : NO] };
    }
    default:
      task satisfies never;
      throw new Error(`unknown sequence task "${String(task)}"`);
  }
}

/** Digit-wise sum of two equally long numbers (most significant digit first), one digit longer. */
export function addDigits(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(a.length + 1).fill(0);
  let carry = 0;
  for (let i = a.length - 1; i >= 0; i--) {
    const s = a[i]! + b[i]! + carry;
    out[i + 1] = s % 10;
    carry = Math.floor(s / 10);
  }
  out[0] = carry;
  return out;
}

export interface SequenceTaskOptions {
  readonly task: SequenceTask;
  /** Digits per operand (copy, reverse, sort, add) or pairs of parentheses (parens). */
  readonly length: number;
  /** Number of examples. */
  readonly size: number;
  readonly seed: number;
}

/** A task's dataset: fields x and y, i32 [T] (see the file comment), with the shared vocabulary. */
export function sequenceTaskDataset(opts: SequenceTaskOptions): Dataset {
  const { task, length, size } = opts;
  if (!Number.isInteger(length) || length < 1) throw new Error(`sequence task ${task}: length must be a whole number ≥ 1 (got ${length})`);
  const { prompt, answer } = taskLengths(task, length);
  const T = prompt + answer - 1;
  const x = new Int32Array(size * T);
  const y = new Int32Array(size * T).fill(IGNORE_INDEX);
  const rng = new Rng(opts.seed);
  for (let i = 0; i < size; i++) {
    const ex = taskExample(task, length, rng, i);
    const s = [...ex.prompt, SEP, ...ex.answer];
    for (let t = 0; t < T; t++) x[i * T + t] = s[t]!;
    for (let t = prompt - 1; t < T; t++) y[i * T + t] = s[t + 1]!;
  }
  return {
    name: `${task} (${length})`,
    length: size,
    fields: { x: { shape: [T], dtype: 'i32' }, y: { shape: [T], dtype: 'i32' } },
    data: { x, y },
    vocab: TASK_VOCAB,
    sequence: { kind: 'task', promptLength: prompt, answerLength: answer },
  };
}

/** Token ids as text (ids outside the vocabulary, such as -100, as "·"). */
export function decodeTokens(ids: ArrayLike<number>, vocab: readonly string[]): string {
  let s = '';
  for (let i = 0; i < ids.length; i++) s += vocab[ids[i]!] ?? '·';
  return s;
}
