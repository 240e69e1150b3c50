import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

// A system Chromium (Debian's runs WebGPU on its bundled SwiftShader) wins over Playwright's download,
// which cannot be fetched on machines without internet. scripts/e2e.mjs sets CHROMIUM_PATH.
const systemChromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const executablePath = existsSync(systemChromium) ? systemChromium : undefined;

// Test what the user runs: every spec runs against the dev server that `npm start` starts (React's
// development mode mounts every component twice, which a production build never shows); the
// production build (`vite build` + `vite preview`) runs the specs tagged @production as well. A spec
// about the build itself (its content security policy, which the dev server cannot have) is tagged
// @production-only and runs there alone.
// E2E_PORT and E2E_OUT let several checkouts (or sessions) run the browser tests side by side.
const DEV_PORT = Number(process.env.E2E_PORT ?? 4173);
const PROD_PORT = DEV_PORT + 1;
const OUT_DIR = process.env.E2E_OUT ?? 'dist';

const chromium = {
  ...devices['Desktop Chrome'],
  launchOptions: {
    executablePath,
    args: [
      '--enable-unsafe-webgpu',
      '--no-sandbox',
      // No internet here: without these Chromium keeps trying to reach its services.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  },
};

export default defineConfig({
  testDir: 'e2e',
  // E2E_RESULTS keeps side-by-side runs from clearing each other's traces.
  outputDir: process.env.E2E_RESULTS ?? 'test-results',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  timeout: 60_000,
  use: { trace: 'retain-on-failure' },
  projects: [
    { name: 'dev', grepInvert: /@production-only/, use: { ...chromium, baseURL: `http://127.0.0.1:${DEV_PORT}` } },
    { name: 'production', grep: /@production/, use: { ...chromium, baseURL: `http://127.0.0.1:${PROD_PORT}` } },
  ],
  webServer: [
    {
      // `npm start` itself, on a port of its own.
      command: `npm start -- --port ${DEV_PORT} --strictPort`,
      url: `http://127.0.0.1:${DEV_PORT}`,
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: `npx vite build --outDir ${OUT_DIR} && npx vite preview --outDir ${OUT_DIR} --host 127.0.0.1 --port ${PROD_PORT} --strictPort`,
      url: `http://127.0.0.1:${PROD_PORT}`,
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
