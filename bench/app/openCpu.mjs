#!/usr/bin/env node
// The main thread's CPU time while the studio opens a generated graph, from a Chrome trace's thread
// times (RunTask tdur): unlike the wall-clock "open" of bench/app/editing.mjs it hardly moves when
// other work loads the machine, so builds can be compared on a shared one. Serves a build made by
// `npm run bench:app` (BENCH_OUT=<folder>) without building; one line per size:
//   CPU over the open (input → 3 s later, 12 s at ≥ 5000 nodes), the CPU of its longest task, and
//   that CPU by kind (script, style, layout, paint, GC).
//
//   node bench/app/openCpu.mjs --dist dist-bench [--sizes 300,1000,5000] [--port 4315]
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { preview } from 'vite';
import { launchChromium } from '../lib/chromium.mjs';
import { bigGraph } from './bigGraph.mjs';

const { values: args } = parseArgs({
  options: { dist: { type: 'string', default: 'dist-bench' }, sizes: { type: 'string', default: '300,1000,5000' }, port: { type: 'string', default: '4315' } },
});
const root = fileURLToPath(new URL('../..', import.meta.url));
const KINDS = { FunctionCall: 'script', UpdateLayoutTree: 'style', Layout: 'layout', PrePaint: 'prepaint', Paint: 'paint', MinorGC: 'gc', MajorGC: 'gc' };

/** Main-thread CPU (ms) in a trace: in all, in the longest task, and by kind. */
export function mainThreadCpu(events) {
  const complete = events.filter((e) => e.ph === 'X' && e.dur);
  const tasks = complete.filter((e) => e.name === 'RunTask');
  const wall = new Map();
  for (const e of tasks) wall.set(e.tid, (wall.get(e.tid) ?? 0) + e.dur);
  const main = [...wall].sort((a, b) => b[1] - a[1])[0]?.[0];
  const mine = tasks.filter((e) => e.tid === main);
  const kinds = {};
  for (const e of complete) if (e.tid === main && KINDS[e.name]) kinds[KINDS[e.name]] = (kinds[KINDS[e.name]] ?? 0) + (e.tdur ?? 0) / 1000;
  return { cpu: mine.reduce((s, e) => s + (e.tdur ?? 0), 0) / 1000, longest: Math.max(0, ...mine.map((e) => e.tdur ?? 0)) / 1000, kinds };
}

const port = Number(args.port);
const server = await preview({
  root,
  configFile: join(root, 'vite.config.ts'),
  build: { outDir: join(root, args.dist) },
  preview: { port, strictPort: true },
  logLevel: 'error',
});
const { browser } = await launchChromium();
const dir = mkdtempSync(join(tmpdir(), 'wiregrad-open-cpu-'));
try {
  for (const n of args.sizes.split(',').map(Number)) {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(`http://localhost:${port}/`);
    await page.locator('.react-flow__node').first().waitFor();
    await page.waitForTimeout(1500);
    const file = join(dir, `generated-${n}.wiregrad.json`);
    writeFileSync(file, JSON.stringify(bigGraph(n)));
    const trace = join(dir, `trace-${n}.json`);
    await browser.startTracing(page, { path: trace, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    await page.getByLabel('Open graph file').setInputFiles(file);
    await page.waitForTimeout(n >= 5000 ? 12_000 : 3_000);
    await browser.stopTracing();
    const parsed = JSON.parse(readFileSync(trace, 'utf8'));
    const { cpu, longest, kinds } = mainThreadCpu(parsed.traceEvents ?? parsed);
    const parts = Object.entries(kinds)
      .map(([k, ms]) => `${k} ${ms.toFixed(0)}`)
      .join(', ');
    console.log(`${args.dist} ${n} nodes: main-thread CPU ${cpu.toFixed(0)} ms, longest task ${longest.toFixed(0)} ms (${parts})`);
    await page.close();
  }
} finally {
  await browser.close();
  server.httpServer.close();
}
process.exit(0);
