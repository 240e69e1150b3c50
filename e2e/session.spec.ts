import { expect, test, type Page } from '@playwright/test';
import { openTemplate, panel, step } from './studio';

// The live training session, as a person uses it: edits while a run trains apply without pausing,
// nothing restarts behind their back, checkpoints fork new runs, another template gives a clean panel.
test.use({ viewport: { width: 1600, height: 1000 } });
test.describe.configure({ timeout: 240_000 });

const dashboard = (page: Page) => page.getByRole('region', { name: 'Dashboard' });
const changes = (page: Page) => panel(page).getByRole('list', { name: 'Changes during this run' });

async function setField(page: Page, label: string, value: string) {
  const field = panel(page).getByLabel(label, { exact: true });
  await field.fill(value);
  await field.press('Enter');
}

async function startLongRun(page: Page) {
  await setField(page, 'Steps', '100000');
  await panel(page).getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(() => step(page), { timeout: 90_000 }).toBeGreaterThan(5);
}

test('a learning-rate change and a wider layer apply while the run trains, without pausing', async ({ page }, testInfo) => {
  await page.goto('/');
  await openTemplate(page, 'Two spirals classifier');
  await startLongRun(page);

  await setField(page, 'Learning rate', '0.05');
  await expect(changes(page)).toContainText(/settings changed: learning rate 0\.\d+ → 0\.05/, { timeout: 30_000 });
  // Never paused: Pause stays available and the steps go on.
  await expect(panel(page).getByRole('button', { name: 'Pause' })).toBeEnabled();
  const afterLr = await step(page);
  await expect.poll(() => step(page), { timeout: 30_000 }).toBeGreaterThan(afterLr + 3);

  // A structural edit while training: a wider first hidden layer.
  await page.locator('.react-flow__node[data-id="hidden1"] .gnode-title').click();
  const before = await step(page);
  await page.getByLabel('units', { exact: true }).fill('24');
  await page.getByLabel('units', { exact: true }).press('Enter');
  const hot = changes(page).getByRole('listitem').filter({ hasText: 'graph changed' });
  await expect(hot).toContainText(/units 16 → 24 — kept \d+ of \d+ tensors, \d+% of parameters/, { timeout: 60_000 });
  const at = Number((await hot.locator('.run-step').textContent())!.replace('step ', ''));
  expect(at).toBeGreaterThanOrEqual(before);
  // The run goes on from its step: the counter never went back to the start.
  await expect.poll(() => step(page), { timeout: 60_000 }).toBeGreaterThan(at + 3);
  await expect(panel(page).getByRole('button', { name: 'Pause' })).toBeEnabled();
  await expect(panel(page).getByRole('alert')).toHaveCount(0);
  await changes(page).scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('hot-edit-light.png') });
  await page.getByRole('button', { name: 'Toggle dark theme' }).click();
  await page.screenshot({ path: testInfo.outputPath('hot-edit-dark.png') });
});

test('drag and rename while paused, then Resume: the same run goes on from the same step', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'Two spirals classifier');
  await startLongRun(page);
  await panel(page).getByRole('button', { name: 'Pause' }).click();
  await expect(panel(page).getByRole('button', { name: 'Resume', exact: true })).toBeEnabled();
  const paused = await step(page);

  const node = page.locator('.react-flow__node[data-id="hidden1"]');
  const box = (await node.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + 10);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 80, box.y + 60, { steps: 5 });
  await page.mouse.up();
  await node.locator('.gnode-title').click();
  await page.getByLabel('Label', { exact: true }).fill('Wide hidden');
  await page.getByLabel('Label', { exact: true }).press('Enter');
  await expect(node).toContainText('Wide hidden');

  // The button still says Resume (not Restart, not "with changes"), and it continues the run.
  const resume = panel(page).getByRole('button', { name: 'Resume', exact: true });
  await expect(resume).toBeEnabled();
  await resume.click();
  await expect.poll(() => step(page), { timeout: 60_000 }).toBeGreaterThan(paused);
  await panel(page).getByRole('button', { name: 'Pause' }).click();
  await expect(changes(page)).toHaveCount(0);

  // A dataset change can only be a new run: the button says so.
  await panel(page).getByLabel('Seed', { exact: true }).fill('7');
  await panel(page).getByLabel('Seed', { exact: true }).press('Enter');
  await expect(panel(page).getByRole('button', { name: 'Restart', exact: true })).toBeVisible();
  await expect(panel(page).getByRole('note').filter({ hasText: 'cannot continue' })).toContainText('seed');
});

test('fork a new run from a checkpoint with another learning rate: two runs in the dashboard', async ({ page }, testInfo) => {
  await page.goto('/');
  await openTemplate(page, 'Two spirals classifier');
  await panel(page).getByLabel('Checkpoints').selectOption({ label: 'every 50 steps' });
  await startLongRun(page);
  await expect.poll(() => step(page), { timeout: 90_000 }).toBeGreaterThan(60);
  await panel(page).getByRole('button', { name: 'Pause' }).click();
  const checkpoints = panel(page).getByRole('list', { name: 'Checkpoints' });
  await expect(checkpoints.getByRole('listitem').first()).toBeVisible();
  await setField(page, 'Learning rate', '0.001');
  // The oldest checkpoint still kept (the list is newest first).
  const oldest = checkpoints.getByRole('button', { name: /^Fork a new run from step \d+$/ }).last();
  const from = Number((await oldest.getAttribute('aria-label'))!.replace(/\D+/g, ''));
  await oldest.click();
  await expect.poll(() => step(page), { timeout: 60_000 }).toBeGreaterThan(3);
  await panel(page).getByRole('button', { name: 'Pause' }).click();
  await dashboard(page).getByRole('tab', { name: 'Scalars' }).click();
  const runs = dashboard(page).getByRole('list', { name: 'Runs' }).getByRole('listitem');
  await expect(runs).toHaveCount(2);
  await expect(runs.filter({ hasText: `Run 2 (from Run 1 @ ${from})` })).toHaveCount(1);
  await checkpoints.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('checkpoints-light.png') });
});

test('opening another template mid-run leaves a clean panel', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'Two spirals classifier');
  await startLongRun(page);
  await openTemplate(page, '2-layer ReLU net (L2, random data)');
  await expect.poll(() => step(page), { timeout: 30_000 }).toBe(0);
  await expect(panel(page).getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
  await expect(panel(page).getByLabel('latest loss')).toHaveText('—');
  await expect(changes(page)).toHaveCount(0);
  // And it trains from fresh weights.
  await panel(page).getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(() => step(page), { timeout: 60_000 }).toBeGreaterThan(3);
});
