/** A dataset's preview for the studio: class balance, split sizes and a few samples in the form that suits it. */
import { decodeTokens, type Dataset } from '../engine/data';
import type { DatasetPreview } from './datasetTypes';
import type { LoadedDataset } from './datasets';

const TABLE_ROWS = 20;
const SCATTER_POINTS = 1000;
const MAX_IMAGES = 20;
const SEQUENCES = 8;
/** Characters of a text sample shown at most. */
const SEQUENCE_CHARS = 200;
/** Bytes of RGBA preview pixels sent to the page at most. */
const IMAGE_BYTES = 4 << 20;

/** Field x as images when it is [h, w, 1 or 3]. */
function imageShape(ds: Dataset): [number, number, number] | undefined {
  const s = ds.fields.x?.shape;
  return s && s.length === 3 && (s[2] === 1 || s[2] === 3) ? [s[0]!, s[1]!, s[2]!] : undefined;
}

/** Sample indices taking one of each class in turn, so every class shows. */
function spreadOverClasses(ds: Dataset, count: number): number[] {
  const label = ds.data.label;
  if (!label || !ds.classes) return Array.from({ length: Math.min(count, ds.length) }, (_v, i) => i);
  const byClass: number[][] = Array.from({ length: ds.classes }, () => []);
  for (let i = 0; i < ds.length && byClass.some((l) => l.length < count); i++) byClass[label[i]!]!.push(i);
  const out: number[] = [];
  for (let k = 0; out.length < Math.min(count, ds.length) && byClass.some((l) => k < l.length); k++)
    for (const l of byClass) if (k < l.length && out.length < count) out.push(l[k]!);
  return out;
}

function images(ds: Dataset, [h, w, c]: [number, number, number]): NonNullable<DatasetPreview['images']> {
  const x = ds.data.x!;
  const count = Math.max(1, Math.min(MAX_IMAGES, Math.floor(IMAGE_BYTES / (h * w * 4))));
  const samples = spreadOverClasses(ds, count).map((i) => {
    const rgba = new Uint8ClampedArray(h * w * 4);
    for (let p = 0; p < h * w; p++) {
      for (let k = 0; k < 3; k++) rgba[4 * p + k] = 255 * x[(i * h * w + p) * c + (c === 3 ? k : 0)]!;
      rgba[4 * p + 3] = 255;
    }
    return { rgba, label: ds.data.label?.[i] ?? -1 };
  });
  return { width: w, height: h, samples };
}

function scatter(ds: Dataset): DatasetPreview['scatter'] {
  const x = ds.data.x!;
  const n = Math.min(SCATTER_POINTS, ds.length);
  const px = new Float32Array(n);
  const py = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    px[i] = x[2 * i]!;
    py[i] = x[2 * i + 1]!;
  }
  if (ds.data.label) return { x: px, y: py, label: Int32Array.from(ds.data.label.subarray(0, n)) };
  return { x: px, y: py, value: Float32Array.from((ds.data.y ?? new Float32Array(n)).subarray(0, n)) };
}

/** A table of the first rows of a dataset with named features (Iris). */
function featureTable(ds: Dataset): DatasetPreview['table'] {
  const x = ds.data.x!;
  const names = ds.featureNames!;
  const rows = Array.from({ length: Math.min(TABLE_ROWS, ds.length) }, (_v, i) => {
    const cells = names.map((_n, j) => String(+x[i * names.length + j]!.toFixed(4)));
    const l = ds.data.label?.[i];
    return l === undefined ? cells : [...cells, ds.classNames?.[l] ?? String(l)];
  });
  return { columns: ds.data.label ? [...names, 'label'] : [...names], rows };
}

/** The first samples decoded: the whole string (x and the last target), and for tasks the answer. */
function sequences(ds: Dataset, vocab: readonly string[]): DatasetPreview['sequences'] {
  const T = ds.fields.x!.shape.reduce((a, d) => a * d, 1);
  const x = ds.data.x!;
  const y = ds.data.y!;
  const samples = Array.from({ length: Math.min(SEQUENCES, ds.length) }, (_v, i) => {
    const ids = [...x.subarray(i * T, (i + 1) * T), y[(i + 1) * T - 1]!];
    const text = decodeTokens(ids, vocab).slice(0, SEQUENCE_CHARS);
    const p = ds.sequence?.promptLength;
    return ds.sequence?.kind === 'task' && p !== undefined ? { text, answer: decodeTokens(ids.slice(p), vocab) } : { text };
  });
  return { vocab, kind: ds.sequence?.kind ?? 'text', samples };
}

/** `raw`: the same dataset before scaling, for a table in the user's units. */
export function previewOf(loaded: LoadedDataset, split: { train: Int32Array; validation: Int32Array }, raw?: Dataset): DatasetPreview {
  const ds = loaded.dataset;
  const base = {
    name: ds.name,
    length: ds.length,
    fields: ds.fields,
    notes: loaded.notes,
    problems: loaded.problems,
    split: { train: split.train.length, validation: split.validation.length },
  };
  const label = ds.data.label;
  const classes =
    label && ds.classes
      ? Array.from({ length: ds.classes }, (_v, k) => {
          const count = (idx: ArrayLike<number>) => Array.prototype.filter.call(idx, (i: number) => label[i] === k).length;
          return {
            name: ds.classNames?.[k] ?? String(k),
            total: count(Array.from({ length: ds.length }, (_u, i) => i)),
            train: count(split.train),
            validation: count(split.validation),
          };
        })
      : undefined;
  const withClasses = classes ? { ...base, classes } : base;
  if (ds.vocab && ds.data.x && ds.data.y) return { ...withClasses, sequences: sequences(ds, ds.vocab) };
  const shape = imageShape(ds);
  if (shape) return { ...withClasses, images: images(ds, shape) };
  if (loaded.table) {
    const t = loaded.table;
    return { ...withClasses, table: { columns: t.header, rows: t.head.slice(0, TABLE_ROWS), lines: Array.from(t.lines.subarray(0, TABLE_ROWS)) } };
  }
  if ((raw ?? ds).featureNames) return { ...withClasses, table: featureTable(raw ?? ds) };
  if (ds.fields.x?.shape.length === 1 && ds.fields.x.shape[0] === 2) return { ...withClasses, scatter: scatter(ds) };
  return withClasses;
}
