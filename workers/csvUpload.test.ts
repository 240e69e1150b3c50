/** A CSV upload through the worker's DatasetLoader: encodings, the column limit, and staying responsive while it parses. */
import { describe, expect, it } from 'vitest';
import { TrainingConfig } from '../engine/graph/training';
import { DatasetLoader } from './datasets';
import { memoryUploadStore } from './uploads';

const loader = () =>
  new DatasetLoader({
    fetchAsset: () => Promise.reject(new Error('offline')),
    uploads: memoryUploadStore(),
    decodeImage: () => Promise.reject(new Error('no images')),
  });
const arrayBuffer = (b: Buffer) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
const csvUpload = (name: string, bytes: ArrayBuffer) => ({ name, kind: 'csv' as const, files: [{ path: name, type: 'text/csv', bytes }] });

describe('CSV uploads in the worker', () => {
  it('reads a Latin-1 file with "café" intact and notes the encoding in the preview', async () => {
    const l = loader();
    const summary = await l.putUpload(csvUpload('drinks.csv', arrayBuffer(Buffer.from('drink,price,kind\ncafé,2,hot\nthé,3,hot\njus,4,cold\n', 'latin1'))));
    expect(summary.csv!.columns[0]!.values).toEqual(['café', 'jus', 'thé']);
    const preview = await l.preview(TrainingConfig.parse({ dataset: { kind: 'csv', name: 'drinks.csv', label: 'kind' }, validationSplit: 0, seed: 1 }));
    expect(preview.table!.rows[0]).toEqual(['café', '2', 'hot']);
    expect(preview.notes).toContain('the file was read as Latin-1/Windows-1252 (it is not valid UTF-8)');
  });

  it('refuses a header of 1,000,000 columns with the limit and the count, naming the file', async () => {
    const header = Array.from({ length: 1_000_000 }, (_v, i) => `c${i}`).join(',');
    const bytes = new TextEncoder().encode(`${header}\n${'1,'.repeat(999_999)}1\n`);
    await expect(loader().putUpload(csvUpload('wide.csv', bytes.buffer as ArrayBuffer))).rejects.toThrow(
      'wide.csv: line 1: the header has 1,000,000 columns, more than the 2,048 a CSV dataset may have',
    );
  });

  it('answers other work while it parses a 16 MB upload (a timer keeps firing between chunks)', async () => {
    const row = '1.5,red,2,"a, b",3\n';
    const rows = Math.ceil(16e6 / row.length);
    const bytes = new TextEncoder().encode(`a,b,c,d,e\n${row.repeat(rows)}`);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const summary = await loader().putUpload(csvUpload('big.csv', bytes.buffer as ArrayBuffer));
    clearInterval(timer);
    expect(summary.csv!.rows).toBe(rows);
    expect(ticks).toBeGreaterThan(3);
  });
});
