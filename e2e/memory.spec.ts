import { expect, test, type Locator, type Page } from '@playwright/test';
import { estimateMemory, formatBytes } from '../engine/graph/memory';
import { TEMPLATES } from '../engine/graph/templates';
import { canvasNode as node, panel } from './studio';

// The memory estimate beside the parameter count, and graphs too big for the backend refused on
// the node, in the inspector and by the worker, with the bytes and the budget, while editing.

test.use({ viewport: { width: 1400, height: 860 } });
// The shared test machine can be slow to start the dev server's modules and the worker.
test.describe.configure({ timeout: 180_000 });

const summary = (page: Page) => page.getByRole('region', { name: 'Graph summary' });
const estimate = (page: Page) => summary(page).locator('.memory-estimate');

async function openTemplate(page: Page, name: string) {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Wiregrad' })).toBeVisible();
  await page.getByRole('button', { name: /Templates/ }).click();
  await page.getByRole('menuitem', { name }).click();
}

/** Type into a field as a person does: select what is there, type, press Enter. */
async function typeInto(field: Locator, text: string) {
  await field.click();
  await field.press('ControlOrMeta+a');
  await field.pressSequentially(text);
  await field.press('Enter');
}

/** What the status bar should say for the two-spirals template with its first Dense at `units`. */
function expectedEstimate(units: number): string {
  const doc = TEMPLATES.find((t) => t.id === 'two-spirals')!.build(new Date(0));
  const edited = { ...doc, nodes: doc.nodes.map((n) => (n.id === 'hidden1' ? { ...n, params: { ...n.params, units } } : n)) };
  return `≈ ${formatBytes(estimateMemory(edited).total)}`;
}

async function screenshotBothThemes(page: Page, target: Locator, name: string, testInfo: { outputPath(name: string): string }) {
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme);
    await target.screenshot({ path: testInfo.outputPath(`${name}-${theme}.png`) });
  }
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'));
}

test('a Dense of 1,000,000,000 units is refused on the node and in the inspector with its bytes and the budget; the page stays usable', async ({
  page,
}, testInfo) => {
  await openTemplate(page, 'Two spirals classifier');
  await expect(summary(page)).toContainText('Ready to train');
  await expect(estimate(page)).toContainText(expectedEstimate(16));

  await node(page, 'Hidden 1').locator('.gnode-head').click();
  const units = page.getByLabel('units', { exact: true });
  // The estimate follows an edit.
  await typeInto(units, '1024');
  await expect(estimate(page)).toContainText(expectedEstimate(1024));
  expect(expectedEstimate(1024)).not.toBe(expectedEstimate(16));
  await screenshotBothThemes(page, summary(page), 'status-bar', testInfo);

  await typeInto(units, '1000000000');
  // Its largest tensor, x · kernel at batch 32: [32, 1e9] floats = 128,000,000,000 bytes, over one
  // WebGPU buffer (128 MB until the worker reports its adapter).
  const bytes = '128,000,000,000 bytes';
  await expect(node(page, 'Hidden 1')).toContainText(bytes);
  await expect(node(page, 'Hidden 1')).toContainText('per buffer');
  const problems = page.getByRole('region', { name: 'Problems' });
  await expect(problems).toContainText(`The [32, 1000000000] tensor it computes needs 119 GB (${bytes}) in one buffer`);
  await expect(problems).toContainText(/holds at most \d+(\.\d)? [MG]B per buffer \(max\w+\)/);
  await expect(summary(page)).toContainText('(too much)');
  await expect(summary(page)).toContainText('error');
  await screenshotBothThemes(page, node(page, 'Hidden 1'), 'refused-node', testInfo);
  await screenshotBothThemes(page, page.locator('.studio'), 'refused-studio', testInfo);

  // Train asks the worker, which refuses the same way before allocating anything.
  await panel(page).getByRole('button', { name: 'Train' }).click();
  await expect(panel(page).getByRole('alert')).toContainText(bytes, { timeout: 30_000 });

  // The page now checks against the adapter the worker reported, and says so on the node.
  await expect(node(page, 'Hidden 1')).toContainText(bytes);
  // Still editing: put the units back, and the graph is ready again.
  await node(page, 'Hidden 1').locator('.gnode-head').click();
  await typeInto(units, '16');
  await expect(node(page, 'Hidden 1')).not.toContainText(bytes);
  await expect(summary(page)).toContainText('Ready to train');
  await expect(estimate(page)).not.toContainText('too much');
});

test('a dataset too big for the memory budget is refused naming the dataset setting', async ({ page }) => {
  await openTemplate(page, 'Two spirals classifier');
  await expect(summary(page)).toContainText('Ready to train');
  const samples = panel(page).getByRole('region', { name: 'Dataset' }).getByLabel('Samples', { exact: true });
  await typeInto(samples, '1000000000');
  // 1e9 samples of x [2] and label []: 12,000,000,000 bytes.
  await expect(summary(page)).toContainText(
    'The dataset setting "size" (spirals data: 1,000,000,000 samples) needs 11.2 GB (12,000,000,000 bytes); the memory budget is 2.0 GB.',
  );
  await expect(estimate(page)).toContainText('too much');
  // The worker refuses to generate its preview too, rather than stall for minutes building it.
  await expect(panel(page).getByRole('region', { name: 'Dataset' })).toContainText('The dataset setting "size"');
  await typeInto(samples, '500');
  await expect(summary(page)).toContainText('Ready to train');
  await expect(panel(page).getByRole('region', { name: 'Dataset' }).getByLabel('Dataset size')).toContainText('500 samples', { timeout: 30_000 });
  await expect(panel(page).getByRole('alert')).toHaveCount(0);
});
