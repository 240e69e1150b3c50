/**
 * Vite config of the benchmark page (bench/browser), used by scripts/bench.mjs: a production build
 * served with cross-origin isolation, so tfjs-wasm may use threads as it would on a site that allows them.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  root: fileURLToPath(new URL('./browser', import.meta.url)),
  base: './',
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: fileURLToPath(new URL('./out/browser', import.meta.url)), emptyOutDir: true, chunkSizeWarningLimit: 8000 },
  server: { host: '127.0.0.1', headers: isolation },
  preview: { host: '127.0.0.1', headers: isolation },
  logLevel: 'warn',
});
