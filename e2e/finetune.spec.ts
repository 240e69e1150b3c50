import { expect, test, type Page } from '@playwright/test';
import { openTemplate, panel, screenshots, step } from './studio';

test.use({ viewport: { width: 1600, height: 1000 } });
// Training on a software GPU (SwiftShader) with two shared cores: be patient.
test.describe.configure({ timeout: 360_000 });

const inspector = (page: Page) => page.getByRole('region', { name: 'Inspector' });
const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

/** Trains past `steps` on a run too long to finish, then pauses. */
async function trainUntil(page: Page, steps: number) {
  const length = panel(page).getByLabel('Steps');
  await length.fill('100000');
  await length.press('Enter');
  await panel(page)
    .getByRole('button', { name: /^(Train|Resume)$/ })
    .click();
  await expect.poll(() => step(page), { timeout: 90_000, intervals: [250] }).toBeGreaterThan(steps);
  await panel(page).getByRole('button', { name: 'Pause' }).click();
  await expect(panel(page).getByRole('button', { name: 'Resume' })).toBeEnabled();
}

/** Opens a probe on a node's kernel and returns a reader of what it shows (histogram, mean, max). */
async function kernelProbe(page: Page, id: string, title: string) {
  await node(page, id).locator('.gnode-title').click();
  const probe = page.getByRole('region', { name: `Probe ${title}` });
  await expect(probe).toBeVisible();
  await probe.getByRole('combobox', { name: 'Tensor' }).selectOption({ label: 'kernel' });
  const histogram = probe.getByRole('img', { name: /kernel value histogram/ });
  await expect(histogram).toBeVisible({ timeout: 30_000 });
  return {
    probe,
    read: async () =>
      `${await histogram.getAttribute('data-counts')} ${await probe.getByLabel('mean').textContent()} ${await probe.getByLabel('max').textContent()}`,
  };
}

test('freeze a layer with the keyboard: a padlock on the node, its weights stay put while the next layer trains', async ({ page }, testInfo) => {
  await page.goto('/');
  await openTemplate(page, 'Two spirals classifier');
  const status = page.getByRole('region', { name: 'Graph summary' });
  await expect(status.getByText('354 parameters', { exact: true })).toBeVisible();

  await node(page, 'hidden1').locator('.gnode-title').click();
  const trainable = inspector(page).getByRole('switch', { name: 'Trainable' });
  await expect(trainable).toBeChecked();
  await trainable.focus();
  await page.keyboard.press('Space');
  await expect(trainable).not.toBeChecked();
  await expect(inspector(page)).toContainText('Frozen: its 48 parameters keep their values');
  await expect(node(page, 'hidden1').getByRole('img', { name: 'frozen' })).toBeVisible();
  await expect(node(page, 'hidden1')).toContainText('48 params, frozen');
  await expect(node(page, 'hidden2').getByRole('img', { name: 'frozen' })).toHaveCount(0);
  await expect(status.getByText('354 parameters (48 frozen)', { exact: true })).toBeVisible();
  await screenshots(page, testInfo, 'frozen-node');

  await trainUntil(page, 5);
  const frozen = await kernelProbe(page, 'hidden1', 'Hidden 1');
  const trained = await kernelProbe(page, 'hidden2', 'Hidden 2');
  const [frozenBefore, trainedBefore] = [await frozen.read(), await trained.read()];
  const stepBefore = await step(page);
  for (let i = 0; i < 5; i++) await panel(page).getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(() => step(page)).toBe(stepBefore + 5);
  await expect(frozen.probe.getByText(`step ${stepBefore + 5}`)).toBeVisible({ timeout: 30_000 });
  await expect(trained.probe.getByText(`step ${stepBefore + 5}`)).toBeVisible({ timeout: 30_000 });
  expect(await trained.read()).not.toBe(trainedBefore);
  expect(await frozen.read()).toBe(frozenBefore);
  await frozen.probe.getByRole('radio', { name: 'Gradient' }).click();
  await expect(frozen.probe).toContainText('this parameter is not trained');
  await screenshots(page, testInfo, 'frozen-training');

  // Switched back on with the mouse while the run is paused: a hot edit, and the layer trains again.
  await node(page, 'hidden1').locator('.gnode-title').click();
  await inspector(page).getByRole('switch', { name: 'Trainable' }).click();
  await expect(node(page, 'hidden1').getByRole('img', { name: 'frozen' })).toHaveCount(0);
  // Clicking the node pointed its probe back at the node's output: back to the kernel's values.
  await frozen.probe.getByRole('combobox', { name: 'Tensor' }).selectOption({ label: 'kernel' });
  await frozen.probe.getByRole('radio', { name: 'Value' }).click();
  await expect(frozen.probe.getByRole('img', { name: /kernel value histogram/ })).toBeVisible({ timeout: 30_000 });
  const thawedBefore = await frozen.read();
  const resumeAt = await step(page);
  for (let i = 0; i < 5; i++) await panel(page).getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(() => step(page)).toBe(resumeAt + 5);
  await expect(frozen.probe.getByText(`step ${resumeAt + 5}`)).toBeVisible({ timeout: 30_000 });
  expect(await frozen.read()).not.toBe(thawedBefore);
});
