import { describe, expect, it } from 'vitest';
import { TrainingConfig } from '../graph/training';
import { splitIndices } from './dataset';
import { buildVocab, encodeChars, textCorpusDataset, UNKNOWN_CHAR } from './sequenceText';

const decode = (ids: ArrayLike<number>, vocab: readonly string[]) => Array.from(ids, (i) => vocab[i]).join('');

describe('character text corpus', () => {
  it('cuts the text into windows of context characters with the next character as target', () => {
    const text = 'the quick brown fox jumps over the lazy dog\n'.repeat(5);
    const { dataset: ds } = textCorpusDataset(text, { context: 8, validationSplit: 0, seed: 1 });
    expect(ds.length).toBe(Math.floor((text.length - 1) / 8));
    expect(ds.fields).toEqual({ x: { shape: [8], dtype: 'i32' }, y: { shape: [8], dtype: 'i32' } });
    const v = ds.vocab!;
    for (let w = 0; w < ds.length; w++) {
      expect(decode(ds.data.x!.subarray(w * 8, w * 8 + 8), v)).toBe(text.slice(w * 8, w * 8 + 8));
      expect(decode(ds.data.y!.subarray(w * 8, w * 8 + 8), v)).toBe(text.slice(w * 8 + 1, w * 8 + 9));
    }
    expect(v.at(-1)).toBe(UNKNOWN_CHAR);
    expect(v.slice(0, -1)).toEqual([...new Set(text)].sort());
    expect(ds.sequence).toEqual({ kind: 'text', unknown: v.length - 1 });
  });

  it('builds the vocabulary from the training windows and reports characters only validation has', () => {
    // 40 windows of 4: one window (the 10th) holds "aZZé", the rest only "ab" (each window also reads the next one's first character)
    const windows = Array.from({ length: 40 }, (_v, i) => (i === 9 ? 'aZZé' : 'abab'));
    const text = windows.join('') + 'a';
    const { validation } = splitIndices(40, 0.25, 3);
    const inVal = [...validation].includes(9);
    const corpus = textCorpusDataset(text, { context: 4, validationSplit: 0.25, seed: 3, name: 'odd.txt' });
    const v = corpus.dataset.vocab!;
    if (inVal) {
      expect(v).toEqual(['a', 'b', UNKNOWN_CHAR]);
      expect(corpus.unknown).toEqual(
        new Map([
          ['Z', 2],
          ['é', 1],
        ]),
      );
      expect(corpus.notes.join(' ')).toMatch(/3 characters the training split lacks.*"Z" ×2, "é" ×1/);
      expect(decode(corpus.dataset.data.x!.subarray(36, 40), v)).toBe(`a${UNKNOWN_CHAR.repeat(3)}`);
    } else {
      expect(v).toEqual(['Z', 'a', 'b', 'é', UNKNOWN_CHAR]);
      expect(corpus.unknown.size).toBe(0);
    }
    // whichever seed, the other placement is reached by some seed: check both branches are exercised
    const seeds = Array.from({ length: 20 }, (_v, s) => [...splitIndices(40, 0.25, s).validation].includes(9));
    expect(new Set(seeds)).toEqual(new Set([true, false]));
    const other = seeds.indexOf(!inVal);
    const c2 = textCorpusDataset(text, { context: 4, validationSplit: 0.25, seed: other });
    expect(c2.unknown.size).toBe(inVal ? 0 : 2);
  });

  it('reads code points and CRLF as single characters', () => {
    const { dataset } = textCorpusDataset('a😀b\r\nc'.repeat(10), { context: 3, validationSplit: 0, seed: 0 });
    expect(dataset.vocab).toEqual(['\n', 'a', 'b', 'c', '😀', UNKNOWN_CHAR]);
    expect(dataset.length).toBe(Math.floor((50 - 1) / 3));
  });

  it('says when the text is too short or the context is not a whole number', () => {
    expect(() => textCorpusDataset('abcdefgh', { context: 4, validationSplit: 0.2, seed: 0, name: 'tiny.txt' })).toThrow(
      /tiny.txt: the text has 8 characters.*at least 9/,
    );
    expect(() => textCorpusDataset('abcdefghi', { context: 0, validationSplit: 0.2, seed: 0 })).toThrow(/context/);
  });

  it('encodes unknown characters as the unknown token and counts them', () => {
    const vocab = buildVocab('hello');
    expect(vocab).toEqual(['e', 'h', 'l', 'o', UNKNOWN_CHAR]);
    const unknown = new Map<string, number>();
    expect([...encodeChars([...'hex!'], vocab, unknown)]).toEqual([1, 0, 4, 4]);
    expect(unknown).toEqual(
      new Map([
        ['x', 1],
        ['!', 1],
      ]),
    );
    expect(buildVocab(`a${UNKNOWN_CHAR}`)).toEqual(['a', UNKNOWN_CHAR]);
  });

  it('is a document dataset kind (built-in source and context 64 by default)', () => {
    expect(TrainingConfig.parse({ dataset: { kind: 'text' } }).dataset).toEqual({ kind: 'text', source: 'builtin', context: 64 });
    expect(() => TrainingConfig.parse({ dataset: { kind: 'text', context: 0 } })).toThrow();
  });
});
