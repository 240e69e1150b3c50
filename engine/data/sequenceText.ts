/**
 * A character-level text corpus as a dataset: the text is cut into non-overlapping windows of
 * `context` characters (each with the one character after it), field x holds a window's ids and y
 * the next character at every position (y[t] = x[t + 1], the last one the character after the
 * window), both i32 [context]. Windows are what the trainer splits into training and validation
 * (splitIndices, as every dataset), so validation is held-out text. The vocabulary is built from the
 * training windows only: characters that appear only in validation are read as the unknown token
 * "\uFFFD" (always the last id) and reported.
 */
import { splitIndices, type Dataset } from './dataset';

/** The token that stands for characters missing from the training text. */
export const UNKNOWN_CHAR = '\uFFFD';
/** Most distinct characters a corpus may have (the vocabulary is an Embedding's and a Dense's width). */
export const MAX_TEXT_VOCAB = 4096;

export interface TextCorpusOptions {
  /** Characters per sample. */
  readonly context: number;
  /** The trainer's split, so the vocabulary comes from the training windows only. */
  readonly validationSplit: number;
  readonly seed: number;
  /** Dataset name (the file's). */
  readonly name?: string;
}

/** A char corpus with what was noticed while reading it. */
export interface TextCorpus {
  readonly dataset: Dataset;
  readonly notes: string[];
  /** Characters of the validation windows missing from the training vocabulary, with their counts. */
  readonly unknown: ReadonlyMap<string, number>;
}

/** The text's characters (code points, so an emoji is one), line endings as "\n". */
export function textCharacters(text: string): string[] {
  return Array.from(text.replace(/\r\n?/g, '\n'));
}

/** How a character reads in a message: control characters and spaces by name. */
export function showChar(c: string): string {
  if (c === '\n') return '⏎ (new line)';
  if (c === '\t') return '⇥ (tab)';
  if (c === ' ') return '␣ (space)';
  const code = c.codePointAt(0)!;
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `"${c}"`;
}

/** The vocabulary of `chars`: sorted by code point, the unknown token last (exactly once). */
export function buildVocab(chars: Iterable<string>): string[] {
  const set = new Set(chars);
  set.delete(UNKNOWN_CHAR);
  const cp = (s: string) => s.codePointAt(0)!;
  return [...[...set].sort((a, b) => cp(a) - cp(b)), UNKNOWN_CHAR];
}

/** Ids of `chars` in `vocab`, unknown characters as the unknown token; counts the unknown ones into `unknown`. */
export function encodeChars(chars: readonly string[], vocab: readonly string[], unknown?: Map<string, number>): Int32Array {
  const index = new Map(vocab.map((c, i) => [c, i]));
  const unk = index.get(UNKNOWN_CHAR)!;
  const ids = new Int32Array(chars.length);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const k = index.get(c);
    if (k === undefined) unknown?.set(c, (unknown.get(c) ?? 0) + 1);
    ids[i] = k ?? unk;
  }
  return ids;
}

/** The text as a next-character dataset (see the file comment); throws when it is too short for two windows. */
export function textCorpusDataset(text: string, opts: TextCorpusOptions): TextCorpus {
  const T = opts.context;
  const name = opts.name ?? 'text';
  if (!Number.isInteger(T) || T < 1) throw new Error(`${name}: the context must be a whole number of characters ≥ 1 (got ${T})`);
  const chars = textCharacters(text);
  const windows = Math.floor((chars.length - 1) / T);
  if (windows < 2)
    throw new Error(
      `${name}: the text has ${chars.length} characters, too few for two samples of ${T} characters and the one after (at least ${2 * T + 1}): use a longer text or a shorter context`,
    );
  const { train, validation } = splitIndices(windows, opts.validationSplit, opts.seed);
  const window = (w: number) => chars.slice(w * T, w * T + T + 1);
  const trainChars = new Set<string>();
  for (const w of train) for (const c of window(w)) trainChars.add(c);
  const vocab = buildVocab(trainChars);
  if (vocab.length > MAX_TEXT_VOCAB)
    throw new Error(
      `${name}: the training text has ${vocab.length - 1} distinct characters, more than the ${MAX_TEXT_VOCAB - 1} a character model takes: is it a text file?`,
    );
  const inVal = new Set<number>(validation);
  const unknown = new Map<string, number>();
  const ids = encodeChars(chars.slice(0, windows * T + 1), vocab);
  const x = new Int32Array(windows * T);
  const y = new Int32Array(windows * T);
  const unk = vocab.length - 1;
  for (let w = 0; w < windows; w++) {
    for (let t = 0; t < T; t++) {
      x[w * T + t] = ids[w * T + t]!;
      y[w * T + t] = ids[w * T + t + 1]!;
    }
    if (inVal.has(w)) for (const c of window(w)) if (!trainChars.has(c)) unknown.set(c, (unknown.get(c) ?? 0) + 1);
  }
  const notes = [
    `${chars.length.toLocaleString('en')} characters in ${windows} samples of ${T}; vocabulary of ${vocab.length - 1} characters from the training split, plus ${UNKNOWN_CHAR} for unknown ones`,
  ];
  if (unknown.size) {
    const total = [...unknown.values()].reduce((a, b) => a + b, 0);
    const list = [...unknown]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([c, n]) => `${showChar(c)} ×${n}`)
      .join(', ');
    notes.push(
      `the validation split holds ${total} character${total === 1 ? '' : 's'} the training split lacks, read as ${UNKNOWN_CHAR}: ${list}${unknown.size > 12 ? `, and ${unknown.size - 12} more` : ''}`,
    );
  }
  const dataset: Dataset = {
    name,
    length: windows,
    fields: { x: { shape: [T], dtype: 'i32' }, y: { shape: [T], dtype: 'i32' } },
    data: { x, y },
    vocab,
    sequence: { kind: 'text', unknown: unk },
  };
  return { dataset, notes, unknown };
}
