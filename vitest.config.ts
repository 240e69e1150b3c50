import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Node WebGPU tests (the `webgpu` package, Dawn) need a Vulkan driver. Chromium ships one,
// SwiftShader, next to the libvulkan.so.1 loader Dawn dlopens. Set this before workers fork.
const CHROMIUM_LIB = '/usr/lib/chromium';
if (existsSync(CHROMIUM_LIB)) {
  const paths = (process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  if (!paths.includes(CHROMIUM_LIB)) process.env.LD_LIBRARY_PATH = [CHROMIUM_LIB, ...paths].join(':');
  process.env.VK_ICD_FILENAMES ??= `${CHROMIUM_LIB}/vk_swiftshader_icd.json`;
}
process.env.XDG_RUNTIME_DIR ??= '/tmp';

export default defineConfig({
  test: {
    include: [
      'engine/**/*.test.ts',
      'app/**/*.test.{ts,tsx}',
      'workers/**/*.test.ts',
      'cli/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    environment: 'node',
    testTimeout: 120_000,
    pool: 'forks',
  },
});
