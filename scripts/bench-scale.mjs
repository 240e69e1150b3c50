#!/usr/bin/env node
// `npm run bench:scale`: how a training step's cost grows with MLP width (256 → 4096), batch (32 → 1024)
// and CNN depth (2 → 8 conv layers), Wiregrad (WebGPU; CPU for the small cells) against TensorFlow.js
// (WebGPU, WASM), in headless Chromium, one Worker, one adapter — the bench page with `?suite=scale`.
// Prints the tables, the peak device memory of a step against its live tensors, and a last
// `BENCH <json>` line; writes the plot to bench/out/scale/scale.svg (and the report beside it).
//
//   npm run bench:scale -- [--quick 1] [--impls …] [--cell-budget ms] [--max-step ms] … [--help]
//   Options may also come from the environment: BENCH_QUICK=1 npm run bench:scale.
import { mkdirSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';
import { launchChromium, optionPairs } from '../bench/lib/chromium.mjs';

// The same names as bench/scale/options.ts's SCALE_OPTION_NAMES (its test compares them).
const OPTIONS = ['quick', 'impls', 'cell-budget', 'max-step', 'max-cell', 'total-budget', 'cpu-max-mflop', 'loss-tolerance', 'seed'];
const PORT = Number(process.env.BENCH_SCALE_PORT ?? 4186);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 900) * 1000;
const configFile = fileURLToPath(new URL('../bench/vite.config.ts', import.meta.url));
// Its own build folder, so that `npm run bench` may build at the same time.
const outDir = fileURLToPath(new URL('../bench/out/scale-browser', import.meta.url));
const reportDir = fileURLToPath(new URL('../bench/out/scale', import.meta.url));

if (process.argv.includes('--help')) {
  console.log(`npm run bench:scale -- [--${OPTIONS.join(' …] [--')} …]
see bench/scale/options.ts (--quick 1: width 256,1024,4096 · batch 32,256,1024 · depth 2,4,8);
env BENCH_<NAME> works too; BENCH_SCALE_PORT (4186), BENCH_TIMEOUT_S (900)`);
  process.exit(0);
}
const query = new URLSearchParams({ suite: 'scale' });
for (const name of OPTIONS) {
  const fromEnv = process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`];
  if (fromEnv !== undefined) query.set(name, fromEnv);
}
try {
  const argv = process.argv.slice(2).flatMap((a) => (a === '--quick' ? ['--quick', '1'] : [a]));
  for (const [name, value] of optionPairs(argv)) {
    if (!OPTIONS.includes(name)) throw new Error(`unknown option --${name}; options: ${OPTIONS.join(', ')}`);
    query.set(name, value);
  }
} catch (e) {
  console.error(e.message);
  process.exit(2);
}

const log = (line) => console.error(`[bench:scale] ${line}`);
log('building bench/browser …');
await build({ configFile, logLevel: 'error', build: { outDir } });
const server = await preview({ configFile, build: { outDir }, preview: { port: PORT, strictPort: true } });
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
    const { report: text, svg } = JSON.parse(report);
    mkdirSync(reportDir, { recursive: true });
    const svgPath = `${reportDir}/scale.svg`;
    writeFileSync(svgPath, svg);
    writeFileSync(`${reportDir}/scale.txt`, `${text}\n`);
    const lines = text.split('\n');
    const benchLine = lines.pop();
    console.log(`browser: ${path}`);
    console.log(lines.join('\n'));
    console.log(`plot: ${svgPath} (report: ${reportDir}/scale.txt)`);
    console.log(benchLine);
  }
} catch (e) {
  console.error(`benchmark failed: ${e instanceof Error ? e.message : String(e)}`);
  status = 1;
} finally {
  await browser.close();
  await server.close();
}
process.exit(status);
