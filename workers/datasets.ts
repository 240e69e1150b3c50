/**
 * Loads the dataset a document trains on, in the worker: synthetic sets and Iris from engine/data,
 * MNIST from the binary the app serves, CSV files and image folders from the uploads stored in this
 * browser. Checks that every Input node's field exists in the data with a matching size.
 */
import { CompileError } from '../engine/compile/program';
import { csvDatasetAsync, CsvError, parseCsvBytes, type CsvTable } from '../engine/data/csv';
import { bindingErrors, builtinDataset, splitIndices, type Dataset } from '../engine/data';
import { imageDataset, imageTensor, labelImagePaths, type DecodedImage } from '../engine/data/images';
import { decodeText, decodeTextAsync, describeEncoding, TextEncodingError } from '../engine/data/encoding';
import { decodedSizeProblem } from '../engine/data/limits';
import { textCharacters, textCorpusDataset } from '../engine/data/sequenceText';
import { mnistDataset, MNIST_URL } from '../engine/data/mnist';
import type { GraphDocument } from '../engine/graph/document';
import type { DatasetConfig, TrainingConfig } from '../engine/graph/training';
import type { DatasetPreview, UploadSummary } from './datasetTypes';
import { previewOf } from './datasetPreview';
import type { Upload, UploadStore } from './uploads';
import { createYield } from './yieldToEvents';

/** Where data comes from: the worker passes fetch, IndexedDB and createImageBitmap; tests pass stand-ins. */
export interface DatasetSources {
  /** Bytes of a file the app serves, by path relative to the site root (e.g. data/mnist.bin). */
  fetchAsset(path: string): Promise<Uint8Array>;
  readonly uploads: UploadStore;
  /** Decode one image file to RGBA pixels; rejects when the bytes are not a readable image. */
  decodeImage(bytes: ArrayBuffer, type: string): Promise<DecodedImage>;
}

/** A dataset with what the user should know about how it was made. */
export interface LoadedDataset {
  readonly dataset: Dataset;
  readonly notes: readonly string[];
  readonly problems: readonly string[];
  /** The CSV as read, for the preview table. */
  readonly table?: CsvTable;
}

type CsvConfig = Extract<DatasetConfig, { kind: 'csv' }>;
type ImagesConfig = Extract<DatasetConfig, { kind: 'images' }>;
type TextConfig = Extract<DatasetConfig, { kind: 'text' }>;

/** Where the app serves its built-in text corpus (scripts/build-data.mjs writes it). */
export const BUILTIN_TEXT_URL = 'data/corpus.txt';

export class DatasetLoader {
  private mnist: Promise<Uint8Array> | undefined;
  /** Parsed CSVs and decoded image sets, keyed by name, upload time and options. */
  private readonly cache = new Map<string, Promise<LoadedDataset>>();
  /** The last CSV parsed (its upload's name and time): an upload is summarized, then loaded. */
  private lastCsv: { key: string; table: Promise<CsvTable> } | undefined;
  /** Parsing yields to the message loop between chunks, so pings and pause are answered meanwhile. */
  private readonly yieldNow = createYield();

  constructor(private readonly sources: DatasetSources) {}

  /** The dataset for `doc`; throws CompileError naming the Input node whose field does not fit. */
  async forDocument(doc: GraphDocument): Promise<Dataset> {
    const { dataset } = await this.load(doc.training);
    const errors = bindingErrors(doc, dataset);
    if (errors.length) throw new CompileError(errors);
    return dataset;
  }

  /** Build (or reuse) the dataset a training config names. */
  async load(training: TrainingConfig): Promise<LoadedDataset> {
    const cfg = training.dataset;
    switch (cfg.kind) {
      case 'mnist': {
        this.mnist ??= this.sources.fetchAsset(MNIST_URL).catch((e) => {
          this.mnist = undefined;
          throw e;
        });
        return {
          dataset: mnistDataset(await this.mnist, cfg.subset),
          notes: cfg.subset ? [`the first ${cfg.subset} digits, balanced over the 10 classes`] : [],
          problems: [],
        };
      }
      case 'csv':
        return this.cached(`csv|${JSON.stringify(cfg)}|${training.validationSplit}|${training.seed}`, cfg.name, (u) => this.csv(u, cfg, training));
      case 'images':
        return this.cached(`images|${JSON.stringify(cfg)}`, cfg.name, (u) => this.images(u, cfg));
      case 'text':
        return this.text(cfg, training);
      default:
        return { dataset: builtinDataset(cfg, training.seed, training.validationSplit), notes: [], problems: [] };
    }
  }

  /** Store an upload under its name and say what it holds (columns, classes). */
  async putUpload(upload: Omit<Upload, 'savedAt'>): Promise<UploadSummary> {
    const stored: Upload = { ...upload, savedAt: Date.now() };
    const summary = await this.summarize(stored);
    await this.sources.uploads.put(stored);
    return summary;
  }

  /** The stored upload's summary, or undefined when this browser does not have it. */
  async describeUpload(name: string): Promise<UploadSummary | undefined> {
    const u = await this.sources.uploads.get(name);
    return u && this.summarize(u);
  }

  /** A few samples, the class balance and the split sizes of the dataset `training` names. */
  async preview(training: TrainingConfig): Promise<DatasetPreview> {
    const loaded = await this.load(training);
    const raw = training.dataset.kind === 'iris' ? builtinDataset({ ...training.dataset, scaling: 'none' }, training.seed) : undefined;
    return previewOf(loaded, splitIndices(loaded.dataset.length, training.validationSplit, training.seed), raw);
  }

  private async cached(key: string, name: string, build: (u: Upload) => Promise<LoadedDataset>): Promise<LoadedDataset> {
    const upload = await this.sources.uploads.get(name);
    if (!upload)
      throw new Error(
        `the dataset "${name}" is not stored in this browser (uploads stay in the browser that received them): upload the file${name.endsWith('.csv') ? '' : 's'} again in the Training panel`,
      );
    const full = `${key}|${upload.savedAt}`;
    let p = this.cache.get(full);
    if (!p) {
      for (const k of this.cache.keys()) if (k.includes(`"name":${JSON.stringify(name)}`)) this.cache.delete(k);
      p = build(upload);
      this.cache.set(full, p);
      p.catch(() => this.cache.delete(full));
    }
    return p;
  }

  private async csv(upload: Upload, cfg: CsvConfig, training: TrainingConfig): Promise<LoadedDataset> {
    if (upload.kind !== 'csv') throw new Error(`"${cfg.name}" holds ${upload.kind === 'text' ? 'a text file' : 'images'}, not a CSV file`);
    const table = await this.csvTable(upload);
    try {
      const { dataset, notes } = await csvDatasetAsync(table, cfg, training, this.yieldNow);
      return { dataset, notes, problems: [], table };
    } catch (e) {
      throw e instanceof CsvError ? new Error(`${cfg.name}: ${e.message}`) : e;
    }
  }

  /** A text corpus: the built-in one, or the uploaded `.txt` decoded like a CSV (UTF-8, UTF-16 by its mark, Windows-1252). */
  private async text(cfg: TextConfig, training: TrainingConfig): Promise<LoadedDataset> {
    const key = `text|${JSON.stringify(cfg)}|${training.validationSplit}|${training.seed}`;
    const build = async (bytes: Uint8Array, name: string, encodingNote: boolean): Promise<LoadedDataset> => {
      let decoded;
      try {
        decoded = await decodeTextAsync(bytes, this.yieldNow);
      } catch (e) {
        throw e instanceof TextEncodingError ? new Error(`${name}: ${e.message}`) : e;
      }
      const corpus = textCorpusDataset(decoded.text, { context: cfg.context, validationSplit: training.validationSplit, seed: training.seed, name });
      const notes = encodingNote ? [`read as ${describeEncoding(decoded)}`, ...corpus.notes] : corpus.notes;
      return { dataset: corpus.dataset, notes, problems: [] };
    };
    if (cfg.source === 'builtin') {
      let p = this.cache.get(key);
      if (!p) {
        p = this.sources.fetchAsset(BUILTIN_TEXT_URL).then((bytes) => build(bytes, 'built-in text', false));
        this.cache.set(key, p);
        p.catch(() => this.cache.delete(key));
      }
      return p;
    }
    if (!cfg.name) throw new Error('the text dataset reads an uploaded file, but none is chosen: upload a .txt file in the Training panel');
    return this.cached(key, cfg.name, async (u) => {
      if (u.kind !== 'text' || !u.files[0]) throw new Error(`"${cfg.name}" is ${u.kind === 'csv' ? 'a CSV file' : 'an image upload'}, not a text file`);
      return build(new Uint8Array(u.files[0].bytes), cfg.name!, true);
    });
  }

  private async summarize(u: Upload): Promise<UploadSummary> {
    return summarizeWith(u, u.kind === 'csv' ? await this.csvTable(u) : undefined);
  }

  /** The upload's CSV parsed a chunk at a time (reused while the same upload is asked for again). */
  private csvTable(upload: Upload): Promise<CsvTable> {
    const key = `${upload.name}|${upload.savedAt}`;
    if (this.lastCsv?.key === key) return this.lastCsv.table;
    const file = upload.files[0];
    const table = file
      ? parseCsvBytes(new Uint8Array(file.bytes), { yieldNow: this.yieldNow }).catch((e: unknown) => {
          if (this.lastCsv?.key === key) this.lastCsv = undefined;
          throw e instanceof CsvError ? new Error(`${upload.name}: ${e.message}`) : e;
        })
      : Promise.reject(new Error(`"${upload.name}" has no file`));
    this.lastCsv = { key, table };
    return table;
  }

  private async images(upload: Upload, cfg: ImagesConfig): Promise<LoadedDataset> {
    if (upload.kind !== 'images') throw new Error(`"${cfg.name}" is a ${upload.kind === 'text' ? 'text' : 'CSV'} file, not images`);
    const paths = upload.files.map((f) => f.path);
    const { classNames, labels, images } = labelImagePaths(paths);
    const channels = cfg.color === 'rgb' ? 3 : 1;
    const tooBig = decodedSizeProblem(images.length, cfg.width, cfg.height, channels);
    if (tooBig) throw new Error(`${cfg.name}: ${tooBig}`);
    const samples: { tensor: Float32Array; label: number }[] = [];
    const problems: string[] = [];
    for (let k = 0; k < images.length; k++) {
      const file = upload.files[images[k]!]!;
      try {
        const img = await this.sources.decodeImage(file.bytes, file.type);
        samples.push({ tensor: imageTensor(img, cfg), label: labels[k]! });
      } catch (e) {
        problems.push(`${file.path}: not a readable image (${e instanceof Error ? e.message : String(e)})`);
      }
    }
    if (!samples.length) throw new Error(`${cfg.name}: none of its ${images.length} image files could be read`);
    const dataset = imageDataset(cfg.name, samples, classNames, cfg);
    const notes = [
      `${samples.length} images in ${classNames.length} classes, resized to ${cfg.width}×${cfg.height} ${cfg.color === 'rgb' ? 'RGB' : 'grayscale'}, pixel values in 0..1`,
    ];
    return { dataset, notes, problems };
  }
}

function summarizeWith(u: Upload, table: CsvTable | undefined): UploadSummary {
  const base = { name: u.name, kind: u.kind, files: u.files.length, bytes: u.files.reduce((s, f) => s + f.bytes.byteLength, 0), savedAt: u.savedAt };
  if (u.kind === 'text') return { ...base, text: textSummary(u) };
  if (table) {
    return { ...base, csv: { columns: table.columns.map((c) => ({ ...c, values: c.values.slice(0, 50) })), rows: table.rowCount } };
  }
  const { classNames, labels, skipped } = labelImagePaths(u.files.map((f) => f.path));
  if (!classNames.length) throw new Error(`"${u.name}" holds no image files (PNG, JPEG, GIF, BMP or WebP)`);
  const counts = classNames.map(() => 0);
  for (const l of labels) counts[l]!++;
  return { ...base, images: { classNames, counts, skipped } };
}

/** A text upload's characters and encoding; throws when the bytes are not text. */
function textSummary(u: Upload): NonNullable<UploadSummary['text']> {
  const file = u.files[0];
  if (!file) throw new Error(`"${u.name}" has no file`);
  let decoded;
  try {
    decoded = decodeText(new Uint8Array(file.bytes));
  } catch (e) {
    throw e instanceof TextEncodingError ? new Error(`${u.name}: ${e.message}`) : e;
  }
  const chars = textCharacters(decoded.text);
  return { characters: chars.length, distinct: new Set(chars).size, encoding: describeEncoding(decoded) };
}
