import { existsSync } from 'node:fs';
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

// Three tiers (scripts/testTiers.mjs): `unit` (npm run test:unit, fast, no GPU work), `gpu` (npm run
// test:gpu, every file that creates a WebGPU device) and `reference` (npm run test:reference, the files
// that run PyTorch or onnx in Python). scripts/testTiers.test.ts checks that each test file on disk is
// in exactly one.
const { gpu, reference } = testTiers(fileURLToPath(new URL('.', import.meta.url)));

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 120_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: [...TEST_GLOBS], exclude: [...configDefaults.exclude, ...gpu, ...reference] } },
      { extends: true, test: { name: 'gpu', include: gpu } },
      { extends: true, test: { name: 'reference', include: reference } },
    ],
  },
});
