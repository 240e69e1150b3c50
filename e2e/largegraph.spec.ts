import { expect, test, type Page } from '@playwright/test';
// The editor benchmark's generated chain: an Input, Dense and ReLU alternating on a 20-wide grid, an MSE loss.
import { bigGraph } from '../bench/app/bigGraph.mjs';

// A 300-node graph: React Flow mounts only the nodes in view (Canvas: RENDER_VISIBLE_ONLY_FROM).
test.use({ viewport: { width: 1600, height: 900 } });

const NODES = 300;
async function openChain(page: Page) {
  await page.goto('/');
  const buffer = Buffer.from(JSON.stringify(bigGraph(NODES)));
  await page.getByLabel('Open graph file').setInputFiles({ name: 'chain.wiregrad.json', mimeType: 'application/json', buffer });
  await expect(page.getByRole('region', { name: 'Graph summary' })).toContainText(`${NODES} nodes`);
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
}

const focusedNodeId = (page: Page) => page.evaluate(() => document.activeElement?.closest('.react-flow__node')?.getAttribute('data-id') ?? null);

const viewZoom = (page: Page) => page.locator('.react-flow__viewport').evaluate((el) => new DOMMatrix(getComputedStyle(el).transform).a);

/** The graph's start is on screen: its Input node "x" (top left of the chain), whole and inside the canvas. */
async function expectStartInView(page: Page) {
  const input = page.locator('.react-flow__node[data-id="x"]');
  await expect(input).toBeVisible();
  const pane = (await page.locator('.react-flow').boundingBox())!;
  const box = (await input.boundingBox())!;
  expect(box.x).toBeGreaterThan(pane.x);
  expect(box.y).toBeGreaterThan(pane.y);
  expect(box.x + box.width).toBeLessThan(pane.x + pane.width);
}

test('a 300-node graph opens at a readable zoom at its start, with only the nodes in view mounted, and again after a reload', async ({ page }) => {
  await openChain(page);
  const mounted = await page.locator('.react-flow__node').count();
  expect(mounted).toBeGreaterThan(0);
  expect(mounted).toBeLessThan(NODES);
  // 75%: the nodes' 12 px text is 9 px on screen (app/canvas/useFitRequests.ts LARGE_OPEN_ZOOM).
  expect(await viewZoom(page)).toBeCloseTo(0.75, 6);
  await expectStartInView(page);
  // The minimap mounts in idle time after the graph is shown, with every node (sized before it is measured).
  await expect(page.locator('.react-flow__minimap-node')).toHaveCount(NODES);

  // Restored from the autosave, it is framed the same way.
  await expect(page.getByText('Saved in this browser')).toBeVisible();
  await page.reload();
  await expect(page.getByRole('region', { name: 'Graph summary' })).toContainText(`${NODES} nodes`);
  await expect.poll(() => viewZoom(page)).toBeCloseTo(0.75, 6);
  await expectStartInView(page);
});

/**
 * How far (screen px) the drawn chain edges between mounted nodes end from their handles: the largest
 * gap at either end, and how many edges were checked. Nodes out of view start from estimated sizes and
 * handles (app/canvas/nodeGeometry.ts); every node on screen must end up where its edges meet it.
 */
const edgeGaps = (page: Page) =>
  page.evaluate(() => {
    const gaps: number[] = [];
    const handle = (node: string, port: string) => document.querySelector(`.react-flow__node[data-id="${node}"] .react-flow__handle[data-handleid="${port}"]`);
    for (const edge of document.querySelectorAll<SVGGElement>('.react-flow__edge')) {
      // The chain's edge e<i> goes from n<i-1> (x for i = 1), port y, to n<i>, port x (bench/app/bigGraph.mjs).
      const i = /^e(\d+)$/.exec(edge.getAttribute('data-id') ?? '')?.[1];
      const path = edge.querySelector<SVGPathElement>('path.react-flow__edge-path');
      if (i === undefined || !path) continue;
      const from = handle(i === '1' ? 'x' : `n${Number(i) - 1}`, 'y');
      const to = handle(`n${i}`, 'x');
      if (!from || !to) continue;
      const ctm = path.getScreenCTM()!;
      const at = (length: number) => {
        const p = path.getPointAtLength(length);
        return new DOMPoint(p.x, p.y).matrixTransform(ctm);
      };
      const gap = (p: DOMPoint, h: Element, side: 'left' | 'right') => {
        const r = h.getBoundingClientRect();
        return Math.hypot((side === 'right' ? r.right : r.left) - p.x, r.top + r.height / 2 - p.y);
      };
      gaps.push(Math.max(gap(at(0), from, 'right'), gap(at(path.getTotalLength()), to, 'left')));
    }
    return { checked: gaps.length, worst: Math.max(0, ...gaps) };
  });

test('the edges between the nodes in view meet their handles, after opening and after moving through the graph', async ({ page }) => {
  await openChain(page);
  // The view settles (the nodes that came into view are measured).
  await page.waitForTimeout(500);
  const opened = await edgeGaps(page);
  expect(opened.checked).toBeGreaterThan(10);
  expect(opened.worst).toBeLessThan(1.5);
  const first = page.locator('.react-flow__node').first();
  await first.focus();
  for (let k = 0; k < 40; k++) await page.keyboard.press('Tab');
  await page.waitForTimeout(500);
  const moved = await edgeGaps(page);
  expect(moved.checked).toBeGreaterThan(10);
  expect(moved.worst).toBeLessThan(1.5);
});

test('Tab moves through the nodes of a large graph in document order, onto nodes that were off screen', async ({ page }) => {
  await openChain(page);
  // The chain's first Dense (the view opens at the chain's start: x, n1, n2, …).
  await page.locator('.react-flow__node[data-id="n1"]').focus();
  const start = await focusedNodeId(page);
  expect(start).toBe('n1');
  const index = Number(start!.slice(1));
  const steps = 30;
  const last = `n${index + steps}`;
  // The node Tab ends on is not mounted yet: it is off screen.
  await expect(page.locator(`.react-flow__node[data-id="${last}"]`)).toHaveCount(0);
  for (let k = 1; k <= steps; k++) {
    await page.keyboard.press('Tab');
    const id = `n${index + k}`;
    await expect.poll(() => focusedNodeId(page)).toBe(id);
    await expect(page.locator(`.react-flow__node[data-id="${id}"]`)).toBeInViewport();
  }
  // And back: Shift+Tab goes to the previous node of the document.
  await page.keyboard.press('Shift+Tab');
  await expect.poll(() => focusedNodeId(page)).toBe(`n${index + steps - 1}`);
});

test('a 300-node graph in the light and dark themes (screenshots)', async ({ page }, testInfo) => {
  await openChain(page);
  await page.waitForTimeout(500);
  await page.screenshot({ path: testInfo.outputPath('largegraph-300-light.png') });
  await page.getByRole('button', { name: 'Toggle dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.waitForTimeout(300);
  await page.screenshot({ path: testInfo.outputPath('largegraph-300-dark.png') });
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
});

test('Fit view on a large graph draws the nodes as plain cards, edges still on their handles; zooming in brings the details back', async ({
  page,
}, testInfo) => {
  await openChain(page);
  const canvas = page.locator('.react-flow');
  const title = page.locator('.react-flow__node[data-id="n1"] .gnode-title');
  await expect(title).toBeVisible();
  await expect(canvas).not.toHaveClass(/zoomed-out/);
  await page.getByRole('button', { name: 'Fit view', exact: true }).click();
  await expect.poll(() => viewZoom(page)).toBeLessThan(0.35);
  await expect(canvas).toHaveClass(/zoomed-out/);
  // A node keeps its name and place, its text is not drawn.
  await expect(page.getByRole('group', { name: 'x', exact: true })).toBeVisible();
  await expect(title).toBeHidden();
  await page.waitForTimeout(500);
  const far = await edgeGaps(page);
  expect(far.checked).toBeGreaterThan(100);
  expect(far.worst).toBeLessThan(1.5);
  await page.screenshot({ path: testInfo.outputPath('largegraph-fit-light.png') });
  await page.getByRole('button', { name: 'Toggle dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.waitForTimeout(300);
  await page.screenshot({ path: testInfo.outputPath('largegraph-fit-dark.png') });
  // The theme's change re-renders the canvas: the cards stay.
  await expect(canvas).toHaveClass(/zoomed-out/);
  await expect(title).toBeHidden();
  // Zooming in with the keyboard-reachable zoom control: past the threshold the details return.
  const zoomIn = page.getByRole('button', { name: 'Zoom In' });
  while ((await viewZoom(page)) < 0.4) await zoomIn.click();
  await expect(canvas).not.toHaveClass(/zoomed-out/);
  await expect(page.locator('.react-flow__node .gnode-title').first()).toBeVisible();
});
