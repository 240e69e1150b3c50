import { describe, expect, it } from 'vitest';
import { csvDataset, csvDatasetAsync, CsvError, parseCsv } from './csv';
import { splitIndices } from './dataset';

const cfg = { name: 't.csv', features: [] as string[], task: 'class' as const, scaling: 'none' as const };
const split = { validationSplit: 0, seed: 1 };

describe('CSV parsing', () => {
  it('types numeric and text columns and counts missing values with their lines', () => {
    const t = parseCsv('a,b,c\n1,red,x\n2.5,blue,\n-3e1,red,NA\n');
    expect(t.header).toEqual(['a', 'b', 'c']);
    expect([...t.lines]).toEqual([2, 3, 4]);
    expect(t.columns.map((c) => c.kind)).toEqual(['numeric', 'categorical', 'categorical']);
    expect(t.columns[0]!.values).toEqual(['-3e1', '1', '2.5']);
    expect(t.columns[1]!.values).toEqual(['blue', 'red']);
    expect(t.columns[2]).toMatchObject({ missing: 2, missingLines: [3, 4] });
  });

  it('reads quoted fields with commas, doubled quotes and line breaks, keeping line numbers right', () => {
    const t = parseCsv('name,note,v\r\n"Smith, J","said ""hi""",1\r\n"multi\r\nline",x,2\r\n\r\nlast,y,3\r\n');
    expect(t.head).toEqual([
      ['Smith, J', 'said "hi"', '1'],
      ['multi\r\nline', 'x', '2'],
      ['last', 'y', '3'],
    ]);
    expect([...t.lines]).toEqual([2, 3, 6]);
  });

  it('reports malformed rows with their line numbers', () => {
    const text = 'a,b,c\n1,2,3\n4,5\n6,7,8\n9,10,11,12\n';
    expect(() => parseCsv(text)).toThrow(CsvError);
    try {
      parseCsv(text);
    } catch (e) {
      expect((e as CsvError).lines).toEqual([3, 5]);
      expect((e as Error).message).toBe(
        'malformed CSV: line 3: expected 3 fields like the header, found 2; line 5: expected 3 fields like the header, found 4',
      );
    }
  });

  it('reports an unclosed quote at the line where the field opens', () => {
    expect(() => parseCsv('a,b\n1,2\n3,"oops\n4,5\n')).toThrow('line 3: a quoted field is never closed');
  });

  it('refuses an empty file, duplicate and blank column names', () => {
    expect(() => parseCsv('')).toThrow(/empty/);
    expect(() => parseCsv('a,b\n')).toThrow(/no data rows/);
    expect(() => parseCsv('a,a\n1,2\n')).toThrow('line 1: two columns are named "a"');
    expect(() => parseCsv('a,,c\n1,2,3\n')).toThrow('line 1: column 2 has no name');
  });

  it('reads semicolon- and tab-separated files', () => {
    expect(parseCsv('a;b\n1;2\n').head).toEqual([['1', '2']]);
    expect(parseCsv('a\tb\n1\t2\n').head).toEqual([['1', '2']]);
  });
});

describe('CSV dataset', () => {
  const text = 'size,colour,price,kind\n1,red,10,cheap\n2,blue,20,cheap\n3,green,30,dear\n4,red,40,dear\n';

  it('one-hot encodes text features and indexes a text label', () => {
    const { dataset, notes } = csvDataset(parseCsv(text), { ...cfg, label: 'kind', features: ['size', 'colour'] }, split);
    expect(dataset.fields).toEqual({ x: { shape: [4], dtype: 'f32' }, label: { shape: [], dtype: 'i32' } });
    expect(dataset.featureNames).toEqual(['size', 'colour=blue', 'colour=green', 'colour=red']);
    expect([...dataset.data.x!]).toEqual([1, 0, 0, 1, 2, 1, 0, 0, 3, 0, 1, 0, 4, 0, 0, 1]);
    expect(dataset.classNames).toEqual(['cheap', 'dear']);
    expect([...dataset.data.label!]).toEqual([0, 0, 1, 1]);
    expect(notes).toContain('"colour" is text: one-hot encoded as 3 inputs');
  });

  it('uses every other column as a feature by default, and a numeric label as a regression target', () => {
    const { dataset } = csvDataset(parseCsv(text), { ...cfg, label: 'price', task: 'number', features: ['size'] }, split);
    expect(dataset.fields).toEqual({ x: { shape: [1], dtype: 'f32' }, y: { shape: [1], dtype: 'f32' } });
    expect([...dataset.data.y!]).toEqual([10, 20, 30, 40]);
    const all = csvDataset(parseCsv(text), { ...cfg, label: 'kind' }, split).dataset;
    expect(all.featureNames).toEqual(['size', 'colour=blue', 'colour=green', 'colour=red', 'price']);
  });

  it('standardizes numeric features with statistics of the training split only', () => {
    const rows = Array.from({ length: 50 }, (_v, i) => `${i * i},${i % 3},${i % 2 ? 'a' : 'b'}`);
    const t = parseCsv(`v,w,k\n${rows.join('\n')}\n`);
    const { dataset } = csvDataset(t, { ...cfg, label: 'k', scaling: 'standardize' }, { validationSplit: 0.3, seed: 4 });
    const { train } = splitIndices(50, 0.3, 4);
    const raw = [...train].map((i) => i * i);
    const mean = raw.reduce((a, b) => a + b) / raw.length;
    const std = Math.sqrt(raw.reduce((a, b) => a + (b - mean) ** 2, 0) / raw.length);
    for (let i = 0; i < 50; i++) expect(dataset.data.x![i * 2]).toBeCloseTo((i * i - mean) / std, 4);
  });

  it('drops rows with missing values in the chosen columns and says which', () => {
    const t = parseCsv('a,b,c\n1,2,x\n,3,y\n4,?,x\n5,6,\n7,8,y\n');
    const { dataset, notes } = csvDataset(t, { ...cfg, label: 'c', features: ['a'] }, split);
    expect(dataset.length).toBe(3);
    expect([...dataset.data.x!]).toEqual([1, 4, 7]);
    expect(notes[0]).toBe('2 rows with missing values dropped (lines 3, 5); missing per column: a (1), c (1)');
  });

  it('names the column, line and value when the choice does not fit the data', () => {
    const t = parseCsv(text);
    expect(() => csvDataset(t, { ...cfg, label: 'nope' }, split)).toThrow('the label column "nope" is not in t.csv (its columns: size, colour, price, kind)');
    expect(() => csvDataset(t, { ...cfg, label: 'kind', task: 'number' }, split)).toThrow('line 2: the label "kind" is "cheap", not a number');
    expect(() => csvDataset(t, { ...cfg, label: 'kind', features: ['kind'] }, split)).toThrow(/cannot also be a feature/);
  });

  it('builds the same dataset a few rows at a time, stopping between them (50,000 rows: the worker answers meanwhile)', async () => {
    const rows = Array.from({ length: 50_000 }, (_v, i) => `${i % 97},${i % 3 ? 'red' : 'blue'},${i % 2 ? 'a' : 'b'}`);
    const t = parseCsv(`v,colour,k\n${rows.join('\n')}\n`);
    const choice = { ...cfg, label: 'k', scaling: 'standardize' as const };
    let stops = 0;
    const stepped = await csvDatasetAsync(t, choice, { validationSplit: 0.2, seed: 3 }, async () => void stops++);
    expect(stops).toBeGreaterThanOrEqual(4);
    expect(stepped).toEqual(csvDataset(t, choice, { validationSplit: 0.2, seed: 3 }));
  });
});
