import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { buildData } from './scripts/build-data.mjs';
import { contentSecurityPlugin, ISOLATION_HEADERS, SECURITY_HEADERS } from './scripts/contentSecurity';

/**
 * Generates public/data/ (MNIST as a compact binary) before the dev server or a build starts: in the
 * config hook, because the dev server lists public/ once when it starts and would not serve a file
 * made later (a fresh clone's first `npm start` answered data/mnist.bin with index.html).
 */
function buildDataPlugin(): Plugin {
  return { name: 'wiregrad-build-data', config: () => void buildData() };
}

export default defineConfig({
  root: '.',
  plugins: [react(), buildDataPlugin(), contentSecurityPlugin()],
  worker: { format: 'es' },
  // The worker's imports too, so the dev server finds every dependency at start (one found later
  // makes Vite re-optimise and reload the page mid-session).
  optimizeDeps: { entries: ['index.html', 'workers/trainer.worker.ts'] },
  // Cross-origin isolated in dev too (the WASM backend's threads need it); the CSP is preview/build only.
  server: { host: '127.0.0.1', port: 5173, strictPort: false, headers: { ...ISOLATION_HEADERS } },
  preview: { host: '127.0.0.1', port: 4173, headers: { ...SECURITY_HEADERS } },
  build: { target: 'es2022', sourcemap: true },
});
