import { expect, test, type Page } from '@playwright/test';

// A 300-node graph: React Flow mounts only the nodes in view (Canvas: RENDER_VISIBLE_ONLY_FROM).
test.use({ viewport: { width: 1600, height: 900 } });

const NODES = 300;
const COLUMNS = 20;

/** An Input, then Dense and ReLU alternating in a chain on a 20-wide grid, then an MSE loss (as bench/app/bigGraph.mjs). */
function chain(count: number) {
  const at = (i: number) => ({ x: (i % COLUMNS) * 260, y: Math.floor(i / COLUMNS) * 170 });
  const nodes: object[] = [{ id: 'x', type: 'Input', params: { field: 'x', shape: [16], dtype: 'f32' }, position: at(0) }];
  const edges: object[] = [];
  let prev = 'x';
  for (let i = 1; i < count - 2; i++) {
    const id = `n${i}`;
    nodes.push(i % 2 ? { id, type: 'Dense', params: { units: 16 }, position: at(i) } : { id, type: 'ReLU', params: {}, position: at(i) });
    edges.push({ id: `e${i}`, from: { node: prev, port: 'y' }, to: { node: id, port: 'x' } });
    prev = id;
  }
  nodes.push({ id: 'y', type: 'Input', params: { field: 'y', shape: [16], dtype: 'f32' }, position: at(count - 2) });
  nodes.push({ id: 'loss', type: 'MSELoss', params: {}, position: at(count - 1) });
  edges.push({ id: 'e-pred', from: { node: prev, port: 'y' }, to: { node: 'loss', port: 'pred' } });
  edges.push({ id: 'e-target', from: { node: 'y', port: 'y' }, to: { node: 'loss', port: 'target' } });
  return {
    format: 'wiregrad.graph',
    version: 1,
    nodes,
    edges,
    training: { dataset: { kind: 'random', inputShape: [16], targetShape: [16], size: 64 }, optimizer: { type: 'adam' }, lr: 0.001, batchSize: 32 },
    meta: { name: `Generated ${count}-node chain` },
  };
}

async function openChain(page: Page) {
  await page.goto('/');
  const buffer = Buffer.from(JSON.stringify(chain(NODES)));
  await page.getByLabel('Open graph file').setInputFiles({ name: 'chain.wiregrad.json', mimeType: 'application/json', buffer });
  await expect(page.getByRole('region', { name: 'Graph summary' })).toContainText(`${NODES} nodes`);
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
}

const focusedNodeId = (page: Page) => page.evaluate(() => document.activeElement?.closest('.react-flow__node')?.getAttribute('data-id') ?? null);

test('a 300-node graph opens at a readable zoom, with only the nodes in view mounted', async ({ page }) => {
  await openChain(page);
  const mounted = await page.locator('.react-flow__node').count();
  expect(mounted).toBeGreaterThan(0);
  expect(mounted).toBeLessThan(NODES);
  const zoom = await page.locator('.react-flow__viewport').evaluate((el) => new DOMMatrix(getComputedStyle(el).transform).a);
  expect(zoom).toBeGreaterThanOrEqual(0.5 - 1e-9);
});

test('Tab moves through the nodes of a large graph in document order, onto nodes that were off screen', async ({ page }) => {
  await openChain(page);
  const first = page.locator('.react-flow__node').first();
  await first.focus();
  const start = await focusedNodeId(page);
  expect(start).toMatch(/^n\d+$/);
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
