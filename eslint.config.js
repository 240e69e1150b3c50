// @ts-check
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { appLayers } from './scripts/eslintAppLayers.mjs';

// Packages only the page may use: the engine runs in Node and in the worker too.
const UI_PACKAGES = ['react', 'react-dom', '@xyflow/react', 'zustand', 'recharts', 'comlink'];

export default defineConfig(
  {
    ignores: [
      'dist/**',
      'dist-*/**', // browser tests and benches build here side by side (E2E_OUT)
      'node_modules/**',
      'public/**',
      'test-results/**',
      'playwright-report/**',
      'coverage/**',
      'bench/out/**',
      'engine/backends/wasm/assembly/**', // AssemblyScript (asc checks it)
    ],
  },
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.node, ...globals.worker },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    // The engine knows nothing of the UI or the worker (DESIGN.md: dependencies point one way).
    files: ['engine/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: UI_PACKAGES.map((name) => ({ name, message: 'engine/ must not depend on UI or worker packages.' })),
          patterns: [
            { group: UI_PACKAGES.map((name) => `${name}/*`), message: 'engine/ must not depend on UI or worker packages.' },
            { group: ['**/app', '**/app/**', '**/workers', '**/workers/**'], message: 'engine/ must not import app/ or workers/.' },
          ],
        },
      ],
      // navigator stays allowed: the WebGPU backend reaches the adapter through navigator.gpu.
      'no-restricted-globals': [
        'error',
        { name: 'window', message: 'engine/ has no DOM: it also runs in Node and in the worker.' },
        { name: 'document', message: 'engine/ has no DOM: it also runs in Node and in the worker.' },
        { name: 'localStorage', message: 'engine/ has no DOM: it also runs in Node and in the worker.' },
      ],
    },
  },
  {
    // The worker owns tensors and talks to the page by messages; it renders nothing.
    files: ['workers/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: UI_PACKAGES.filter((name) => name !== 'comlink').map((name) => ({
            name,
            message: 'workers/ must not depend on UI packages.',
          })),
          // app/storage is the one exception: the browser's database, shared by page and worker (it imports nothing of app/).
          patterns: [{ regex: '(^|/)app(/(?!storage(/|$))|$)', message: 'workers/ must not import app/ (but for app/storage).' }],
        },
      ],
    },
  },
  {
    // app/ folders in layers: each imports only from the folders below it (no cycles between features).
    files: ['app/**/*.ts', 'app/**/*.tsx'],
    plugins: { wiregrad: { rules: { 'app-layers': appLayers } } },
    rules: { 'wiregrad/app-layers': 'error' },
  },
  {
    // The page computes nothing itself: only engine/graph (pure validation, shapes) at runtime; types from anywhere.
    files: ['app/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/engine/*', '!**/engine/graph', '!**/engine/graph/**'],
              allowTypeImports: true,
              message: 'app/ may import only engine/graph at runtime; everything else goes through the worker API (import type is fine).',
            },
          ],
        },
      ],
    },
  },
  {
    // The browser's database is used by the worker too: it depends on nothing of the page (nor on UI packages).
    files: ['app/storage/**'],
    ignores: ['app/storage/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: UI_PACKAGES.map((name) => ({ name, message: 'app/storage/ is shared with the worker: no UI packages.' })),
          patterns: [
            { group: ['../*', '!../storage', '!../storage/*'], message: 'app/storage/ is shared with the worker: it imports nothing else of app/.' },
            { group: ['**/engine/*', '**/workers/*'], allowTypeImports: true, message: 'app/storage/ imports only types from engine/ and workers/.' },
          ],
        },
      ],
    },
  },
  {
    // The page's tests may also use the engine's test helpers (documents from shorthand); they never ship.
    files: ['app/**/*.test.ts', 'app/**/*.test.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/engine/*', '!**/engine/graph', '!**/engine/graph/**', '!**/engine/testing', '!**/engine/testing/**'],
              allowTypeImports: true,
              message: 'app/ tests may import engine/graph and engine/testing at runtime; everything else goes through the worker API.',
            },
          ],
        },
      ],
    },
  },
);
