#!/usr/bin/env node
// Where the editor's time goes on a large graph: builds the app without minification, opens generated
// graphs (bench/app/editing.mjs) and records a CDP CPU profile (Profiler domain) of each phase —
// open, drag, edit → saved. Prints the functions with the most self time and the most total time
// per phase, and writes each .cpuprofile (open it in Chrome DevTools' Performance panel).
//
//   node bench/app/profile.mjs [--nodes 300,1000] [--port 4190] [--out /tmp/wiregrad-profiles] [--top 25]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, preview } from 'vite';
import { launchChromium } from '../lib/chromium.mjs';
import { measureEditing } from './editing.mjs';

const { values: args } = parseArgs({
  options: {
    nodes: { type: 'string', default: '300,1000' },
    port: { type: 'string', default: process.env.BENCH_PORT ?? '4190' },
    out: { type: 'string', default: '/tmp/wiregrad-profiles' },
    top: { type: 'string', default: '25' },
    'no-build': { type: 'boolean', default: false },
  },
});
const sizes = args.nodes.split(',').map(Number);
const TOP = Number(args.top);
const root = fileURLToPath(new URL('../..', import.meta.url));
const outDir = join(root, 'dist-profile');
const log = (line) => console.error(`[profile] ${line}`);

/** Self and total time per function (name + location) from a CPU profile. */
export function summarize(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = new Map();
  for (let i = 0; i < profile.samples.length; i++) dt.set(profile.samples[i], (dt.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}`;
  const self = new Map();
  const total = new Map();
  for (const [id, ms] of dt) {
    const n = byId.get(id);
    self.set(key(n), (self.get(key(n)) ?? 0) + ms);
    // Each function once per stack, however deep its recursion.
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const k = key(byId.get(cur));
      if (seen.has(k)) continue;
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + ms);
    }
  }
  const top = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, TOP);
  return { self: top(self), total: top(total) };
}

if (!args['no-build']) {
  log('building the app unminified into dist-profile …');
  await build({ root, configFile: join(root, 'vite.config.ts'), build: { outDir, emptyOutDir: true, minify: false }, logLevel: 'error' });
}
const server = await preview({ root, configFile: join(root, 'vite.config.ts'), build: { outDir }, preview: { port: Number(args.port), strictPort: true } });
const { browser } = await launchChromium();
mkdirSync(args.out, { recursive: true });
try {
  for (const n of sizes) {
    const around = async (page, name, run) => {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
      try {
        return await run();
      } finally {
        const { profile } = await cdp.send('Profiler.stop');
        const file = join(args.out, `${n}-${name}.cpuprofile`);
        writeFileSync(file, JSON.stringify(profile));
        const { self, total } = summarize(profile);
        const fmt = (rows) => rows.map(([k, ms]) => `    ${ms.toFixed(1).padStart(9)} ms  ${k}`).join('\n');
        console.log(`\n=== ${n} nodes, ${name} (${file})\n  self:\n${fmt(self)}\n  total:\n${fmt(total)}`);
        await cdp.detach();
      }
    };
    const r = await measureEditing(browser, `http://127.0.0.1:${args.port}/`, n, { log, around });
    console.log(
      `\n${n} nodes: open ${r.openMs.toFixed(0)} ms, drag p95 ${r.dragP95Ms.toFixed(1)} ms, edit → saved ${r.autosaveMs.toFixed(0)} ms; longest tasks ${r.openLongestMs.toFixed(0)} / ${r.dragLongestMs.toFixed(0)} / ${r.editLongestMs.toFixed(0)} ms`,
    );
  }
} finally {
  await browser.close();
  await server.close();
}
process.exit(0);
