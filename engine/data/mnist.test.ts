import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildData } from '../../scripts/build-data.mjs';
import { decodeMnistBytes, encodeMnistBytes, mnistDataset, roundRobinOrder } from './mnist';

const require = createRequire(import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'wiregrad-mnist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bytes = new Uint8Array(readFileSync(buildData(dir, { force: true })));
/** The package's own data, read directly from its JSON (the reference). */
const digits = Array.from({ length: 10 }, (_v, d) => (require(`mnist/src/digits/${d}.json`) as { data: number[] }).data);

describe('MNIST binary', () => {
  it('decodes to the same 10,000 digits as the package, pixel for pixel', () => {
    const d = decodeMnistBytes(bytes);
    expect([d.count, d.rows, d.cols]).toEqual([10000, 28, 28]);
    expect(bytes.length).toBe(12 + 10000 * (1 + 784));
    let sample = 0;
    let mismatches = 0;
    for (let digit = 0; digit < 10; digit++) {
      const data = digits[digit]!;
      for (let i = 0; i < data.length / 784; i++, sample++) {
        expect(d.labels[sample]).toBe(digit);
        for (let j = 0; j < 784; j++) {
          const stored = d.pixels[sample * 784 + j]!;
          // The package stores ink as byte/255 rounded to 3 decimals: the byte must give back that value.
          if (Math.round((stored / 255) * 1000) / 1000 !== data[i * 784 + j]) mismatches++;
        }
      }
    }
    expect(sample).toBe(10000);
    expect(mismatches).toBe(0);
  });

  it('the dataset is x [28, 28, 1] in 0..1 and label [] with 10 classes; a subset is balanced', () => {
    const full = mnistDataset(bytes);
    expect(full.fields).toEqual({ x: { shape: [28, 28, 1], dtype: 'f32' }, label: { shape: [], dtype: 'i32' } });
    expect(full.length).toBe(10000);
    expect(full.classes).toBe(10);
    // Sample 0 of the dataset is the first "0" of the package.
    const x = full.data.x as Float32Array;
    for (let j = 0; j < 784; j++) expect(x[j]).toBeCloseTo(digits[0]![j]!, 3);
    const sub = mnistDataset(bytes, 1000);
    expect(sub.length).toBe(1000);
    const counts = new Array(10).fill(0);
    for (const l of sub.data.label!) counts[l]++;
    expect(counts).toEqual(new Array(10).fill(100));
  });

  it('round-robin order takes one of each class in turn', () => {
    expect([...roundRobinOrder(Uint8Array.of(0, 0, 0, 1, 2, 2), 3)]).toEqual([0, 3, 4, 1, 5, 2]);
  });

  it('encode and decode are inverses, and a damaged file is refused clearly', () => {
    const small = { count: 2, rows: 2, cols: 3, labels: Uint8Array.of(3, 9), pixels: Uint8Array.from({ length: 12 }, (_v, i) => i * 20) };
    const round = decodeMnistBytes(encodeMnistBytes(small));
    expect([...round.pixels]).toEqual([...small.pixels]);
    expect([...round.labels]).toEqual([3, 9]);
    expect(() => decodeMnistBytes(new TextEncoder().encode('<!doctype html>'))).toThrow(/not a Wiregrad MNIST binary/);
    expect(() => decodeMnistBytes(bytes.subarray(0, 5000))).toThrow(/truncated or corrupt/);
  });
});
