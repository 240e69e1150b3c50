#!/usr/bin/env node
// `npm run bench`: Wiregrad (WebGPU, CPU) against TensorFlow.js (WebGPU, WASM, CPU) in headless
// Chromium, everything in one dedicated Worker on one adapter: MLP and CNN ms/step, matmul GFLOPS.
// Builds bench/browser with Vite, serves it on $BENCH_PORT (4183), drives it with Playwright, prints
// the page's report (tables, ratios, a last `BENCH <json>` line). Progress goes to stderr.
//
//   npm run bench -- [--steps auto|N] [--budget ms] [--models mlp,cnn] [--impls …] [--matmul …] [--help]
//   Options may also come from the environment: BENCH_STEPS=10 npm run bench.
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';
import { launchChromium, optionPairs } from '../bench/lib/chromium.mjs';

const OPTIONS = [
  'models',
  'impls',
  'matmul',
  'matmul-impls',
  'steps',
  'budget',
  'max-step',
  'max-row',
  'matmul-budget',
  'rounds',
  'warmup',
  'seed',
  'cpu-max-matmul',
];
const PORT = Number(process.env.BENCH_PORT ?? 4183);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 1200) * 1000;
const configFile = fileURLToPath(new URL('../bench/vite.config.ts', import.meta.url));

if (process.argv.includes('--help')) {
  console.log(
    `npm run bench -- [--${OPTIONS.join(' …] [--')} …]\nsee bench/lib/options.ts; env BENCH_<NAME> works too; BENCH_PORT (4183), BENCH_TIMEOUT_S (1200)`,
  );
  process.exit(0);
}
const query = new URLSearchParams();
for (const name of OPTIONS) {
  const fromEnv = process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`];
  if (fromEnv !== undefined) query.set(name, fromEnv);
}
try {
  for (const [name, value] of optionPairs(process.argv.slice(2))) {
    if (!OPTIONS.includes(name)) throw new Error(`unknown option --${name}; options: ${OPTIONS.join(', ')}`);
    query.set(name, value);
  }
} catch (e) {
  console.error(e.message);
  process.exit(2);
}

const log = (line) => console.error(`[bench] ${line}`);
log('building bench/browser …');
await build({ configFile, logLevel: 'error' });
const server = await preview({ configFile, preview: { port: PORT, strictPort: true } });
const { browser, path } = await launchChromium();
log(`chromium: ${path}; page: http://127.0.0.1:${PORT}/?${query}`);

let status = 0;
try {
  const page = await browser.newPage();
  page.on('console', (msg) => {
    const text = msg.text();
    if (text.startsWith('[bench]')) console.error(text);
  });
  page.on('pageerror', (e) => log(`page error: ${e.message}`));
  await page.goto(`http://127.0.0.1:${PORT}/?${query}`);
  await page.waitForFunction(() => window.benchReport !== undefined || window.benchError !== undefined, undefined, { timeout: TIMEOUT_MS, polling: 1000 });
  const { report, error } = await page.evaluate(() => ({ report: window.benchReport, error: window.benchError }));
  if (error) {
    console.error(`benchmark failed: ${error}`);
    status = 1;
  } else {
    console.log(`browser: ${path}`);
    console.log(report);
  }
} catch (e) {
  console.error(`benchmark failed: ${e instanceof Error ? e.message : String(e)}`);
  status = 1;
} finally {
  await browser.close();
  await server.close();
}
process.exit(status);
