#!/usr/bin/env node
// Build-time data: converts the `mnist` package's 10,000 digits (JSON, ~21 MB) into the compact
// binary engine/data/mnist.ts decodes (~7.8 MB: a 12-byte header, uint8 labels, uint8 pixels).
// Run by vite.config.ts at dev-server and build start; by hand: node scripts/build-data.mjs [outDir].
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCorpus } from './build-corpus.mjs';

const require = createRequire(import.meta.url);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SIZE = 28;

/** The package's JSON files, digit by digit: { data: number[] } with 784 ink values in 0..1 per image. */
function digitFiles() {
  const pkg = dirname(require.resolve('mnist/package.json'));
  return Array.from({ length: 10 }, (_v, d) => join(pkg, 'src', 'digits', `${d}.json`));
}

/** Encode the digits: header "WGMN", uint32 count, uint16 rows, uint16 cols; labels; pixels = round(255·ink). */
export function encodeMnist() {
  const parts = digitFiles().map((file) => JSON.parse(readFileSync(file, 'utf8')).data);
  const count = parts.reduce((n, data) => n + data.length / (SIZE * SIZE), 0);
  const out = new Uint8Array(12 + count + count * SIZE * SIZE);
  out.set([0x57, 0x47, 0x4d, 0x4e]);
  const view = new DataView(out.buffer);
  view.setUint32(4, count, true);
  view.setUint16(8, SIZE, true);
  view.setUint16(10, SIZE, true);
  let sample = 0;
  let pixel = 12 + count;
  parts.forEach((data, digit) => {
    if (data.length % (SIZE * SIZE)) throw new Error(`mnist digit ${digit}: ${data.length} values is not a whole number of 28×28 images`);
    for (let i = 0; i < data.length / (SIZE * SIZE); i++) out[12 + sample++] = digit;
    for (const v of data) {
      if (!(v >= 0 && v <= 1)) throw new Error(`mnist digit ${digit}: pixel value ${v} is outside 0..1`);
      out[pixel++] = Math.round(v * 255);
    }
  });
  return out;
}

/** Write `mnist.bin` (and corpus.txt) into outDir unless it is newer than the package's data; returns its path. */
export function buildData(outDir = join(ROOT, 'public', 'data'), { force = false } = {}) {
  const target = join(outDir, 'mnist.bin');
  const newest = Math.max(...digitFiles().map((f) => statSync(f).mtimeMs), statSync(fileURLToPath(import.meta.url)).mtimeMs);
  let fresh = false;
  try {
    fresh = statSync(target).mtimeMs >= newest;
  } catch {
    fresh = false;
  }
  buildCorpus(outDir, { force }); // the built-in text corpus (scripts/build-corpus.mjs)
  if (fresh && !force) return target;
  mkdirSync(outDir, { recursive: true });
  // Write then rename, so a concurrent reader never sees half a file.
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, encodeMnist());
  renameSync(tmp, target);
  return target;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const path = buildData(process.argv[2] ? resolve(process.argv[2]) : undefined, { force: true });
  console.log(`[build-data] wrote ${path} (${statSync(path).size} bytes)`);
}
