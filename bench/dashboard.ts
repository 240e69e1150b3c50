/**
 * What watching costs: training steps/s in the app with the dashboard (Histograms tab, or BENCH_TAB, sampling
 * every parameter and gradient) and three probes open, against the same run with none, in
 * alternating rounds on one page; and the main thread's longest task while they update.
 * Run through `npm run bench:dashboard` (which builds and serves the app). Not a test.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { busyStretches, formatAllocations, formatStretches, heapAllocations, longTraceTasks, type CpuProfile, type HeapProfileNode } from './dashboardProfile';

const URL = process.env.BENCH_URL ?? 'http://127.0.0.1:4187';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 3000);
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 10_000);
// The classic 2-layer net: big enough (100k parameters) that sampling it costs something, and slow
// enough on a software GPU that the page stays responsive to the benchmark's own reads.
const TEMPLATE = process.env.BENCH_TEMPLATE ?? '2-layer ReLU net (L2, random data)';
/** The dashboard tab open while observed: Histograms (ridges) or Distributions (the page's chart, one per tensor). */
const TAB = process.env.BENCH_TAB ?? 'Histograms';
/** Nodes to open probes on (document ids of the template). */
const PROBED = (process.env.BENCH_PROBES ?? 'h,relu,pred').split(',');
/** A folder: record a CPU profile of the first observed round there and print its busy stretches over 40 ms. */
const PROFILE = process.env.BENCH_PROFILE;
/** Set (to anything): a sampling heap profile of the first observed round (collected objects included), printed as the functions that allocated most. */
const HEAP = process.env.BENCH_HEAP;
/** A folder: record a Chrome trace of the second observed round there and print its tasks over 50 ms. */
const TRACE = process.env.BENCH_TRACE;
/** With BENCH_TRACE: the traced round's longest main-thread task in thread time (0: none over 30 ms). */
let longestThreadMs = 0;

const panel = (page: Page) => page.getByRole('complementary', { name: 'Training' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function step(page: Page): Promise<number> {
  return Number(await panel(page).getByLabel('step', { exact: true }).textContent());
}

/** Steps/s over MEASURE_MS of training, after WARMUP_MS; training is paused again afterwards. */
async function measure(page: Page): Promise<number> {
  await panel(page)
    .getByRole('button', { name: /^(Train|Resume)$/ })
    .click();
  await sleep(WARMUP_MS);
  const [s0, t0] = [await step(page), performance.now()];
  await sleep(MEASURE_MS);
  const [s1, t1] = [await step(page), performance.now()];
  await panel(page).getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('button', { name: 'Resume' }).waitFor();
  return ((s1 - s0) * 1000) / (t1 - t0);
}

/**
 * Longest main-thread task: Long Tasks API entries, and the event-loop delay of a 4 ms interval (how
 * late it fires: any task, GC or frame that blocks the thread delays it, including those under 50 ms).
 * The interval allocates nothing per tick. (A MessageChannel ping loop re-armed by setTimeout(0),
 * used before, allocated a closure, a timer and a MessageEvent per turn: 25 of the 70 MB the page
 * allocated in an observed round, which brought on the very GC pauses it then reported, and it
 * kept a core busy that training needed.)
 */
const WATCH = `(() => {
  const w = window;
  w.__longest = 0;
  w.__longtask = 0;
  new PerformanceObserver((list) => { for (const e of list.getEntries()) if (w.__watching) w.__longtask = Math.max(w.__longtask, e.duration); }).observe({ type: 'longtask', buffered: false });
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    if (w.__watching) w.__longest = Math.max(w.__longest, now - last - 4);
    last = now;
  }, 4);
})();`;

async function setObserving(page: Page, on: boolean) {
  const dashboardOpen = (await page.getByRole('button', { name: 'Dashboard' }).getAttribute('aria-expanded')) === 'true';
  if (on) {
    await page.getByRole('region', { name: 'Dashboard' }).getByRole('tab', { name: TAB }).click();
    for (const id of PROBED) await page.locator(`.react-flow__node[data-id="${id}"] .gnode-title`).click();
    await page
      .getByRole('region', { name: /^Probe / })
      .nth(PROBED.length - 1)
      .waitFor();
  } else {
    const close = page.getByRole('button', { name: /^Close probe / });
    while (await close.count()) await close.first().click();
    if (dashboardOpen) await page.getByRole('button', { name: 'Dashboard' }).click();
  }
}

const unwatch = (page: Page) => page.evaluate(() => Object.assign(window, { __watching: false }));

/** Runs `run` under the CDP sampling profiler; writes the profile to `dir` and prints the long busy stretches. */
async function profiled<T>(page: Page, dir: string, run: () => Promise<T>): Promise<T> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
  try {
    return await run();
  } finally {
    await unwatch(page); // collecting the profile or trace stalls the page: not the app's doing
    const { profile } = await cdp.send('Profiler.stop');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'dashboard-observed.cpuprofile');
    writeFileSync(file, JSON.stringify(profile));
    console.log(`profile: ${file}\n${formatStretches(busyStretches(profile as CpuProfile, 40))}`);
  }
}

/** Runs `run` under Chrome tracing (the DevTools timeline); writes the trace to `dir` and prints the long tasks with what they did. */
async function traced<T>(page: Page, dir: string, run: () => Promise<T>): Promise<T> {
  const browser = page.context().browser()!;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'dashboard-observed.trace.json');
  await browser.startTracing(page, { path: file, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  try {
    return await run();
  } finally {
    await unwatch(page); // collecting the profile or trace stalls the page: not the app's doing
    const trace = JSON.parse((await browser.stopTracing()).toString());
    const long = longTraceTasks(trace, 30);
    longestThreadMs = Math.max(longestThreadMs, long[0]?.cpuMs ?? 0);
    console.log(`trace: ${file} (main-thread tasks over 30 ms of thread time)\n${formatStretches(long, 12)}`);
  }
}

/** Runs `run` under the sampling heap profiler (objects that GC collected included) and prints who allocated what. */
async function heapSampled<T>(page: Page, run: () => Promise<T>): Promise<T> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  try {
    return await run();
  } finally {
    await unwatch(page);
    const { profile } = await cdp.send('HeapProfiler.stopSampling');
    console.log(`heap (first observed round): ${formatAllocations(heapAllocations(profile.head as HeapProfileNode))}`);
  }
}

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || undefined,
    args: [
      '--enable-unsafe-webgpu',
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.addInitScript(WATCH);
  await page.goto(URL);
  await page.getByRole('button', { name: /Templates/ }).click();
  await page.getByRole('menuitem', { name: TEMPLATE }).click();
  // Long enough never to finish inside the benchmark.
  const steps = panel(page).getByLabel('Steps');
  await steps.fill('1000000');
  await steps.press('Enter');
  // First step compiles; then start paused at step > 0 so probes can open.
  await panel(page).getByRole('button', { name: 'Train' }).click();
  await page.waitForFunction(() => Number(document.querySelector('output[aria-label="step"]')?.textContent ?? 0) > 5, undefined, { timeout: 120_000 });
  await panel(page).getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('button', { name: 'Resume' }).waitFor();
  const backend = await panel(page).getByLabel('Backend').textContent();

  const plain: number[] = [];
  const observed: number[] = [];
  /** Largest event-loop delay (any blocking, including the renderer not being scheduled) and largest Long Tasks API entry. */
  let longest = 0;
  let longtask = 0;
  for (let r = 0; r < ROUNDS; r++) {
    await setObserving(page, false);
    plain.push(await measure(page));
    await setObserving(page, true);
    await page.evaluate(() => Object.assign(window, { __watching: true, __longest: 0, __longtask: 0 }));
    const run = () => measure(page);
    observed.push(
      r === 0 && HEAP
        ? await heapSampled(page, run)
        : r === 0 && PROFILE
          ? await profiled(page, PROFILE, run)
          : r === 1 && TRACE
            ? await traced(page, TRACE, run)
            : await run(),
    );
    const seen = await page.evaluate(() => {
      const w = window as unknown as { __longest: number; __longtask: number };
      return { __longest: w.__longest, __longtask: w.__longtask };
    });
    longest = Math.max(longest, seen.__longest);
    longtask = Math.max(longtask, seen.__longtask);
    await unwatch(page);
    console.log(`round ${r + 1}: plain ${plain[r]!.toFixed(1)} steps/s · observed ${observed[r]!.toFixed(1)} steps/s`);
  }
  await browser.close();

  const mean = (xs: number[]) => xs.reduce((a, v) => a + v, 0) / xs.length;
  const [p, o] = [mean(plain), mean(observed)];
  console.log(`template: ${TEMPLATE} · backend: ${backend}`);
  console.log(
    `steps/s  plain ${p.toFixed(1)}  ·  dashboard (histograms) + ${PROBED.length} probes ${o.toFixed(1)}  ·  ${(100 * (1 - o / p)).toFixed(1)}% slower (target ≤ 15%)`,
  );
  console.log(
    `main thread while observing: longest task (Long Tasks API) ${longtask ? `${longtask.toFixed(1)} ms` : 'none over 50 ms'} · longest event-loop delay (4 ms interval) ${longest.toFixed(1)} ms`,
  );
  console.log(
    `BENCH ${JSON.stringify({ tab: TAB, steps_per_s_plain: Number(p.toFixed(2)), steps_per_s_observed: Number(o.toFixed(2)), longest_task_ms: Number(Math.max(longest, longtask).toFixed(1)), ...(TRACE ? { longest_task_thread_ms: Number(longestThreadMs.toFixed(1)) } : {}) })}`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
