#!/usr/bin/env node
// `npm run bench:charts`: the longest main-thread task one redraw of a live training curve causes, in
// headless Chromium: the page's one chart (app/charts/Chart.tsx) as the training panel draws it while
// training (lines over a rounded frame) and paused, and as the dashboard draws a
// run while it trains ('svg', the key kept from its former hand-written SVG chart) and when done, all fed
// the same 3000-step history (bench/charts/). Prints median and max per chart, then `BENCH <json>`.
//   npm run bench:charts -- [--updates 9] [--points 3000]
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import react from '@vitejs/plugin-react';
import { build, preview } from 'vite';
import { launchChromium } from '../bench/lib/chromium.mjs';

const { values: args } = parseArgs({ options: { updates: { type: 'string', default: '9' }, points: { type: 'string', default: '3000' } } });
const root = fileURLToPath(new URL('../bench/charts/', import.meta.url));
const outDir = fileURLToPath(new URL('../dist-bench-charts/', import.meta.url));
await build({ root, plugins: [react()], build: { outDir, emptyOutDir: true }, logLevel: 'error' });
const server = await preview({ root, build: { outDir }, preview: { port: Number(process.env.BENCH_PORT ?? 4193), strictPort: true } });
const { browser } = await launchChromium();
const result = {};
try {
  const page = await browser.newPage();
  await page.goto(server.resolvedUrls.local[0]);
  for (const chart of ['recharts-live', 'recharts', 'svg', 'dashboard-static']) {
    const times = (await page.evaluate(([c, p, u]) => window.benchCharts(c, p, u), [chart, Number(args.points), Number(args.updates)])).sort((a, b) => a - b);
    result[chart] = { median_ms: Number(times[Math.floor(times.length / 2)].toFixed(1)), max_ms: Number(times.at(-1).toFixed(1)) };
    console.log(
      `${chart.padEnd(16)} longest task per redraw: median ${result[chart].median_ms} ms, max ${result[chart].max_ms} ms over ${times.length} updates of a ${args.points}-step history`,
    );
  }
  console.log(`BENCH ${JSON.stringify(result)}`);
} finally {
  await browser.close();
  await server.close();
}
