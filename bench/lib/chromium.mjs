// Headless Chromium with WebGPU for the browser benchmarks (scripts/bench.mjs, scripts/bench-app.mjs):
// the same browser and flags as the browser tests (playwright.config.ts, scripts/chromium.mjs).
import { chromium } from '@playwright/test';
import { findOrInstallChromium } from '../../scripts/chromium.mjs';

/** The flags playwright.config.ts launches with: WebGPU (SwiftShader without a GPU), no network services. */
export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Launch the Chromium the browser tests use; resolves with the browser and where it came from. */
export async function launchChromium(extraArgs = []) {
  const found = await findOrInstallChromium();
  const executablePath = found.source === 'playwright' ? undefined : found.path;
  const browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS, ...extraArgs] });
  return { browser, path: found.path };
}

/** `--name value` / `--name=value` arguments as [name, value] pairs (values are checked by the page). */
export function optionPairs(argv) {
  const pairs = [];
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`unexpected argument "${argv[i]}" (options are --name value)`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${m[1]} needs a value`);
    pairs.push([m[1], value]);
  }
  return pairs;
}
