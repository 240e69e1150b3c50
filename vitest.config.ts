import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';
import { TEST_GLOBS, testTiers } from './scripts/testTiers.mjs';

// Node WebGPU tests (the `webgpu` package, Dawn) need a Vulkan driver. Chromium ships one,
// SwiftShader, next to the libvulkan.so.1 loader Dawn dlopens. Set this before workers fork
// (the dynamic loader reads LD_LIBRARY_PATH when a process starts, so a project's `env` is too late).
const CHROMIUM_LIB = '/usr/lib/chromium';
if (existsSync(CHROMIUM_LIB)) {
  const paths = (process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  if (!paths.includes(CHROMIUM_LIB)) process.env.LD_LIBRARY_PATH = [CHROMIUM_LIB, ...paths].join(':');
  process.env.VK_ICD_FILENAMES ??= `${CHROMIUM_LIB}/vk_swiftshader_icd.json`;
}
process.env.XDG_RUNTIME_DIR ??= '/tmp';

// Four tiers (scripts/testTiers.mjs): `unit` (npm run test:unit, fast, no GPU work), `slow` (npm run
// test:slow, learning proofs, the fuzzer, the CLI as a child process, the WASM build check: seconds each), `gpu` (npm
// run test:gpu, every file that creates a WebGPU device) and `reference` (npm run test:reference, the
// files that run PyTorch or onnx in Python). scripts/testTiers.test.ts checks that each test file on
// disk is in exactly one.
const { slow, gpu, reference } = testTiers(fileURLToPath(new URL('.', import.meta.url)));

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 120_000,
    pool: 'forks',
    projects: [
      // Both cores for the CPU tiers (Vitest's default, cores − 1, runs them one file at a time on 2 cores);
      // the GPU and reference tiers keep the default. Projects with other worker counts run as groups, in order.
      {
        extends: true,
        test: {
          name: 'unit',
          include: [...TEST_GLOBS],
          exclude: [...configDefaults.exclude, ...slow, ...gpu, ...reference],
          maxWorkers: availableParallelism(),
          sequence: { groupOrder: 0 },
        },
      },
      { extends: true, test: { name: 'slow', include: slow, maxWorkers: availableParallelism(), sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'gpu', include: gpu, sequence: { groupOrder: 1 } } },
      { extends: true, test: { name: 'reference', include: reference, sequence: { groupOrder: 1 } } },
    ],
  },
});
