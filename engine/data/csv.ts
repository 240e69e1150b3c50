/**
 * CSV files: the dataset built from chosen feature and label columns of a parsed file (./csvRead
 * parses in chunks, with line numbers and column types). Categorical features are one-hot encoded,
 * a categorical label becomes a class index, numeric features are rescaled with statistics of the
 * training split only.
 */
import type { DatasetConfig } from '../graph/training';
import { CsvError, isMissing, MAX_CLASSES, type CsvTable } from './csvRead';
import { splitIndices, type Dataset } from './dataset';
import { applyScaling, fitScaling } from './scaling';

export { CsvError, isMissing, MAX_CLASSES, parseCsv, parseCsvAsync, parseCsvBytes, type CsvColumn, type CsvTable } from './csvRead';

/** More distinct values than this in a text feature would make an unwieldy one-hot encoding. */
export const MAX_CATEGORIES = 100;

const asNumber = (cell: string) => (cell.trim() === '' ? NaN : Number(cell.trim()));

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
  const used = [...featureCols, labelCol];
  const keep: number[] = [];
  const droppedLines: number[] = [];
  for (let i = 0; i < table.rows.length; i++) {
    const row = table.rows[i]!;
    if (used.some((c) => isMissing(row[c]!))) droppedLines.push(table.lines[i]!);
    else keep.push(i);
    if (i % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
  }
  if (droppedLines.length) {
    const per = used.filter((c) => table.columns[c]!.missing > 0).map((c) => `${table.header[c]} (${table.columns[c]!.missing})`);
    notes.push(
      `${droppedLines.length} row${droppedLines.length > 1 ? 's' : ''} with missing values dropped (lines ${droppedLines.slice(0, 5).join(', ')}${droppedLines.length > 5 ? ', …' : ''}); missing per column: ${per.join(', ')}`,
    );
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
    if (info.values.length > MAX_CATEGORIES)
      throw new CsvError(
        `the feature column "${info.name}" has more than ${MAX_CATEGORIES} distinct text values; one-hot encoding it would add that many inputs: leave it out of the features`,
      );
    for (const v of info.values) {
      slots.push({ col: c, value: v });
      names.push(`${info.name}=${v}`);
    }
    notes.push(`"${info.name}" is text: one-hot encoded as ${info.values.length} inputs`);
  }
  const width = slots.length;
  const n = keep.length;
  const x = new Float32Array(n * width);
  for (let i = 0; i < n; i++) {
    const row = table.rows[keep[i]!]!;
    slots.forEach((s, j) => {
      const cell = row[s.col]!.trim();
      x[i * width + j] = s.value === undefined ? Number(cell) : cell === s.value ? 1 : 0;
    });
    if (i % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
  }
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
      throw new CsvError(
        `line ${table.lines[r]}: the label "${cfg.label}" is "${table.rows[r]![labelCol]}", not a number: choose the task "class" to predict categories`,
        [table.lines[r]!],
      );
    }
    const y = Float32Array.from(keep, (r) => Number(table.rows[r]![labelCol]!.trim()));
    return { dataset: { ...base, fields: { x: { shape: [width], dtype: 'f32' }, y: { shape: [1], dtype: 'f32' } }, data: { x, y } }, notes };
  }
  if (labelInfo.values.length > MAX_CLASSES)
    throw new CsvError(`the label column "${cfg.label}" has more than ${MAX_CLASSES} distinct values: for a numeric target choose the task "number"`);
  const classNames = labelInfo.values;
  const index = new Map(classNames.map((v, i) => [v, i]));
  const label = Int32Array.from(keep, (r) => index.get(table.rows[r]![labelCol]!.trim())!);
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
