/**
 * MNIST in Wiregrad's compact binary (written by scripts/build-data.mjs, served from public/data/):
 *   bytes 0..3   "WGMN"
 *   bytes 4..7   sample count n (uint32, little-endian)
 *   bytes 8..9   rows, 10..11 cols (uint16, little-endian)
 *   then n labels (uint8), then n·rows·cols pixels (uint8, row-major, sample-major; value = round(255·ink)).
 */
import type { Dataset } from './dataset';

export const MNIST_MAGIC = 'WGMN';
export const MNIST_HEADER_BYTES = 12;
/** Where the app serves the binary, relative to the site root. */
export const MNIST_URL = 'data/mnist.bin';

/** The raw digits as stored: labels and 0..255 pixels. */
export interface MnistBytes {
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  readonly labels: Uint8Array;
  readonly pixels: Uint8Array;
}

/** Read the binary; throws a clear error when the bytes are not an MNIST file of ours. */
export function decodeMnistBytes(bytes: Uint8Array): MnistBytes {
  if (bytes.length < MNIST_HEADER_BYTES || String.fromCharCode(...bytes.subarray(0, 4)) !== MNIST_MAGIC) {
    throw new Error(`the MNIST file is not a Wiregrad MNIST binary (it should start with "${MNIST_MAGIC}"): rebuild it with node scripts/build-data.mjs`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(4, true);
  const rows = view.getUint16(8, true);
  const cols = view.getUint16(10, true);
  const want = MNIST_HEADER_BYTES + count + count * rows * cols;
  if (bytes.length !== want)
    throw new Error(`the MNIST file holds ${bytes.length} bytes, expected ${want} for ${count} digits of ${rows}×${cols}: it is truncated or corrupt`);
  const labels = bytes.subarray(MNIST_HEADER_BYTES, MNIST_HEADER_BYTES + count);
  const bad = labels.findIndex((l) => l > 9);
  if (bad >= 0) throw new Error(`the MNIST file has label ${labels[bad]} at digit ${bad}; labels are 0..9`);
  return { count, rows, cols, labels, pixels: bytes.subarray(MNIST_HEADER_BYTES + count) };
}

/** Write the binary (the inverse of decodeMnistBytes). */
export function encodeMnistBytes(d: MnistBytes): Uint8Array {
  const out = new Uint8Array(MNIST_HEADER_BYTES + d.count + d.pixels.length);
  out.set([...MNIST_MAGIC].map((c) => c.charCodeAt(0)));
  const view = new DataView(out.buffer);
  view.setUint32(4, d.count, true);
  view.setUint16(8, d.rows, true);
  view.setUint16(10, d.cols, true);
  out.set(d.labels, MNIST_HEADER_BYTES);
  out.set(d.pixels, MNIST_HEADER_BYTES + d.count);
  return out;
}

/**
 * Sample order for a subset: the 1st digit of each class, then the 2nd of each, … so any prefix is
 * balanced (the file itself is grouped by class).
 */
export function roundRobinOrder(labels: Uint8Array, classes: number): Int32Array {
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  labels.forEach((l, i) => byClass[l]!.push(i));
  const order: number[] = [];
  for (let k = 0; order.length < labels.length; k++) for (const list of byClass) if (k < list.length) order.push(list[k]!);
  return Int32Array.from(order);
}

/** The dataset: x [rows, cols, 1] f32 in 0..1 and label [] i32; `subset` keeps that many, balanced. */
export function mnistDataset(bytes: Uint8Array, subset?: number): Dataset {
  const d = decodeMnistBytes(bytes);
  const n = Math.min(subset ?? d.count, d.count);
  const order = roundRobinOrder(d.labels, 10).subarray(0, n);
  const size = d.rows * d.cols;
  const x = new Float32Array(n * size);
  const label = new Int32Array(n);
  order.forEach((src, i) => {
    label[i] = d.labels[src]!;
    for (let j = 0; j < size; j++) x[i * size + j] = d.pixels[src * size + j]! / 255;
  });
  return {
    name: 'mnist',
    length: n,
    classes: 10,
    fields: { x: { shape: [d.rows, d.cols, 1], dtype: 'f32' }, label: { shape: [], dtype: 'i32' } },
    data: { x, label },
  };
}
