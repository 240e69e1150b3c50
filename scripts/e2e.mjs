#!/usr/bin/env node
// `npm run test:e2e`: find (or install) a Chromium, then run the Playwright specs with it.
// Arguments pass through to `playwright test`.
import { spawnSync } from 'node:child_process';
import { findOrInstallChromium, withChromiumLibraries } from './chromium.mjs';

let browser;
try {
  browser = await findOrInstallChromium();
} catch (error) {
  console.error(`[e2e] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

const env = withChromiumLibraries();
if (browser.source === 'playwright') {
  // playwright.config.ts falls back to Playwright's own browser when CHROMIUM_PATH is unset.
  delete env.CHROMIUM_PATH;
  console.log(`[e2e] browser: Playwright's chromium (${browser.path})`);
} else {
  env.CHROMIUM_PATH = browser.path;
  console.log(`[e2e] browser: ${browser.path} (from ${browser.source})`);
}

const result = spawnSync('npx', ['playwright', 'test', ...process.argv.slice(2)], { stdio: 'inherit', env });
if (result.error) console.error(`[e2e] could not start playwright: ${result.error.message}`);
process.exit(result.status ?? 1);
