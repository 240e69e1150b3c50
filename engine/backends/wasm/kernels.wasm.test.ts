/** The committed kernels binary is the one its AssemblyScript source builds to (`npm run build:wasm`). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildWasm, moduleSource } from '../../../scripts/build-wasm.mjs';

describe('kernels.wasm.ts', () => {
  it('matches a fresh build of engine/backends/wasm/assembly', async () => {
    const committed = readFileSync(new URL('./kernels.wasm.ts', import.meta.url), 'utf8');
    const fresh = moduleSource(await buildWasm());
    expect(fresh.length).toBeGreaterThan(1000);
    expect(committed === fresh, 'kernels.wasm.ts is stale: run npm run build:wasm').toBe(true);
  });
});
