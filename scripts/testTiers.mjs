/**
 * The test tiers (vitest.config.ts): `unit`, fast and without GPU work (under 2 minutes on 2 cores);
 * `slow`, the proofs that take seconds each on the CPU (models trained to an accuracy, the document
 * fuzzer's 10,000 inputs, the CLI run as a child process, the AssemblyScript build check); `gpu`,
 * every test file that creates a WebGPU device (Dawn on SwiftShader in Node); `reference`, the files
 * that run another framework in Python (PyTorch training the exported code, ONNX's checker), whose
 * processes take minutes of CPU. A file is in the GPU tier when its name says so (`*.gpu.test.ts`) or
 * it imports what makes a device: the Dawn test helpers (engine/backends/webgpu/testing) or the
 * `webgpu` package; in the reference tier when it imports scripts/python-torch.mjs or
 * scripts/python-onnx.mjs (and is not a GPU test); in the slow tier when its name says so
 * (`*.slow.test.ts`, or `*.learning.test.ts` for a learning proof) or it imports scripts/build-wasm.mjs,
 * which runs the AssemblyScript compiler (and is in neither of the others). scripts/testTiers.test.ts
 * checks that every test file on disk is run by exactly one tier.
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
/** What finds (or installs) Python with PyTorch or onnx, to run them. */
const PYTHON_FRAMEWORKS = ['scripts/python-torch', 'scripts/python-onnx'];

/** What builds the WASM kernels with the AssemblyScript compiler. */
const WASM_BUILD = 'scripts/build-wasm';

/** @param {string} text @returns {string[]} the module specifiers of the file's import statements */
function importsOf(text) {
  // Import statements only (at the start of a line), not text that mentions one.
  return [...text.matchAll(/^\s*(?:import|export)\b[^;'"]*?(?:from\s*)?['"]([^'"]+)['"]/gm)].map((m) => m[1]);
}

/** @param {string} path @param {string} spec @returns {string} `spec` relative to the repository, without extension */
const resolved = (path, spec) => posix.join(posix.dirname(path), spec).replace(/\.(ts|mjs|js)$/, '');

/** Whether the test file at `path` (relative, '/'), with source `text`, belongs to the GPU tier. */
/** @param {string} path @param {string} text @returns {boolean} */
export function isGpuTest(path, text) {
  if (/\.gpu\.test\.[a-z]+$/.test(path)) return true;
  return importsOf(text).some((spec) => spec === 'webgpu' || (spec.startsWith('.') && resolved(path, spec) === DAWN_HELPERS));
}

/** @param {string} path @param {string} text @returns {boolean} whether it runs PyTorch or onnx in Python (and is no GPU test) */
export function isReferenceTest(path, text) {
  if (isGpuTest(path, text)) return false;
  return importsOf(text).some((spec) => spec.startsWith('.') && PYTHON_FRAMEWORKS.includes(resolved(path, spec)));
}

/** @param {string} path @param {string} text @returns {boolean} whether it is a slow CPU proof (and neither a GPU nor a reference test) */
export function isSlowTest(path, text) {
  if (isGpuTest(path, text) || isReferenceTest(path, text)) return false;
  if (/\.(slow|learning)\.test\.[a-z]+$/.test(path)) return true;
  return importsOf(text).some((spec) => spec.startsWith('.') && resolved(path, spec) === WASM_BUILD);
}

/** @typedef {{ unit: string[]; slow: string[]; gpu: string[]; reference: string[] }} Tiers */

/** The test files of each tier under `root`. */
/** @param {string} root @returns {Tiers} */
export function testTiers(root) {
  /** @type {Tiers} */
  const tiers = { unit: [], slow: [], gpu: [], reference: [] };
  for (const file of testFilesOnDisk(root)) {
    const text = readFileSync(join(root, file), 'utf8');
    tiers[isGpuTest(file, text) ? 'gpu' : isReferenceTest(file, text) ? 'reference' : isSlowTest(file, text) ? 'slow' : 'unit'].push(file);
  }
  return tiers;
}
