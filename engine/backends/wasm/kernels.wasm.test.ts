/** The committed kernels binaries are the ones their AssemblyScript source builds to (`npm run build:wasm`). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildWasm, moduleSource, type WasmVariant } from '../../../scripts/build-wasm.mjs';

describe('kernels.wasm.ts and kernels.shared.wasm.ts', () => {
  it.each<[WasmVariant, string]>([
    ['single', './kernels.wasm.ts'],
    ['shared', './kernels.shared.wasm.ts'],
  ])('%s: %s matches a fresh build of engine/backends/wasm/assembly', async (variant, file) => {
    const committed = readFileSync(new URL(file, import.meta.url), 'utf8');
    const fresh = moduleSource(await buildWasm(variant), variant);
    expect(fresh.length).toBeGreaterThan(1000);
    expect(committed === fresh, `${file} is stale: run npm run build:wasm`).toBe(true);
  });
});
