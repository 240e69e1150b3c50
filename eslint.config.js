// @ts-check
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

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
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
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
          patterns: [{ group: ['**/app', '**/app/**'], message: 'workers/ must not import app/.' }],
        },
      ],
    },
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
