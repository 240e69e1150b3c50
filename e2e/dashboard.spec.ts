import { expect, test, type Page } from '@playwright/test';
import { openTemplate, panel, screenshots, step } from './studio';

test.use({ viewport: { width: 1600, height: 1000 } });
// Training on a software GPU (SwiftShader) is slow: these tests train for real.
test.describe.configure({ timeout: 240_000 });

const dashboard = (page: Page) => page.getByRole('region', { name: 'Dashboard' });

/** Sets the run length; 100000 never finishes while a test watches. */
async function runLength(page: Page, n = 100_000) {
  const steps = panel(page).getByLabel('Steps');
  await steps.fill(String(n));
  await steps.press('Enter');
}
const longRun = (page: Page) => runLength(page);

/**
 * Trains to the end. A tiny model trains so fast on a software GPU that the page itself slows
 * down, so tests that need many steps run short, complete runs instead of pausing mid-way.
 */
async function trainToEnd(page: Page, steps: number) {
  await panel(page)
    .getByRole('button', { name: /^(Train|Resume)$/ })
    .click();
  await expect.poll(() => step(page), { timeout: 120_000, intervals: [500] }).toBe(steps);
  await expect(panel(page).getByText('done', { exact: true })).toBeVisible({ timeout: 60_000 });
}

async function trainUntil(page: Page, steps: number) {
  await panel(page)
    .getByRole('button', { name: /^(Train|Resume)$/ })
    .click();
  await expect.poll(() => step(page), { timeout: 90_000, intervals: [250] }).toBeGreaterThan(steps);
  await panel(page).getByRole('button', { name: 'Pause' }).click();
  await expect(panel(page).getByRole('button', { name: 'Resume' })).toBeEnabled();
}

test('two runs overlaid on the scalar charts, kept across a reload; histograms of every parameter', async ({ page }, testInfo) => {
  await page.goto('/');
  await openTemplate(page, 'Two spirals classifier');
  await runLength(page, 240);
  await dashboard(page).getByRole('tab', { name: 'Scalars' }).click();
  await trainToEnd(page, 240);
  await panel(page).getByRole('button', { name: 'Reset' }).click();
  await dashboard(page).getByRole('tab', { name: 'Histograms' }).click();
  await trainToEnd(page, 240);
  await expect(dashboard(page).getByRole('img', { name: /hidden1\/kernel value histograms over \d+ steps/ })).toBeVisible({ timeout: 30_000 });
  await expect(dashboard(page).getByRole('img', { name: /hidden1\/kernel gradient histograms/ })).toBeVisible();
  await screenshots(page, testInfo, 'histograms');
  await dashboard(page).getByRole('tab', { name: 'Distributions' }).click();
  await expect(dashboard(page).getByRole('img', { name: /hidden1\/kernel value distribution: median and bands .* over \d+ sampled steps/ })).toBeVisible();
  // Drawn by the page's one chart: four nested bands and the median line, with the chart's readout and downloads.
  const distribution = dashboard(page).getByRole('figure', { name: 'hidden1/kernel value distribution chart' });
  await expect(distribution.locator('path.chart-band')).toHaveCount(4);
  await expect(distribution.locator('path.chart-line')).toHaveCount(1);
  await expect(distribution.getByLabel('Download the hidden1/kernel value distribution chart', { exact: true })).toBeVisible();
  const bands = (await distribution.locator('.chart-body').boundingBox())!;
  await page.mouse.move(bands.x + bands.width * 0.7, bands.y + bands.height / 2);
  const readout = distribution.getByRole('status');
  await expect(readout).toContainText('median');
  // The readout's quantiles at one step, max first: each at least the next.
  const quantiles = await readout.locator('table').evaluate((t: HTMLTableElement) => {
    const value = [...t.tHead!.rows[0]!.cells].findIndex((c) => c.textContent === 'Value');
    return [...t.tBodies[0]!.rows].map((r) => Number(r.cells[value]!.textContent));
  });
  expect(quantiles).toHaveLength(9);
  for (let k = 1; k < 9; k++) expect(quantiles[k - 1]!).toBeGreaterThanOrEqual(quantiles[k]!);
  expect(quantiles[0]!).toBeGreaterThan(quantiles[8]!);
  await screenshots(page, testInfo, 'distributions');
  await dashboard(page).getByRole('tab', { name: 'Scalars' }).click();

  const runs = dashboard(page).getByRole('list', { name: 'Runs' }).getByRole('listitem');
  await expect(runs).toHaveCount(2);
  await expect(
    dashboard(page)
      .getByRole('figure', { name: 'Loss chart' })
      .getByRole('img', { name: /Loss: 2 training curve/ }),
  ).toBeVisible();
  // Training and validation curves of both runs on the accuracy chart.
  await expect(dashboard(page).getByRole('figure', { name: 'Accuracy chart' }).locator('.chart-series')).toHaveCount(4);
  for (const title of ['Learning rate', 'Gradient norm', 'Steps per second']) {
    // A path with segments (a constant learning rate is a flat line, which has no height to be "visible").
    await expect(
      dashboard(page)
        .getByRole('figure', { name: `${title} chart` })
        .locator('path.chart-line')
        .first(),
    ).toHaveAttribute('d', /^M[\d.]+,[\d.]+L/);
  }

  // Hover readout names both runs.
  const loss = dashboard(page).getByRole('figure', { name: 'Loss chart' }).locator('svg');
  const box = (await loss.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
  await expect(dashboard(page).getByRole('status').filter({ hasText: 'Run 1' })).toContainText('Run 2');

  // Log scale, and the smoothing slider.
  await dashboard(page).getByRole('radio', { name: 'Log' }).click();
  await dashboard(page).getByRole('slider', { name: 'Smoothing' }).fill('0.9');
  await expect(dashboard(page).getByText('0.90')).toBeVisible();
  await screenshots(page, testInfo, 'scalars');

  // Rename a run.
  await dashboard(page).getByRole('button', { name: 'Rename Run 1' }).click({ force: true });
  await dashboard(page).getByRole('textbox', { name: 'New name for Run 1' }).fill('baseline');
  await page.keyboard.press('Enter');
  await expect(runs.filter({ hasText: 'baseline' })).toHaveCount(1);

  await dashboard(page).getByRole('tab', { name: 'Model' }).click();
  await expect(dashboard(page).getByRole('table', { name: 'Model summary' })).toContainText('Trainable params');
  await screenshots(page, testInfo, 'model');

  await page.reload();
  await dashboard(page).getByRole('tab', { name: 'Scalars' }).click();
  await expect(dashboard(page).getByRole('list', { name: 'Runs' }).getByRole('listitem')).toHaveCount(2);
  await expect(dashboard(page).getByRole('list', { name: 'Runs' })).toContainText('baseline');
  await expect(
    dashboard(page)
      .getByRole('figure', { name: 'Loss chart' })
      .getByRole('img', { name: /Loss: 2 training curve/ }),
  ).toBeVisible();
});

test('a probe on a Dense weight shows its histogram changing between steps; edges coloured by gradient', async ({ page }, testInfo) => {
  await page.goto('/');
  await openTemplate(page, 'Two spirals classifier');
  await longRun(page);
  await trainUntil(page, 5);
  await page.locator('.react-flow__node[data-id="hidden1"] .gnode-title').click();
  const probe = page.getByRole('region', { name: 'Probe Hidden 1' });
  await expect(probe).toBeVisible();
  await probe.getByRole('combobox', { name: 'Tensor' }).selectOption({ label: 'kernel' });
  const histogram = probe.getByRole('img', { name: /kernel value histogram/ });
  await expect(histogram).toBeVisible({ timeout: 30_000 });
  await expect(probe.getByRole('img', { name: /kernel value: 2×16 heatmap/ })).toBeVisible();
  const before = `${await histogram.getAttribute('data-counts')} ${await probe.getByLabel('mean').textContent()} ${await probe.getByLabel('max').textContent()}`;
  const stepBefore = await step(page);
  for (let i = 0; i < 5; i++) await panel(page).getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(() => step(page)).toBe(stepBefore + 5);
  await expect(probe.getByText(`step ${stepBefore + 5}`)).toBeVisible({ timeout: 30_000 });
  const after = `${await histogram.getAttribute('data-counts')} ${await probe.getByLabel('mean').textContent()} ${await probe.getByLabel('max').textContent()}`;
  expect(after).not.toBe(before);
  await probe.getByRole('radio', { name: 'Gradient' }).click();
  await expect(probe.getByRole('img', { name: /kernel gradient histogram/ })).toBeVisible();

  // An edge probe and gradient-coloured edges.
  await page.getByRole('button', { name: 'Gradient edges' }).click();
  await panel(page).getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.locator('.react-flow__edge[class*="grad-"]').first()).toBeAttached({ timeout: 30_000 });
  await expect(page.locator('.react-flow__edge-text').first()).toContainText('∇');
  await page.locator('.react-flow__node[data-id="hidden2"] .gnode-title').click();
  await expect(page.getByRole('region', { name: 'Probe Hidden 2' })).toBeVisible();
  await screenshots(page, testInfo, 'probes');

  // The ops a Dense lowers to, and its backward graph.
  await page.locator('.react-flow__node[data-id="hidden1"]').hover();
  await page.getByRole('button', { name: 'Show the ops of Hidden 1' }).click();
  const ops = page.getByRole('region', { name: 'Ops of Hidden 1' });
  await expect(ops.locator('[data-op="matmul"]')).toHaveCount(1);
  await ops.getByRole('button', { name: 'Backward graph' }).click();
  const back = page.getByRole('region', { name: 'Backward graph of Hidden 1' });
  await expect(back.locator('.op-box.is-backward').first()).toBeVisible({ timeout: 30_000 });
  await screenshots(page, testInfo, 'backward');
});

test('a learning rate that makes the loss non-finite pauses training and marks the node', async ({ page }, testInfo) => {
  await page.goto('/');
  await openTemplate(page, '2-layer ReLU net (L2, random data)');
  const lr = panel(page).getByLabel('Learning rate');
  await lr.fill('1');
  await lr.press('Enter');
  await panel(page).getByRole('button', { name: 'Train' }).click();
  const marked = page.locator('.react-flow__node.has-runtime-error');
  await expect(marked).toHaveCount(1, { timeout: 90_000 });
  await expect(marked).toContainText('First NaN/Inf appeared here');
  await expect(panel(page).getByRole('button', { name: 'Resume' })).toBeEnabled();
  await dashboard(page).getByRole('tab', { name: 'Scalars' }).click();
  await expect(dashboard(page).getByRole('alert')).toContainText('non-finite');
  await dashboard(page).getByRole('button', { name: 'Show node' }).click();
  await expect(marked).toHaveClass(/selected/);
  await screenshots(page, testInfo, 'nan');
  // The error goes with its node: delete the node and the message leaves the panel.
  await expect(panel(page).getByRole('alert')).toContainText('non-finite');
  await page.keyboard.press('Delete');
  await expect(marked).toHaveCount(0);
  await expect(panel(page).getByRole('alert')).toHaveCount(0);
});

test('the decision boundary of a 2-D classifier appears and updates live', async ({ page }, testInfo) => {
  await page.goto('/');
  await openTemplate(page, 'Two spirals classifier');
  await runLength(page, 600);
  await dashboard(page).getByRole('tab', { name: 'Classifier' }).click();
  // Record every step the boundary was drawn at, as a person watching would see it change.
  await page.evaluate(() => {
    const seen = new Set<string>();
    Object.assign(window, { boundarySteps: seen });
    new MutationObserver(() => {
      const caption = document.querySelector('[aria-label="Decision boundary"] figcaption')?.textContent;
      if (caption) seen.add(caption);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await trainToEnd(page, 600);
  const boundary = dashboard(page).getByRole('figure', { name: 'Decision boundary' });
  await expect(boundary.locator('canvas')).toBeVisible();
  await expect(boundary).toContainText('step 600');
  expect(await page.evaluate(() => (window as unknown as { boundarySteps: Set<string> }).boundarySteps.size)).toBeGreaterThan(1);
  await expect(dashboard(page).getByRole('figure', { name: 'Confusion matrix' })).toContainText('class accuracy');
  await screenshots(page, testInfo, 'classifier');
});
