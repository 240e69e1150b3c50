// Editing a large graph in the studio, as a person does (scripts/bench-app.mjs): open a generated
// graph through the Open file input, drag a node, type one setting into the inspector, then fit the
// whole graph into view and pan it. Measures, per graph size: the time until every node is painted,
// the requestAnimationFrame deltas while dragging (p95), the time from the edit's Enter to the
// toolbar's "Saved in this browser", the Fit view's settle time and the pan's frame deltas there, and
// the longest main-thread task (PerformanceObserver longtask) during each.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bigGraph } from './bigGraph.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The p-th percentile (nearest rank) of `xs`; NaN when empty. */
export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] : NaN;
}

const SAVED = 'Saved in this browser';

/** Records long tasks from the page's start (an init script), read back with `longTasks(page, from, to)`. */
async function observeLongTasks(page) {
  await page.addInitScript(() => {
    window.benchLongTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.benchLongTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** The longest task that started in [from, to] (page clock), 0 when none. */
async function longestTask(page, from, to) {
  // A task is reported once it ends: give the observer a moment.
  await sleep(100);
  return page.evaluate(([a, b]) => window.benchLongTasks.filter((t) => t.start >= a && t.start <= b).reduce((m, t) => Math.max(m, t.duration), 0), [from, to]);
}

const now = (page) => page.evaluate(() => performance.now());

/** Resolves (page clock) once the toolbar's save state reads "Saved in this browser" after having left it. */
function armSaveWatch(page) {
  return page.evaluate((saved) => {
    window.benchSaved = new Promise((resolve) => {
      const el = document.querySelector('.save-state');
      if (!el) throw new Error('the toolbar has no .save-state');
      let left = el.textContent !== saved;
      const check = () => {
        if (el.textContent !== saved) left = true;
        else if (left) {
          observer.disconnect();
          resolve(performance.now());
        }
      };
      const observer = new MutationObserver(check);
      observer.observe(el, { childList: true, characterData: true, subtree: true });
    });
  }, SAVED);
}

/** Waits until no autosave is pending (after an open or a drop): the toolbar no longer says "Saving…". */
async function settleSave(page, timeoutMs) {
  await page.waitForFunction(() => document.querySelector('.save-state')?.textContent !== 'Saving…', undefined, { timeout: timeoutMs, polling: 100 });
}

/**
 * Arms `window.benchRender`: resolves once the view has settled after what the caller does next.
 * Done is when the status bar counts the graph (`nodes`) and every node React Flow mounted is
 * measured and shown (it hides a node until it knows its size; with onlyRenderVisibleElements only
 * the nodes in view are mounted) and the view is still: the same viewport transform and node count
 * for 5 frames (the editor fits a new graph after it mounts, then mounts what came into view). The
 * figure ends at the frame that first showed the settled view (the frame after the tick that saw it:
 * rAF callbacks run before that frame's layout and paint), not at the fifth frame that confirmed it.
 * `fromInput`: also time from the file input's change event, as after a person's file dialog closes
 * (what comes before it is the automation's hand-over, tens of ms, not the studio's work). `moves`:
 * the view must first change (a button's click is handled a moment after this is armed).
 */
function armSettled(page, nodes, { fromInput = false, moves = false } = {}) {
  return page.evaluate(
    ([n, withInput, mustMove]) => {
      window.benchRender = new Promise((resolve) => {
        const t0 = performance.now();
        const viewport = () => document.querySelector('.react-flow__viewport')?.style.transform;
        // `moves`: the view must first leave the one it had (a click is handled a moment after it is armed).
        const from = mustMove ? viewport() : undefined;
        let moved = !mustMove;
        let input = 0;
        if (withInput) document.addEventListener('change', () => (input = performance.now()), { capture: true, once: true });
        const count = `${n.toLocaleString('en-US')} nodes`;
        let last = '';
        let still = 0;
        let settledAt = 0;
        const tick = (now) => {
          const bar = document.querySelector('[aria-label="Graph summary"]')?.textContent ?? '';
          const els = document.querySelectorAll('.react-flow__node');
          const shown = els.length > 0 && [...els].every((el) => el.style.visibility !== 'hidden');
          if (!moved && viewport() !== from) moved = true;
          const state = `${viewport()} ${els.length} ${bar.includes(count) && shown && moved}`;
          if (state !== last) settledAt = 0;
          else if (settledAt === 0) settledAt = now;
          still = state === last ? still + 1 : 0;
          last = state;
          if (bar.includes(count) && shown && moved && still >= 5)
            resolve({ t0, ms: settledAt - t0, fromInputMs: input > 0 ? settledAt - input : Number.NaN, mounted: els.length });
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
    },
    [nodes, fromInput, moves],
  );
}

/** Starts recording requestAnimationFrame deltas (`window.benchFrames`); returns the page clock. */
function startFrames(page) {
  return page.evaluate(() => {
    window.benchFrames = [];
    window.benchFramesOn = true;
    let last = performance.now();
    const frame = (t) => {
      window.benchFrames.push(t - last);
      last = t;
      if (window.benchFramesOn) requestAnimationFrame(frame);
    };
    requestAnimationFrame((t) => {
      last = t;
      requestAnimationFrame(frame);
    });
    return performance.now();
  });
}

/** Stops recording and returns the deltas. */
function stopFrames(page) {
  return page.evaluate(() => {
    window.benchFramesOn = false;
    return window.benchFrames;
  });
}

/** Moves the pressed mouse from (x, y) by (dx, dy) in 90 steps about a frame apart. */
async function sweep(page, x, y, dx, dy) {
  await page.mouse.move(x, y);
  await page.mouse.down();
  const MOVES = 90;
  for (let i = 1; i <= MOVES; i++) {
    await page.mouse.move(x + (dx * i) / MOVES, y + (dy * i) / MOVES);
    await sleep(16);
  }
}

/**
 * One size: opens a `nodes`-node graph in a new page of `browser` at `appUrl`; returns
 * `{ nodes, openMs, openFromInputMs, openLongestMs, dragP95Ms, dragMedianMs, frames, moved, dragLongestMs, autosaveMs, editLongestMs,
 * fitMs, fitMounted, fitZoom, fitLongestMs, panP95Ms, panLongestMs }`.
 * `options.beforeEdit(page)` / `options.onPage(page)` are hooks for the profiler (bench/app/profile.mjs).
 */
export async function measureEditing(browser, appUrl, nodes, { log = () => {}, timeoutMs = 240_000, onPage, around } = {}) {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  page.on('dialog', (d) => void d.accept());
  page.on('pageerror', (e) => log(`page error: ${e.message}`));
  await observeLongTasks(page);
  await onPage?.(page);
  const phase = async (name, run) => (around ? around(page, name, run) : run());
  try {
    await page.goto(appUrl);
    await page.locator('.react-flow__node').first().waitFor();
    await settleSave(page, timeoutMs);
    const dir = mkdtempSync(join(tmpdir(), 'wiregrad-bench-'));
    const file = join(dir, `generated-${nodes}.wiregrad.json`);
    writeFileSync(file, JSON.stringify(bigGraph(nodes)));

    // 1. Open: start the clock in the page, then hand the file to the Open input as a person choosing it would.
    const open = await phase('open', async () => {
      await armSettled(page, nodes, { fromInput: true });
      await page.getByLabel('Open graph file').setInputFiles(file);
      const r = await page.evaluate(() => window.benchRender);
      return { ...r, longest: await longestTask(page, r.t0, r.t0 + r.ms) };
    });
    log(
      `  ${nodes} nodes: open ${open.ms.toFixed(0)} ms (${open.fromInputMs.toFixed(0)} ms from the input's change event), ${open.mounted} nodes mounted (longest task ${open.longest.toFixed(0)} ms)`,
    );
    await settleSave(page, timeoutMs);
    await sleep(300);

    // 2. Drag a node fully inside the canvas, away from the panels.
    const drag = await phase('drag', async () => {
      const pane = await page.locator('.react-flow').boundingBox();
      // Only a node the mouse reaches where it grabs it: not under the canvas's tool bar or the minimap.
      const boxes = await page.locator('.react-flow__node').evaluateAll((els) =>
        els.slice(0, 80).map((el) => {
          const r = el.getBoundingClientRect();
          const grab = document.elementFromPoint(r.x + r.width / 2, r.y + Math.min(12, r.height / 2));
          return { id: el.getAttribute('data-id'), x: r.x, y: r.y, width: r.width, height: r.height, reachable: grab?.closest('.react-flow__node') === el };
        }),
      );
      const inside = boxes.find(
        (b) =>
          b.reachable && b.x > pane.x + 20 && b.y > pane.y + 20 && b.x + b.width + 220 < pane.x + pane.width && b.y + b.height + 120 < pane.y + pane.height,
      );
      if (!inside) throw new Error('no node lies fully inside the canvas to drag');
      const node = page.locator(`.react-flow__node[data-id="${inside.id}"]`);
      const before = await node.boundingBox();
      const t0 = await startFrames(page);
      await sweep(page, before.x + before.width / 2, before.y + Math.min(12, before.height / 2), 200, 100);
      const frames = await stopFrames(page);
      const t1 = await now(page);
      await page.mouse.up();
      // A page that fell behind paints the move late: give it time before judging.
      let moved = 0;
      for (const t0 = Date.now(); Date.now() - t0 < timeoutMs; await sleep(250)) {
        const after = await node.boundingBox();
        moved = after ? Math.hypot(after.x - before.x, after.y - before.y) : 0;
        if (moved >= 50) break;
      }
      if (moved < 50) throw new Error(`the dragged node moved only ${moved.toFixed(0)} px`);
      return { frames, moved, longest: await longestTask(page, t0, t1) };
    });
    const dragP95Ms = percentile(drag.frames, 95);
    log(`  ${nodes} nodes: drag p95 ${dragP95Ms.toFixed(1)} ms over ${drag.frames.length} frames (longest task ${drag.longest.toFixed(0)} ms)`);
    // The drop is an edit too: let its save land before the measured one.
    await settleSave(page, timeoutMs);
    await sleep(300);

    // 3. One edit: a Dense layer's units typed into the inspector; Enter → "Saved in this browser".
    const edit = await phase('edit', async () => {
      // A Dense layer (the generated chain's odd nodes) in view.
      const pane = await page.locator('.react-flow').boundingBox();
      const id = await page.locator('.react-flow__node').evaluateAll(
        (els, p) =>
          els
            .filter((el) => /^n\d*[13579]$/.test(el.getAttribute('data-id') ?? ''))
            .find((el) => {
              const r = el.getBoundingClientRect();
              const t = el.querySelector('.gnode-title')?.getBoundingClientRect();
              // Its title is what gets clicked: not under the canvas's tool bar or the minimap.
              const reachable = t !== undefined && document.elementFromPoint(t.x + t.width / 2, t.y + t.height / 2)?.closest('.react-flow__node') === el;
              return reachable && r.x > p.x + 20 && r.y > p.y + 20 && r.right < p.x + p.width - 20 && r.bottom < p.y + p.height - 20;
            })
            ?.getAttribute('data-id'),
        pane,
      );
      if (!id) throw new Error('no Dense node lies inside the canvas to edit');
      const dense = page.locator(`.react-flow__node[data-id="${id}"]`);
      await dense.locator('.gnode-title').click();
      const units = page.getByLabel('units', { exact: true });
      await units.waitFor();
      await units.fill('24');
      await page.evaluate(() => {
        window.benchEnter = new Promise((resolve) => {
          window.addEventListener('keydown', (e) => e.key === 'Enter' && resolve(performance.now()), { capture: true, once: true });
        });
      });
      await armSaveWatch(page);
      await units.press('Enter');
      const t0 = await page.evaluate(() => window.benchEnter);
      const t1 = await page.evaluate(() => window.benchSaved);
      return { ms: t1 - t0, longest: await longestTask(page, t0, t1) };
    });
    log(`  ${nodes} nodes: edit → saved ${edit.ms.toFixed(0)} ms (longest task ${edit.longest.toFixed(0)} ms)`);
    await settleSave(page, timeoutMs);
    await sleep(300);

    // 4. The whole graph in view: the toolbar's Fit view (every node mounted), then a pan of the canvas there.
    const fit = await phase('fit', async () => {
      await armSettled(page, nodes, { moves: true });
      await page.getByRole('button', { name: 'Fit view', exact: true }).click();
      const r = await page.evaluate(() => window.benchRender);
      const fitLongest = await longestTask(page, r.t0, r.t0 + r.ms);
      const zoom = await page.evaluate(() => Number(/scale\(([\d.]+)\)/.exec(document.querySelector('.react-flow__viewport')?.style.transform ?? '')?.[1]));
      await sleep(300);
      // Grab the canvas's background: a point in the pane that no node, edge or panel covers.
      const pane = await page.locator('.react-flow').boundingBox();
      const grab = await page.evaluate((p) => {
        for (let y = p.y + p.height - 30; y > p.y + 60; y -= 10)
          for (let x = p.x + 30; x < p.x + p.width - 260; x += 10) if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y };
        return undefined;
      }, pane);
      if (!grab) throw new Error('no bare canvas to pan by');
      const t0 = await startFrames(page);
      await sweep(page, grab.x, grab.y, 200, -60);
      const frames = await stopFrames(page);
      const t1 = await now(page);
      await page.mouse.up();
      return { ms: r.ms, mounted: r.mounted, zoom, fitLongest, frames, panLongest: await longestTask(page, t0, t1) };
    });
    const panP95Ms = percentile(fit.frames, 95);
    log(
      `  ${nodes} nodes: Fit view ${fit.ms.toFixed(0)} ms at ${(100 * fit.zoom).toFixed(0)}%, ${fit.mounted} nodes mounted (longest task ${fit.fitLongest.toFixed(0)} ms); pan p95 ${panP95Ms.toFixed(1)} ms (longest task ${fit.panLongest.toFixed(0)} ms)`,
    );
    return {
      fitMs: fit.ms,
      fitMounted: fit.mounted,
      fitZoom: fit.zoom,
      fitLongestMs: fit.fitLongest,
      panP95Ms,
      panLongestMs: fit.panLongest,
      nodes,
      openMs: open.ms,
      openFromInputMs: open.fromInputMs,
      openLongestMs: open.longest,
      mounted: open.mounted,
      frames: drag.frames,
      dragP95Ms,
      dragMedianMs: percentile(drag.frames, 50),
      moved: drag.moved,
      dragLongestMs: drag.longest,
      autosaveMs: edit.ms,
      editLongestMs: edit.longest,
    };
  } finally {
    await page.close();
  }
}
