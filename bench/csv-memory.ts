/**
 * Peak memory of reading a CSV upload just under the 64 MiB limit, as the worker does: decode and parse
 * a chunk at a time (parseCsvBytes), then build the dataset (csvDatasetAsync), keeping the table (the
 * worker keeps it for the preview). Memory is sampled at every yield and at the end:
 * process.memoryUsage() heapUsed + arrayBuffers, minus the same after the file's bytes are made; the
 * longest stretch between two yields is how long the worker would leave a ping unanswered.
 *
 *   nice -n 10 node --expose-gc --import tsx bench/csv-memory.ts [MiB]
 */
import { csvDatasetAsync, parseCsvBytes } from '../engine/data/csv';

const MiB = 1024 * 1024;
const target = Number(process.argv[2] ?? 60) * MiB;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

/** A mixed file: 8 numeric columns (some missing), a 5-valued text column and a 3-class label. */
function makeCsv(bytes: number): Uint8Array {
  const colours = ['red', 'green', 'blue', 'cyan', 'magenta'];
  const parts: string[] = ['a,b,c,d,e,f,g,h,colour,label\n'];
  let size = parts[0]!.length;
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (let r = 0; size < bytes; r++) {
    const cells: string[] = [];
    for (let c = 0; c < 8; c++) cells.push(rand() < 0.001 ? '' : (rand() * 1000 - 500).toFixed(3));
    cells.push(colours[r % 5]!, `k${r % 3}`);
    const line = `${cells.join(',')}\n`;
    size += line.length;
    if (size < bytes) parts.push(line);
  }
  return new TextEncoder().encode(parts.join(''));
}

const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const bytes = makeCsv(target);
gc();
const base = used();
let peak = 0;
const sample = () => void (peak = Math.max(peak, used() - base));
/** The longest stretch without a yield: how long a ping would wait (the page's watchdog allows 8 s). */
let lastYield = performance.now();
let longestStretch = 0;
const yieldNow = async () => {
  const now = performance.now();
  longestStretch = Math.max(longestStretch, now - lastYield);
  sample();
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  lastYield = performance.now();
};

const t0 = performance.now();
lastYield = t0;
const table = await parseCsvBytes(bytes, { yieldNow });
sample();
gc();
const tableBytes = used() - base;
const t1 = performance.now();
const { dataset } = await csvDatasetAsync(
  table,
  { name: 'big.csv', features: [], label: 'label', task: 'class', scaling: 'standardize' },
  { validationSplit: 0.2, seed: 1 },
  yieldNow,
);
sample();
const t2 = performance.now();
gc();
const kept = used() - base;
const x = dataset.data.x!;
const numericBytes = dataset.length * 8 * 4;
const mb = (n: number) => `${(n / MiB).toFixed(1)} MiB`;
console.log(
  `file ${mb(bytes.byteLength)}, ${dataset.length.toLocaleString('en')} rows kept, x ${mb(x.byteLength)}; numeric data (8 columns as f32) ${mb(numericBytes)}`,
);
console.log(
  `parse ${((t1 - t0) / 1000).toFixed(1)} s, dataset ${((t2 - t1) / 1000).toFixed(1)} s; longest stretch between yields ${longestStretch.toFixed(0)} ms`,
);
console.log(`peak ${mb(peak)} (${(peak / numericBytes).toFixed(1)}x numeric data), table kept ${mb(tableBytes)}, table + dataset kept ${mb(kept)}`);
console.log(`BENCH csv_upload_peak_bytes=${peak} csv_upload_kept_bytes=${kept} csv_upload_longest_stretch_ms=${Math.round(longestStretch)}`);
