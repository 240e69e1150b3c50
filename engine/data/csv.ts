/**
 * CSV files: the dataset built from chosen feature and label columns of a parsed file (./csvRead
 * parses in chunks into columns, ./csvCells, with line numbers and column types). Categorical features are one-hot encoded,
 * a categorical label becomes a class index, numeric features are rescaled with statistics of the
 * training split only.
 */
import type { DatasetConfig } from '../graph/training';
import type { CsvCells } from './csvCells';
import { CsvError, MAX_CLASSES, type CsvTable } from './csvRead';
import { splitIndices, type Dataset } from './dataset';
import { applyScaling, fitScaling } from './scaling';

export { CsvError, isMissing, MAX_CLASSES, parseCsv, parseCsvAsync, parseCsvBytes, type CsvColumn, type CsvTable } from './csvRead';

/** More distinct values than this in a text feature would make an unwieldy one-hot encoding. */
export const MAX_CATEGORIES = 100;

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
export function csvDataset(table: CsvTable, cfg: CsvChoice, split: CsvSplit): CsvDataset {
  const steps = csvDatasetSteps(table, cfg, split);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** csvDataset with `yieldNow` awaited every ROWS_PER_STEP rows, so the worker answers messages meanwhile. */
export async function csvDatasetAsync(table: CsvTable, cfg: CsvChoice, split: CsvSplit, yieldNow: () => Promise<void>): Promise<CsvDataset> {
  const steps = csvDatasetSteps(table, cfg, split);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await yieldNow();
  }
}

type CsvChoice = Pick<CsvConfig, 'name' | 'features' | 'label' | 'task' | 'scaling'>;
type CsvSplit = { validationSplit: number; seed: number };
/** Rows handled between two stops of csvDatasetSteps. */
const ROWS_PER_STEP = 20_000;

/** csvDataset as a generator that stops every ROWS_PER_STEP rows of each pass over the table. */
export function* csvDatasetSteps(table: CsvTable, cfg: CsvChoice, split: CsvSplit): Generator<void, CsvDataset, void> {
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

  const notes: string[] = table.encodingNote ? [table.encodingNote] : [];
  const used = [...featureCols, labelCol].map((c) => table.cells[c]!);
  const keep = new Int32Array(table.rowCount);
  let n = 0;
  let dropped = 0;
  const droppedLines: number[] = [];
  for (let i = 0; i < table.rowCount; i++) {
    if (used.some((cells) => cells.isMissing(i))) {
      if (droppedLines.length < 5) droppedLines.push(table.lines[i]!);
      dropped++;
    } else keep[n++] = i;
    if (i % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
  }
  if (dropped) {
    const per = [...featureCols, labelCol].filter((c) => table.columns[c]!.missing > 0).map((c) => `${table.header[c]} (${table.columns[c]!.missing})`);
    notes.push(
      `${dropped} row${dropped > 1 ? 's' : ''} with missing values dropped (lines ${droppedLines.join(', ')}${dropped > 5 ? ', …' : ''}); missing per column: ${per.join(', ')}`,
    );
  }
  if (!n) throw new CsvError(`every row of ${cfg.name} misses a value in a chosen column`);
  const kept = keep.subarray(0, n);

  // Lay out x: a numeric column takes one slot, a categorical one a slot per value.
  const width = featureCols.reduce((w, c) => w + (table.columns[c]!.kind === 'numeric' ? 1 : table.columns[c]!.values.length), 0);
  const names: string[] = [];
  /** Per feature: its first slot, and for a categorical one the slot offset of each dictionary code. */
  const layout: { cells: CsvCells; at: number; slotOfCode?: Int32Array }[] = [];
  for (const c of featureCols) {
    const info = table.columns[c]!;
    const cells = table.cells[c]!;
    const at = names.length;
    if (info.kind === 'numeric') {
      layout.push({ cells, at });
      names.push(info.name);
      continue;
    }
    if (info.values.length > MAX_CATEGORIES)
      throw new CsvError(
        `the feature column "${info.name}" has more than ${MAX_CATEGORIES} distinct text values; one-hot encoding it would add that many inputs: leave it out of the features`,
      );
    const slot = new Map(info.values.map((v, j) => [v, j]));
    layout.push({ cells, at, slotOfCode: Int32Array.from(cells.distinct, (v) => slot.get(v)!) });
    for (const v of info.values) names.push(`${info.name}=${v}`);
    notes.push(`"${info.name}" is text: one-hot encoded as ${info.values.length} inputs`);
  }
  const x = new Float32Array(n * width);
  for (let i = 0; i < n; i++) {
    const r = kept[i]!;
    for (const { cells, at, slotOfCode } of layout) {
      if (slotOfCode) x[i * width + at + slotOfCode[cells.code(r)]!] = 1;
      else x[i * width + at] = cells.number(r);
    }
    if (i % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
  }
  const { train } = splitIndices(n, split.validationSplit, split.seed);
  const numericSlots = layout.flatMap((f) => (f.slotOfCode ? [] : [f.at]));
  if (cfg.scaling !== 'none' && numericSlots.length) {
    applyScaling(x, width, fitScaling(x, width, train, numericSlots, cfg.scaling));
    notes.push(`numeric features ${cfg.scaling === 'standardize' ? 'standardized' : 'scaled to 0..1'} with statistics of the ${train.length} training rows`);
  }

  const labelInfo = table.columns[labelCol]!;
  const labels = table.cells[labelCol]!;
  const base = { name: cfg.name, length: n, featureNames: names };
  if (cfg.task === 'number') {
    if (labelInfo.kind !== 'numeric') {
      const r = kept.find((k) => !labels.isNumber(k))!;
      const text = labels.text(r);
      throw new CsvError(
        `line ${table.lines[r]}: the label "${cfg.label}" is ${text === undefined ? 'text' : `"${text}"`}, not a number: choose the task "class" to predict categories`,
        [table.lines[r]!],
      );
    }
    const y = Float32Array.from(kept, (r) => labels.number(r));
    return { dataset: { ...base, fields: { x: { shape: [width], dtype: 'f32' }, y: { shape: [1], dtype: 'f32' } }, data: { x, y } }, notes };
  }
  if (labelInfo.values.length > MAX_CLASSES)
    throw new CsvError(`the label column "${cfg.label}" has more than ${MAX_CLASSES} distinct values: for a numeric target choose the task "number"`);
  const classNames = labelInfo.values;
  const index = new Map(classNames.map((v, i) => [v, i]));
  const classOfCode = Int32Array.from(labels.distinct, (v) => index.get(v)!);
  const label = Int32Array.from(kept, (r) => classOfCode[labels.code(r)]!);
  return {
    dataset: {
      ...base,
      classes: classNames.length,
      classNames,
      fields: { x: { shape: [width], dtype: 'f32' }, label: { shape: [], dtype: 'i32' } },
      data: { x, label },
    },
    notes,
  };
}
