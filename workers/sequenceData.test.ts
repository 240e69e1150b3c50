import { describe, expect, it } from 'vitest';
import { TrainingConfig } from '../engine/graph/training';
import { UNKNOWN_CHAR } from '../engine/data/sequenceText';
import { corpusText } from '../scripts/build-corpus.mjs';
import { BUILTIN_TEXT_URL, DatasetLoader } from './datasets';
import { memoryUploadStore } from './uploads';

const bytes = (s: string) => new TextEncoder().encode(s).buffer as ArrayBuffer;
const training = (dataset: unknown) => TrainingConfig.parse({ dataset, validationSplit: 0.2, seed: 1 });
const noImages = () => Promise.reject(new Error('no images here'));

describe('sequence datasets in the worker', () => {
  it('stores a .txt upload, summarizes it and loads it as a character corpus', async () => {
    const l = new DatasetLoader({ fetchAsset: () => Promise.reject(new Error('offline')), uploads: memoryUploadStore(), decodeImage: noImages });
    const text = 'To be, or not to be, that is the question.\n'.repeat(20);
    const summary = await l.putUpload({ name: 'hamlet.txt', kind: 'text', files: [{ path: 'hamlet.txt', type: 'text/plain', bytes: bytes(text) }] });
    expect(summary.text).toEqual({ characters: text.length, distinct: new Set(text).size, encoding: 'UTF-8' });
    const { dataset, notes } = await l.load(training({ kind: 'text', source: 'upload', name: 'hamlet.txt', context: 16 }));
    expect(dataset.fields.x).toEqual({ shape: [16], dtype: 'i32' });
    expect(dataset.vocab!.at(-1)).toBe(UNKNOWN_CHAR);
    expect(notes[0]).toBe('read as UTF-8');
    const preview = await l.preview(training({ kind: 'text', source: 'upload', name: 'hamlet.txt', context: 16 }));
    expect(preview.sequences!.samples[0]!.text).toBe(text.slice(0, 17));
    expect(preview.split).toEqual({ train: dataset.length - Math.round(dataset.length * 0.2), validation: Math.round(dataset.length * 0.2) });
  });

  it('reads a Windows-1252 text and says so; refuses a file that is not text and a missing upload', async () => {
    const l = new DatasetLoader({ fetchAsset: () => Promise.reject(new Error('offline')), uploads: memoryUploadStore(), decodeImage: noImages });
    const latin = Uint8Array.from([...'caf'].map((c) => c.charCodeAt(0)).concat([0xe9, 0x20]));
    const repeated = new Uint8Array(latin.length * 20);
    for (let i = 0; i < 20; i++) repeated.set(latin, i * latin.length);
    await l.putUpload({ name: 'cafe.txt', kind: 'text', files: [{ path: 'cafe.txt', type: 'text/plain', bytes: repeated.buffer }] });
    const loaded = await l.load(training({ kind: 'text', source: 'upload', name: 'cafe.txt', context: 8 }));
    expect(loaded.notes[0]).toMatch(/Windows-1252/);
    expect(loaded.dataset.vocab).toContain('é');
    await expect(
      l.putUpload({ name: 'bin.txt', kind: 'text', files: [{ path: 'bin.txt', type: '', bytes: Uint8Array.from([65, 0, 66]).buffer }] }),
    ).rejects.toThrow(/bin.txt: byte 2 is a NUL byte/);
    await expect(l.load(training({ kind: 'text', source: 'upload', name: 'gone.txt' }))).rejects.toThrow(/"gone.txt" is not stored in this browser/);
    await expect(l.load(training({ kind: 'text', source: 'upload' }))).rejects.toThrow(/none is chosen/);
  });

  it('fetches the built-in corpus once', async () => {
    let fetches = 0;
    const fetchAsset = async (path: string) => {
      fetches++;
      expect(path).toBe('data/corpus.txt');
      return new TextEncoder().encode('abcdefghij'.repeat(30));
    };
    const l = new DatasetLoader({ fetchAsset, uploads: memoryUploadStore(), decodeImage: noImages });
    const a = await l.load(training({ kind: 'text', context: 10 }));
    const b = await l.load(training({ kind: 'text', context: 10 }));
    expect(a.dataset).toBe(b.dataset);
    expect(fetches).toBe(1);
    expect(a.dataset.vocab).toEqual([...'abcdefghij', UNKNOWN_CHAR]);
  });

  it('the built-in corpus (the first State of the Union addresses) is about 1 MB of English with a small vocabulary', async () => {
    const text = corpusText();
    expect(text.length).toBeGreaterThan(1_000_000);
    expect(text.startsWith('Fellow-Citizens of the Senate')).toBe(true);
    const l = new DatasetLoader({
      fetchAsset: async (p) => (p === BUILTIN_TEXT_URL ? new TextEncoder().encode(text) : Promise.reject(new Error(p))),
      uploads: memoryUploadStore(),
      decodeImage: noImages,
    });
    const { dataset } = await l.load(training({ kind: 'text', context: 64 }));
    expect(dataset.length).toBe(Math.floor((text.length - 1) / 64));
    expect(dataset.vocab!.length).toBeGreaterThan(60);
    expect(dataset.vocab!.length).toBeLessThan(100);
  });

  it('previews a synthetic task with its answers', async () => {
    const l = new DatasetLoader({ fetchAsset: () => Promise.reject(new Error('offline')), uploads: memoryUploadStore(), decodeImage: noImages });
    const p = await l.preview(training({ kind: 'sequence', task: 'sort', length: 5, size: 100, seed: 2 }));
    expect(p.sequences!.kind).toBe('task');
    for (const s of p.sequences!.samples) {
      const [prompt, answer] = s.text.split('=');
      expect(answer).toBe([...prompt!].sort().join(''));
      expect(s.answer).toBe(answer);
    }
    expect(p.sequences!.samples).toHaveLength(8);
  });
});
