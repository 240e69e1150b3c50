// Cross-origin isolation (issue 16): the dev server and the preview send COOP/COEP, so the page and its
// workers get SharedArrayBuffer (the WASM backend's threads), and under require-corp every asset the
// app loads — scripts, styles, fonts, the trainer worker, data — still loads.
import { expect, test } from '@playwright/test';

test.describe.configure({ timeout: 180_000 });

test('@production the page is cross-origin isolated and every asset loads under COEP', async ({ page }) => {
  const failed: string[] = [];
  page.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.url()}: HTTP ${r.status()}`);
  });
  const response = await page.goto('/');
  expect(response?.headers()['cross-origin-opener-policy']).toBe('same-origin');
  expect(response?.headers()['cross-origin-embedder-policy']).toBe('require-corp');
  expect(await page.evaluate(() => crossOriginIsolated && typeof SharedArrayBuffer === 'function')).toBe(true);
  // The trainer worker starts and trains (it names its backend), and the page's fonts are in.
  const panel = page.getByRole('complementary', { name: 'Training' });
  await page.getByRole('button', { name: /Templates/ }).click();
  await page.getByRole('menuitem', { name: 'Two spirals classifier' }).click();
  await panel.getByRole('button', { name: /^(Train|Resume)$/ }).click();
  await expect.poll(async () => Number(await panel.getByLabel('step', { exact: true }).textContent()), { timeout: 90_000 }).toBeGreaterThan(3);
  await expect(panel.getByLabel('Backend')).toContainText(/WebGPU|CPU/);
  await panel.getByRole('button', { name: 'Pause' }).click();
  await page.evaluate(() => document.fonts.ready);
  expect(await page.evaluate(() => [...document.fonts].filter((f) => f.status === 'error').map((f) => f.family))).toEqual([]);
  expect(failed).toEqual([]);
});
