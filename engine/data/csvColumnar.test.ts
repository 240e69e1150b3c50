/**
 * The columnar CSV store (./csvCells) against the row path it replaced: the file's rows as strings
 * (collected through onRow) turned into x, label and y with the old rules — a cell is missing by
 * isMissing, a number is Number(trimmed cell) as float32, a text value is one-hot by trimmed equality.
 */
import { describe, expect, it } from 'vitest';
import { csvDataset, CsvError, isMissing, parseCsv } from './csv';
import { applyScaling, fitScaling } from './scaling';
import { splitIndices } from './dataset';

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MISSING_CELLS = ['', 'NA', '?', ' nan ', 'null', '-'];

/** 4,000 rows: coded numbers, numbers with too many values to code, text, a column that turns to text, two labels. */
function mixedCsv(rand: () => number) {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const maybeMissing = (cell: string, p: number) => (rand() < p ? pick(MISSING_CELLS) : cell);
  const header = 'few,many,colour,turns,kind,price';
  const lines = [header];
  for (let r = 0; r < 4000; r++) {
    const few = maybeMissing(pick(['1', ' 2 ', '3.5', '-0', '1e2', '0.1']), 0.03);
    const many = maybeMissing(`${(rand() * 2000 - 1000).toFixed(r % 3)}`, 0.02);
    const colour = maybeMissing(pick(['red', ' blue', 'green ', 'Red', 'café']), 0.03);
    const turns = r < 2500 ? `${r * 0.37}` : `t${r % 7}`;
    const kind = maybeMissing(pick(['a', 'b', 'c', '10', '2']), 0.02);
    const price = maybeMissing(`${Math.round(rand() * 1e6) / 100}`, 0.01);
    lines.push([few, many, colour, turns, kind, price].join(','));
  }
  return `${lines.join('\n')}\n`;
}

type Choice = { label: string; features: string[]; task: 'class' | 'number'; scaling: 'none' | 'standardize' | 'minmax' };

/** The old row path: what csvDataset computed from rows of strings. */
function rowPath(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  lines: readonly number[],
  choice: Choice,
  split: { validationSplit: number; seed: number },
) {
  const labelCol = header.indexOf(choice.label);
  const featureCols = choice.features.map((f) => header.indexOf(f));
  const used = [...featureCols, labelCol];
  const keep = rows.flatMap((row, i) => (used.some((c) => isMissing(row[c]!)) ? [] : [i]));
  const dropped = rows.map((_r, i) => i).filter((i) => !keep.includes(i));
  const present = (c: number) => rows.map((r) => r[c]!.trim()).filter((v) => !isMissing(v));
  const isNumeric = (c: number) => present(c).length > 0 && present(c).every((v) => Number.isFinite(Number(v)));
  const sortedValues = (c: number) => [...new Set(present(c))].sort(isNumeric(c) ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const slots = featureCols.flatMap((c): { c: number; value?: string }[] => (isNumeric(c) ? [{ c }] : sortedValues(c).map((value) => ({ c, value }))));
  const width = slots.length;
  const x = new Float32Array(keep.length * width);
  keep.forEach((r, i) =>
    slots.forEach((s, j) => {
      const cell = rows[r]![s.c]!.trim();
      x[i * width + j] = s.value === undefined ? Number(cell) : cell === s.value ? 1 : 0;
    }),
  );
  const { train } = splitIndices(keep.length, split.validationSplit, split.seed);
  const numericSlots = slots.flatMap((s, j) => (s.value === undefined ? [j] : []));
  if (choice.scaling !== 'none') applyScaling(x, width, fitScaling(x, width, train, numericSlots, choice.scaling));
  const droppedLines = dropped.map((i) => lines[i]!);
  if (choice.task === 'number') {
    const bad = keep.find((r) => !Number.isFinite(Number(rows[r]![labelCol]!.trim())));
    if (bad !== undefined) return { error: `line ${lines[bad]}: the label "${choice.label}" is "${rows[bad]![labelCol]!.trim()}", not a number`, droppedLines };
    return { x, y: Float32Array.from(keep, (r) => Number(rows[r]![labelCol]!.trim())), droppedLines };
  }
  const classNames = sortedValues(labelCol);
  return { x, label: Int32Array.from(keep, (r) => classNames.indexOf(rows[r]![labelCol]!.trim())), classNames, droppedLines };
}

describe('the columnar CSV store', () => {
  const text = mixedCsv(random(5));
  const rows: (readonly string[])[] = [];
  const lines: number[] = [];
  const table = parseCsv(text, {
    chunkChars: 4096,
    onRow: (row, line) => {
      rows.push(row);
      lines.push(line);
    },
  });
  const split = { validationSplit: 0.25, seed: 9 };

  it('gives back every cell as the rows of strings had it: missing or not, its number, its trimmed text while the column is coded', () => {
    expect(table.rowCount).toBe(4000);
    expect([...table.lines]).toEqual(lines);
    expect(table.columns.map((c) => c.kind)).toEqual(['numeric', 'numeric', 'categorical', 'categorical', 'categorical', 'numeric']);
    table.header.forEach((_h, c) => {
      const cells = table.cells[c]!;
      rows.forEach((row, r) => {
        const cell = row[c]!;
        expect(cells.isMissing(r), `column ${c} row ${r}`).toBe(isMissing(cell));
        if (isMissing(cell)) return;
        if (table.columns[c]!.kind === 'numeric') expect(cells.number(r)).toBe(cells.coded ? Number(cell.trim()) : Math.fround(Number(cell.trim())));
        if (cells.coded) expect(cells.text(r)).toBe(cell.trim());
        expect(cells.isNumber(r)).toBe(Number.isFinite(Number(cell.trim())));
      });
    });
    // Numbers with thousands of values are stored as float32, not coded; so is nothing else here.
    expect(table.header.map((_h, c) => table.cells[c]!.coded)).toEqual([true, false, true, false, true, false]);
  });

  const choices: Choice[] = [
    { label: 'kind', features: ['few', 'many', 'colour', 'price'], task: 'class', scaling: 'none' },
    { label: 'kind', features: ['colour', 'many'], task: 'class', scaling: 'standardize' },
    { label: 'price', features: ['few', 'colour', 'many'], task: 'number', scaling: 'minmax' },
    { label: 'few', features: ['colour'], task: 'class', scaling: 'none' },
    { label: 'many', features: ['few'], task: 'number', scaling: 'none' },
  ];
  for (const choice of choices) {
    it(`builds exactly the old row path's dataset: label ${choice.label} (${choice.task}), features ${choice.features.join(', ')}, scaling ${choice.scaling}`, () => {
      const expected = rowPath(table.header, rows, lines, choice, split);
      const { dataset, notes } = csvDataset(table, { name: 'mixed.csv', ...choice }, split);
      expect(expected.droppedLines.length).toBeGreaterThan(0);
      expect(notes.find((n) => n.includes('dropped'))).toContain(
        `${expected.droppedLines.length} rows with missing values dropped (lines ${expected.droppedLines.slice(0, 5).join(', ')}, …)`,
      );
      expect(dataset.length).toBe(4000 - expected.droppedLines.length);
      expect(dataset.data.x).toEqual(expected.x);
      if (choice.task === 'number') expect(dataset.data.y).toEqual(expected.y);
      else {
        expect(dataset.data.label).toEqual(expected.label);
        expect(dataset.classNames).toEqual(expected.classNames);
      }
    });
  }

  it('names the first text label by line and value, as the row path did, in a column that turned to text after thousands of numbers', () => {
    const choice: Choice = { label: 'turns', features: ['few'], task: 'number', scaling: 'none' };
    const expected = rowPath(table.header, rows, lines, choice, split);
    expect(() => csvDataset(table, { name: 'mixed.csv', ...choice }, split)).toThrow(CsvError);
    expect(() => csvDataset(table, { name: 'mixed.csv', ...choice }, split)).toThrow(expected.error!);
  });
});
