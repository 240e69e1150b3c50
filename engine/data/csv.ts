/**
 * CSV files: parsing with line numbers (papaparse), column typing, and the dataset built from chosen
 * feature and label columns. Categorical features are one-hot encoded, a categorical label becomes a
 * class index, numeric features are rescaled with statistics of the training split only.
 */
import Papa from 'papaparse';
import type { DatasetConfig } from '../graph/training';
import { splitIndices, type Dataset } from './dataset';
import { applyScaling, fitScaling } from './scaling';

/** Cells read as missing values (pandas' defaults, and "?" from the UCI repository). */
const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '?', '-']);
/** More distinct values than this in a text feature would make an unwieldy one-hot encoding. */
export const MAX_CATEGORIES = 100;
/** More classes than this is almost certainly an identifier column picked as the label. */
export const MAX_CLASSES = 1000;

/** A problem in the file, with the 1-based line it starts on. */
export class CsvError extends Error {
  constructor(message: string, readonly lines: readonly number[] = []) {
    super(message);
    this.name = 'CsvError';
  }
}

/** What one column holds. */
export interface CsvColumn {
  readonly name: string;
  /** numeric: every present value is a number; categorical: anything else (text). */
  readonly kind: 'numeric' | 'categorical';
  /** Number of missing cells and the first lines they are on. */
  readonly missing: number;
  readonly missingLines: readonly number[];
  /** Distinct values, sorted (numerically for numeric columns), at most MAX_CLASSES + 1 kept. */
  readonly values: readonly string[];
}

/** A parsed file: header, rows of cells, the line each row starts on, and each column's type. */
export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly lines: readonly number[];
  readonly columns: readonly CsvColumn[];
}

export const isMissing = (cell: string) => MISSING.has(cell.trim().toLowerCase());
const asNumber = (cell: string) => (cell.trim() === '' ? NaN : Number(cell.trim()));

/** Parse CSV text whose first row is a header; malformed rows throw CsvError naming their lines. */
export function parseCsv(text: string): CsvTable {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineAt = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const rows: string[][] = [];
  const lines: number[] = [];
  const problems: { line: number; message: string }[] = [];
  let header: string[] | undefined;
  let cursor = 0;
  Papa.parse<string[]>(text, {
    skipEmptyLines: 'greedy',
    step: (r) => {
      let start = cursor;
      while (text[start] === '\n' || text[start] === '\r') start++;
      cursor = r.meta.cursor;
      const line = lineAt(start);
      const fatal = r.errors.find((e) => e.code !== 'UndetectableDelimiter');
      if (fatal) {
        problems.push({ line, message: fatal.code === 'MissingQuotes' ? 'a quoted field is never closed' : fatal.message });
        return;
      }
      if (!header) {
        header = r.data.map((h) => h.trim());
        return;
      }
      if (r.data.length !== header.length) {
        problems.push({ line, message: `expected ${header.length} fields like the header, found ${r.data.length}` });
        return;
      }
      rows.push(r.data);
      lines.push(line);
    },
  });
  if (problems.length) {
    const shown = problems.slice(0, 5).map((p) => `line ${p.line}: ${p.message}`).join('; ');
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more malformed rows)` : '';
    throw new CsvError(`malformed CSV: ${shown}${more}`, problems.map((p) => p.line));
  }
  if (!header || header.every((h) => h === '')) throw new CsvError('the file is empty: a CSV needs a header row naming its columns');
  const seen = new Set<string>();
  header.forEach((h, i) => {
    if (h === '') throw new CsvError(`line 1: column ${i + 1} has no name in the header`, [1]);
    if (seen.has(h)) throw new CsvError(`line 1: two columns are named "${h}"`, [1]);
    seen.add(h);
  });
  if (!rows.length) throw new CsvError('the file has a header but no data rows');
  const columns = header.map((name, c) => describeColumn(name, rows.map((r) => r[c]!), lines));
  return { header, rows, lines, columns };
}

function describeColumn(name: string, cells: readonly string[], lines: readonly number[]): CsvColumn {
  const missingLines: number[] = [];
  let missing = 0;
  let numeric = true;
  const distinct = new Set<string>();
  cells.forEach((cell, i) => {
    if (isMissing(cell)) {
      missing++;
      if (missingLines.length < 5) missingLines.push(lines[i]!);
      return;
    }
    const v = cell.trim();
    if (numeric && !Number.isFinite(asNumber(v))) numeric = false;
    if (distinct.size <= MAX_CLASSES) distinct.add(v);
  });
  const values = [...distinct].sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { name, kind: numeric && distinct.size > 0 ? 'numeric' : 'categorical', missing, missingLines, values };
}

type CsvConfig = Extract<DatasetConfig, { kind: 'csv' }>;

/** The dataset and what the user should know about how it was built. */
export interface CsvDataset {
  readonly dataset: Dataset;
  /** Sentences for the user: rows dropped for missing values, one-hot widths, scaling. */
  readonly notes: readonly string[];
}

/**
 * Build the dataset: x [features] f32 (categorical features one-hot), and label [] i32 (task "class")
 * or y [1] f32 (task "number"). Rows with a missing value in a chosen column are dropped (and reported).
 * Scaling statistics come from the training split splitIndices(rows kept, validationSplit, seed).
 */
export function csvDataset(table: CsvTable, cfg: Pick<CsvConfig, 'name' | 'features' | 'label' | 'task' | 'scaling'>, split: { validationSplit: number; seed: number }): CsvDataset {
  const col = (name: string, role: string) => {
    const i = table.header.indexOf(name);
    if (i < 0) throw new CsvError(`the ${role} column "${name}" is not in ${cfg.name} (its columns: ${table.header.join(', ')})`);
    return i;
  };
  const labelCol = col(cfg.label, 'label');
  const featureNames = cfg.features.length ? cfg.features : table.header.filter((h) => h !== cfg.label);
  const featureCols = featureNames.map((f) => col(f, 'feature'));
  if (!featureCols.length) throw new CsvError(`choose at least one feature column besides the label "${cfg.label}"`);
  if (featureCols.includes(labelCol)) throw new CsvError(`the label column "${cfg.label}" cannot also be a feature`);

  const notes: string[] = [];
  const used = [...featureCols, labelCol];
  const keep: number[] = [];
  const droppedLines: number[] = [];
  table.rows.forEach((row, i) => {
    if (used.some((c) => isMissing(row[c]!))) droppedLines.push(table.lines[i]!);
    else keep.push(i);
  });
  if (droppedLines.length) {
    const per = used.filter((c) => table.columns[c]!.missing > 0).map((c) => `${table.header[c]} (${table.columns[c]!.missing})`);
    notes.push(`${droppedLines.length} row${droppedLines.length > 1 ? 's' : ''} with missing values dropped (lines ${droppedLines.slice(0, 5).join(', ')}${droppedLines.length > 5 ? ', …' : ''}); missing per column: ${per.join(', ')}`);
  }
  if (!keep.length) throw new CsvError(`every row of ${cfg.name} misses a value in a chosen column`);

  // Lay out x: a numeric column takes one slot, a categorical one a slot per value.
  const slots: { col: number; value?: string }[] = [];
  const names: string[] = [];
  for (const c of featureCols) {
    const info = table.columns[c]!;
    if (info.kind === 'numeric') {
      slots.push({ col: c });
      names.push(info.name);
      continue;
    }
    if (info.values.length > MAX_CATEGORIES) throw new CsvError(`the feature column "${info.name}" has more than ${MAX_CATEGORIES} distinct text values; one-hot encoding it would add that many inputs: leave it out of the features`);
    for (const v of info.values) {
      slots.push({ col: c, value: v });
      names.push(`${info.name}=${v}`);
    }
    notes.push(`"${info.name}" is text: one-hot encoded as ${info.values.length} inputs`);
  }
  const width = slots.length;
  const n = keep.length;
  const x = new Float32Array(n * width);
  keep.forEach((r, i) => {
    const row = table.rows[r]!;
    slots.forEach((s, j) => {
      const cell = row[s.col]!.trim();
      x[i * width + j] = s.value === undefined ? Number(cell) : cell === s.value ? 1 : 0;
    });
  });
  const { train } = splitIndices(n, split.validationSplit, split.seed);
  const numericSlots = slots.flatMap((s, j) => (s.value === undefined ? [j] : []));
  if (cfg.scaling !== 'none' && numericSlots.length) {
    applyScaling(x, width, fitScaling(x, width, train, numericSlots, cfg.scaling));
    notes.push(`numeric features ${cfg.scaling === 'standardize' ? 'standardized' : 'scaled to 0..1'} with statistics of the ${train.length} training rows`);
  }

  const labelInfo = table.columns[labelCol]!;
  const base = { name: cfg.name, length: n, featureNames: names };
  if (cfg.task === 'number') {
    if (labelInfo.kind !== 'numeric') {
      const r = keep.find((k) => !Number.isFinite(asNumber(table.rows[k]![labelCol]!)))!;
      throw new CsvError(`line ${table.lines[r]}: the label "${cfg.label}" is "${table.rows[r]![labelCol]}", not a number: choose the task "class" to predict categories`, [table.lines[r]!]);
    }
    const y = Float32Array.from(keep, (r) => Number(table.rows[r]![labelCol]!.trim()));
    return { dataset: { ...base, fields: { x: { shape: [width], dtype: 'f32' }, y: { shape: [1], dtype: 'f32' } }, data: { x, y } }, notes };
  }
  if (labelInfo.values.length > MAX_CLASSES) throw new CsvError(`the label column "${cfg.label}" has more than ${MAX_CLASSES} distinct values: for a numeric target choose the task "number"`);
  const classNames = labelInfo.values;
  const index = new Map(classNames.map((v, i) => [v, i]));
  const label = Int32Array.from(keep, (r) => index.get(table.rows[r]![labelCol]!.trim())!);
  return {
    dataset: { ...base, classes: classNames.length, classNames, fields: { x: { shape: [width], dtype: 'f32' }, label: { shape: [], dtype: 'i32' } }, data: { x, label } },
    notes,
  };
}
