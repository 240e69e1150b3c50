/**
 * The two test tiers (vitest.config.ts): `unit`, fast and without GPU work, and `gpu`, every test file
 * that creates a WebGPU device (Dawn on SwiftShader in Node). A file is in the GPU tier when its name
 * says so (`*.gpu.test.ts`) or it imports what makes a device: the Dawn test helpers
 * (engine/backends/webgpu/testing) or the `webgpu` package. scripts/testTiers.test.ts checks that every
 * test file on disk is run by exactly one tier.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';

/** Where test files live, as Vitest include globs. */
export const TEST_GLOBS = [
  'engine/**/*.test.ts',
  'app/**/*.test.{ts,tsx}',
  'workers/**/*.test.ts',
  'cli/**/*.test.ts',
  'bench/**/*.test.ts',
  'scripts/**/*.test.ts',
];

/** Folders never searched for test files (dependencies, build output, browser specs). */
const SKIP = new Set(['node_modules', '.git', 'e2e', 'public', 'test-results', 'playwright-report', 'coverage']);

/** Every `*.test.*` source file under `root` (relative paths with '/'), sorted. */
/** @param {string} root @returns {string[]} */
export function testFilesOnDisk(root) {
  /** @type {string[]} */
  const out = [];
  /** @param {string} dir */
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIP.has(entry.name) && !entry.name.startsWith('dist')) walk(join(dir, entry.name));
      } else if (/\.test\.(ts|tsx|mts|js|mjs)$/.test(entry.name)) out.push(relative(root, join(dir, entry.name)).split(sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

/** The Dawn test helpers: a WebGpuBackend in Node. */
const DAWN_HELPERS = 'engine/backends/webgpu/testing';

/** Whether the test file at `path` (relative, '/'), with source `text`, belongs to the GPU tier. */
/** @param {string} path @param {string} text @returns {boolean} */
export function isGpuTest(path, text) {
  if (/\.gpu\.test\.[a-z]+$/.test(path)) return true;
  // Import statements only (at the start of a line), not text that mentions one.
  for (const m of text.matchAll(/^\s*(?:import|export)\b[^;'"]*?(?:from\s*)?['"]([^'"]+)['"]/gm)) {
    const spec = m[1];
    if (spec === 'webgpu') return true;
    if (spec.startsWith('.') && posix.join(posix.dirname(path), spec).replace(/\.ts$/, '') === DAWN_HELPERS) return true;
  }
  return false;
}

/** The test files of each tier under `root`. */
/** @param {string} root @returns {{ unit: string[]; gpu: string[] }} */
export function testTiers(root) {
  /** @type {string[]} */
  const unit = [];
  /** @type {string[]} */
  const gpu = [];
  for (const file of testFilesOnDisk(root)) (isGpuTest(file, readFileSync(join(root, file), 'utf8')) ? gpu : unit).push(file);
  return { unit, gpu };
}
