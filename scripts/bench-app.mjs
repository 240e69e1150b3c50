#!/usr/bin/env node
// `npm run bench:app`: the studio itself in headless Chromium, as a person uses it. Builds the app
// (dist-bench) and serves it on $BENCH_PORT (4183), and the benchmark page on the next port, then:
//   1. opens a template from the Templates menu, presses Train, and counts steps for a window: the
//      app's steps/s (the panel's step counter), and the main thread's long tasks meanwhile; pauses;
//   2. trains the same document on the same backend in a plain worker without the UI: the engine's
//      steps/s (the same job: training split, batches, drains, and validation each epoch);
//   1 and 2 alternate for --rounds (3) windows each, --seconds (30) in all per side, so that the
//      machine's drifting load falls on both alike; the ratio is of the totals;
//   3. for each of --sizes (300, 1000, 5000) nodes, a generated graph (bench/app/editing.mjs): opened
//      through the Open file input (time until the settled view is first painted), a node dragged with the mouse
//      (requestAnimationFrame deltas meanwhile, p95), one setting typed into the inspector (Enter →
//      the toolbar's "Saved in this browser"), the toolbar's Fit view (time until settled) and a pan of
//      the canvas there (frame deltas, p95), and the longest main-thread task during each;
//   4. a hot edit while training: on the LeNet template, fc2's units typed into the inspector (84 → 96,
//      then back to 84) — time from Enter to the first step drained after the recompile (the panel's
//      "graph changed" marker and its step counter); the first edit meets new shapes (cold pipeline
//      cache), the second only shapes compiled before (warm). Beside them, one LeNet step's time on
//      this device: an edit waits for the step in flight and then for the first new one.
// Prints a table and a last line `BENCH <json>`. Progress goes to stderr.
//
//   npm run bench:app -- [--template mlp-mnist|two-spirals|…] [--seconds 30] [--rounds 3] [--sizes 300,1000,5000]
//                        [--parts training,editing,hot] (a subset, while iterating; the BENCH line then lacks the rest)
//                        [--reuse-build] (serve the app already in dist-bench instead of building it again)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, preview } from 'vite';
import { measureEditing } from '../bench/app/editing.mjs';
import { launchChromium } from '../bench/lib/chromium.mjs';

const { values: args } = parseArgs({
  options: {
    template: { type: 'string', default: process.env.BENCH_TEMPLATE ?? 'mlp-mnist' },
    seconds: { type: 'string', default: process.env.BENCH_SECONDS ?? '30' },
    sizes: { type: 'string', default: process.env.BENCH_SIZES ?? '300,1000,5000' },
    parts: { type: 'string', default: 'training,editing,hot' },
    'reuse-build': { type: 'boolean', default: false },
    rounds: { type: 'string', default: process.env.BENCH_ROUNDS ?? '3' },
  },
});
const ROUNDS = Number(args.rounds);
const SECONDS = Number(args.seconds);
const SIZES = args.sizes.split(',').map(Number);
const PARTS = new Set(args.parts.split(','));
if (!(SECONDS > 0) || !SIZES.every((n) => Number.isInteger(n) && n >= 3) || !Number.isInteger(ROUNDS) || ROUNDS < 1) {
  console.error('--seconds must be > 0, --sizes integers ≥ 3 and --rounds an integer ≥ 1');
  process.exit(2);
}
if (![...PARTS].every((p) => ['training', 'editing', 'hot'].includes(p))) {
  console.error('--parts is a comma-separated subset of training, editing, hot');
  process.exit(2);
}
/** Menu names of the templates (engine/graph/templates), by id. */
const TEMPLATE_NAMES = {
  'mlp-mnist': 'Keras-style MLP classifier (MNIST)',
  'two-spirals': 'Two spirals classifier',
  lenet: 'LeNet-style CNN',
  'two-layer-net': '2-layer ReLU net (L2, random data)',
};
const templateName = TEMPLATE_NAMES[args.template];
if (!templateName) {
  console.error(`--template must be one of ${Object.keys(TEMPLATE_NAMES).join(', ')}`);
  process.exit(2);
}

const APP_PORT = Number(process.env.BENCH_PORT ?? 4183);
const ENGINE_PORT = APP_PORT + 1;
const root = fileURLToPath(new URL('..', import.meta.url));
// $BENCH_OUT: another build folder, so that two runs at once do not overwrite each other's build.
const appOut = join(root, process.env.BENCH_OUT ?? 'dist-bench');
const benchConfig = join(root, 'bench/vite.config.ts');
const log = (line) => console.error(`[bench:app] ${line}`);

log(args['reuse-build'] ? `serving the app in ${appOut} …` : `building the app into ${appOut} and the benchmark page …`);
if (!args['reuse-build'] || !existsSync(join(appOut, 'index.html'))) {
  await build({ root, configFile: join(root, 'vite.config.ts'), build: { outDir: appOut, emptyOutDir: true }, logLevel: 'error' });
}
// The benchmark page only runs the engine alone, beside the training part.
if (PARTS.has('training')) await build({ configFile: benchConfig, logLevel: 'error' });
const appServer = await preview({
  root,
  configFile: join(root, 'vite.config.ts'),
  build: { outDir: appOut },
  preview: { port: APP_PORT, strictPort: true, cors: true },
});
const engineServer = PARTS.has('training') ? await preview({ configFile: benchConfig, preview: { port: ENGINE_PORT, strictPort: true } }) : undefined;
const { browser, path } = await launchChromium();
const APP = `http://127.0.0.1:${APP_PORT}/`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** 1: the app with the template open, ready to train; `trainFor(seconds)` trains through the UI for that long, then pauses. */
async function openApp() {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  page.on('pageerror', (e) => log(`page error: ${e.message}`));
  await page.addInitScript(() => {
    window.benchLongTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.benchLongTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(APP);
  await page.getByRole('button', { name: /Templates/ }).click();
  await page.getByRole('menuitem', { name: templateName }).click();
  const panel = page.getByRole('complementary', { name: 'Training' });
  // Enough epochs that training outlasts the measurement.
  const epochs = panel.getByLabel('Epochs');
  await epochs.fill('10000');
  await epochs.press('Enter');
  const step = async () => Number(await panel.getByLabel('step', { exact: true }).textContent());
  const tasks = [];
  const totals = { steps: 0, seconds: 0 };
  let shownRate = '';
  /** Train (or resume) until the steps flow, count steps for `seconds`, pause. */
  async function trainFor(seconds) {
    const from = await step();
    await panel.getByRole('button', { name: /^(Train|Resume)$/ }).click();
    // The first window compiles and uploads; later ones only resume: start counting once steps flow.
    const warm = from === 0 ? 10 : from + 3;
    const tStart = Date.now();
    while ((await step()) < warm) {
      const alert = panel.getByRole('alert');
      if (await alert.count()) throw new Error(`training did not start: ${await alert.first().textContent()}`);
      if (Date.now() - tStart > 180_000) throw new Error(`training did not reach step ${warm} in 180 s (step ${await step()})`);
      await sleep(250);
    }
    const t0 = await page.evaluate(() => performance.now());
    const s0 = await step();
    for (let waited = 0; waited < seconds; waited += 5) {
      await sleep(Math.min(5, seconds - waited) * 1000);
      log(`  app step ${await step()}`);
    }
    const s1 = await step();
    const t1 = await page.evaluate(() => performance.now());
    shownRate = (
      (await panel
        .getByText(/steps\/s/)
        .first()
        .textContent()
        .catch(() => '')) ?? ''
    ).trim();
    tasks.push(...(await page.evaluate(([a, b]) => window.benchLongTasks.filter((t) => t.start >= a && t.start <= b), [t0, t1])));
    await panel.getByRole('button', { name: 'Pause' }).click();
    await panel.getByRole('button', { name: 'Resume' }).waitFor();
    totals.steps += s1 - s0;
    totals.seconds += (t1 - t0) / 1000;
    return (s1 - s0) / ((t1 - t0) / 1000);
  }
  async function summary() {
    const backend =
      (await panel
        .getByLabel('Backend')
        .textContent()
        .catch(() => '')) ?? '';
    await page.close();
    return {
      stepsPerSecond: totals.steps / totals.seconds,
      steps: totals.steps,
      shownRate,
      backend: backend.trim(),
      longestTaskMs: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
      tasksOver50: tasks.filter((t) => t.duration > 50).length,
    };
  }
  return { trainFor, summary };
}

/** 2: the same document and backend in a plain worker, no UI (bench/browser/engine-steps.ts). */
async function engineAlone(seconds) {
  const page = await browser.newPage();
  page.on('console', (msg) => msg.text().startsWith('[bench]') && console.error(msg.text()));
  const query = new URLSearchParams({ mode: 'engine', template: args.template, seconds: String(seconds), data: APP });
  await page.goto(`http://127.0.0.1:${ENGINE_PORT}/?${query}`);
  await page.waitForFunction(() => window.benchReport !== undefined || window.benchError !== undefined, undefined, {
    timeout: (seconds + 240) * 1000,
    polling: 1000,
  });
  const { report, error } = await page.evaluate(() => ({ report: window.benchReport, error: window.benchError }));
  await page.close();
  if (error) throw new Error(error);
  return JSON.parse(report);
}

/** 4: hot edits on LeNet while it trains; ms from Enter until a step after the change is drained. */
async function hotEdits() {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  page.on('pageerror', (e) => log(`page error: ${e.message}`));
  await page.goto(APP);
  await page.getByRole('button', { name: /Templates/ }).click();
  await page.getByRole('menuitem', { name: TEMPLATE_NAMES.lenet }).click();
  const panel = page.getByRole('complementary', { name: 'Training' });
  const steps = panel.getByLabel('Steps', { exact: true });
  await steps.fill('1000000');
  await steps.press('Enter');
  const step = async () => Number(await panel.getByLabel('step', { exact: true }).textContent());
  await panel.getByRole('button', { name: 'Train', exact: true }).click();
  const t0 = Date.now();
  while ((await step()) < 3) {
    if (Date.now() - t0 > 240_000) throw new Error('LeNet did not start training in 240 s');
    await sleep(200);
  }
  // One LeNet step on this device, for scale: a hot edit waits for the step in flight, then runs one.
  const s0 = await step();
  const w0 = Date.now();
  await sleep(4000);
  const stepMs = (Date.now() - w0) / Math.max(1, (await step()) - s0);
  await page.locator('.react-flow__node[data-id="fc2"] .gnode-title').click();
  const units = page.getByLabel('units', { exact: true });
  const markers = panel.getByRole('list', { name: 'Changes during this run' }).getByRole('listitem');
  const edit = async (value) => {
    const seen = await markers.count();
    await units.fill(String(value));
    const start = await page.evaluate(() => performance.now());
    await units.press('Enter');
    // The marker names the step the change applies at; the next drained step is past it.
    await markers.nth(seen).waitFor({ timeout: 240_000 });
    const at = Number(((await markers.nth(seen).locator('.run-step').textContent()) ?? '').replace('step ', ''));
    await page.waitForFunction((n) => Number(document.querySelector('[aria-label="step"]')?.textContent) > n, at, { timeout: 240_000, polling: 'raf' });
    const ms = (await page.evaluate(() => performance.now())) - start;
    log(`  hot edit units → ${value}: ${ms.toFixed(0)} ms (${(await markers.nth(seen).textContent())?.trim()})`);
    return ms;
  };
  const cold = await edit(96);
  const warm = await edit(84);
  await page.close();
  return { cold, warm, stepMs };
}

let status = 0;
try {
  log(`chromium: ${path}`);
  const f = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '—');
  const rows = [['measure', 'value', 'how']];
  const bench = {};
  const r = (v) => (Number.isFinite(v) ? Number(v.toPrecision(4)) : null);
  if (PARTS.has('training')) {
    const session = await openApp();
    const perWindow = SECONDS / ROUNDS;
    const engineRuns = [];
    const ratios = [];
    for (let round = 1; round <= ROUNDS; round++) {
      log(`round ${round}/${ROUNDS}: the app for ${perWindow} s`);
      const appRate = await session.trainFor(perWindow);
      log(`round ${round}/${ROUNDS}: the engine alone for ${perWindow} s`);
      const run = await engineAlone(perWindow);
      engineRuns.push(run);
      ratios.push(appRate / run.stepsPerSecond);
      log(
        `round ${round}: app ${appRate.toFixed(2)} steps/s, engine ${run.stepsPerSecond.toFixed(2)} steps/s (${run.validations} validations), ratio ${(appRate / run.stepsPerSecond).toFixed(2)}`,
      );
    }
    const app = await session.summary();
    const sum = (xs, g) => xs.reduce((a, x) => a + g(x), 0);
    const engine = {
      steps: sum(engineRuns, (x) => x.steps),
      seconds: sum(engineRuns, (x) => x.seconds),
      validations: sum(engineRuns, (x) => x.validations),
      device: engineRuns[0].device,
      firstLoss: engineRuns[0].firstLoss,
      lastLoss: engineRuns.at(-1).lastLoss,
    };
    engine.stepsPerSecond = engine.steps / engine.seconds;
    log(`app: ${app.stepsPerSecond.toFixed(2)} steps/s; engine alone: ${engine.stepsPerSecond.toFixed(2)} steps/s`);
    console.log(`app backend: ${app.backend || 'unknown'}; engine backend: ${engine.device}`);
    rows.push(
      [
        'app steps/s',
        f(app.stepsPerSecond, 2),
        `${templateName}: ${app.steps} steps in ${ROUNDS} windows, ${SECONDS} s in all, by the step counter (panel shows "${app.shownRate}")`,
      ],
      [
        'engine steps/s',
        f(engine.stepsPerSecond, 2),
        `same document and job, Program on WebGPU in a plain worker: ${engine.steps} steps and ${engine.validations} validation passes in ${f(engine.seconds)} s, loss ${f(engine.firstLoss, 3)} → ${f(engine.lastLoss, 3)}`,
      ],
      [
        'app / engine',
        f(app.stepsPerSecond / engine.stepsPerSecond, 2),
        `the studio's share of the engine's speed (worker, messages, UI); per round ${ratios.map((x) => x.toFixed(2)).join(', ')}`,
      ],
      ['longest main-thread task', `${f(app.longestTaskMs, 0)} ms`, 'while training (PerformanceObserver longtask)'],
      ['tasks over 50 ms', String(app.tasksOver50), `in the ${SECONDS} s of training`],
    );
    Object.assign(bench, {
      app_steps_per_s: r(app.stepsPerSecond),
      engine_steps_per_s: r(engine.stepsPerSecond),
      longest_task_ms: r(app.longestTaskMs),
      tasks_over_50ms: app.tasksOver50,
    });
  }
  if (PARTS.has('editing')) {
    for (const n of SIZES) {
      log(`editing a generated ${n}-node graph …`);
      const g = await measureEditing(browser, APP, n, { log });
      rows.push(
        [
          `open ${n} nodes`,
          `${f(g.openMs, 0)} ms`,
          `Open file → the settled view first painted: the graph counted, every mounted node measured (${g.mounted} mounted; longest task ${f(g.openLongestMs, 0)} ms)`,
        ],
        [
          `open ${n} nodes, from the input`,
          `${f(g.openFromInputMs, 0)} ms`,
          `The same open from the file input's change event (when a person's file dialog closes), without the automation's hand-over of the file`,
        ],
        [
          `drag frame p95, ${n} nodes`,
          `${f(g.dragP95Ms)} ms`,
          `rAF deltas over ${g.frames.length} frames while dragging a node ${g.moved.toFixed(0)} px (median ${f(g.dragMedianMs)} ms; longest task ${f(g.dragLongestMs, 0)} ms)`,
        ],
        [
          `Fit view, ${n} nodes`,
          `${f(g.fitMs, 0)} ms`,
          `Toolbar's Fit view → the settled view first painted, at ${f(100 * g.fitZoom, 0)}% with ${g.fitMounted} nodes mounted (longest task ${f(g.fitLongestMs, 0)} ms)`,
        ],
        [
          `pan frame p95 at Fit view, ${n} nodes`,
          `${f(g.panP95Ms)} ms`,
          `rAF deltas while dragging the canvas's background with the whole graph in view (longest task ${f(g.panLongestMs, 0)} ms)`,
        ],
        [
          `edit → saved, ${n} nodes`,
          `${f(g.autosaveMs, 0)} ms`,
          `Dense units typed into the inspector: Enter → "Saved in this browser" (incl. the 300 ms autosave quiet period; longest task ${f(g.editLongestMs, 0)} ms)`,
        ],
      );
      Object.assign(bench, {
        [`open_ms_${n}`]: r(g.openMs),
        [`open_from_input_ms_${n}`]: r(g.openFromInputMs),
        [`drag_p95_ms_${n}`]: r(g.dragP95Ms),
        [`autosave_ms_${n}`]: r(g.autosaveMs),
        [`open_longest_task_ms_${n}`]: r(g.openLongestMs),
        [`drag_longest_task_ms_${n}`]: r(g.dragLongestMs),
        [`edit_longest_task_ms_${n}`]: r(g.editLongestMs),
        [`fit_ms_${n}`]: r(g.fitMs),
        [`fit_mounted_${n}`]: g.fitMounted,
        [`pan_fitted_p95_ms_${n}`]: r(g.panP95Ms),
        [`fit_longest_task_ms_${n}`]: r(g.fitLongestMs),
      });
      // The keys earlier runs reported, from the first size (300 by default).
      if (n === SIZES[0]) Object.assign(bench, { render_300_ms: r(g.openMs), drag_frame_p95_ms: r(g.dragP95Ms) });
    }
  }
  if (PARTS.has('hot')) {
    log('hot edits on LeNet while it trains …');
    const hot = await hotEdits();
    rows.push(
      [
        'hot edit, cold cache',
        `${f(hot.cold, 0)} ms`,
        'LeNet training; fc2 units 84 → 96 typed: Enter → the first step after the recompile drained and on screen',
      ],
      ['hot edit, warm cache', `${f(hot.warm, 0)} ms`, 'then back to 84: every pipeline already compiled on this device'],
      [
        'LeNet step on this device',
        `${f(hot.stepMs, 0)} ms`,
        'training before the edits (4 s window); an edit waits for the step in flight, then the first new step runs',
      ],
    );
    Object.assign(bench, { hot_edit_ms: r(hot.warm), hot_edit_cold_ms: r(hot.cold), hot_edit_device_step_ms: r(hot.stepMs) });
  }
  const widths = rows[0].map((_c, i) => Math.max(...rows.map((row) => row[i].length)));
  const line = (row) => row.map((c, i) => (i === 2 ? c : i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`browser: ${path}`);
  console.log([line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n'));
  console.log(`BENCH ${JSON.stringify(bench)}`);
} catch (e) {
  console.error(`bench:app failed: ${e instanceof Error ? e.message : String(e)}`);
  status = 1;
} finally {
  await browser.close();
  await appServer.close();
  await engineServer?.close();
}
process.exit(status);
