/** What the worker tells the page about datasets: upload summaries and previews. Plain data only. */
import type { CsvColumn } from '../engine/data/csv';
import type { FieldSpec } from '../engine/data/dataset';

/** A stored upload as the page shows it (and as the Dataset section offers its columns or classes). */
export interface UploadSummary {
  readonly name: string;
  readonly kind: 'csv' | 'images' | 'text';
  readonly files: number;
  readonly bytes: number;
  readonly savedAt: number;
  /** CSV: the columns with their types, and the number of data rows. */
  readonly csv?: { readonly columns: readonly CsvColumn[]; readonly rows: number };
  /** Images: classes (sorted) with their image counts, and files that are not images. */
  readonly images?: { readonly classNames: readonly string[]; readonly counts: readonly number[]; readonly skipped: readonly string[] };
  /** Text: characters (code points), distinct characters, and the encoding it was read in. */
  readonly text?: { readonly characters: number; readonly distinct: number; readonly encoding: string };
}

/** A sample of a dataset for the studio: what it holds, how it splits, a few examples. */
export interface DatasetPreview {
  readonly name: string;
  readonly length: number;
  readonly fields: Readonly<Record<string, FieldSpec>>;
  readonly split: { readonly train: number; readonly validation: number };
  /** Per class: name and sample counts overall, in the training and in the validation split. */
  readonly classes?: readonly { readonly name: string; readonly total: number; readonly train: number; readonly validation: number }[];
  /** How the data was prepared (rows dropped, one-hot widths, scaling). */
  readonly notes: readonly string[];
  /** Files that could not be read (unreadable images), not fatal. */
  readonly problems: readonly string[];
  /** Images: the first samples as RGBA at the dataset's size, with their class index. */
  readonly images?: {
    readonly width: number;
    readonly height: number;
    readonly samples: readonly { readonly rgba: Uint8ClampedArray; readonly label: number }[];
  };
  /** Tables: column names and the first rows as text (CSV as read; Iris in cm). */
  readonly table?: { readonly columns: readonly string[]; readonly rows: readonly (readonly string[])[]; readonly lines?: readonly number[] };
  /** Sequences: the vocabulary and the first samples decoded as text (`answer`: the part the loss counts, for tasks). */
  readonly sequences?: {
    readonly vocab: readonly string[];
    readonly kind: 'task' | 'text';
    readonly samples: readonly { readonly text: string; readonly answer?: string }[];
  };
  /** 2-D points (the first two inputs), coloured by class or by target value. */
  readonly scatter?: { readonly x: Float32Array; readonly y: Float32Array; readonly label?: Int32Array; readonly value?: Float32Array };
}
