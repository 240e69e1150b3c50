// The WASM backend on several threads in the browser (issue 16): with WebGPU off (Chromium launched
// without --enable-unsafe-webgpu) the trainer worker falls back to the WASM backend, which in the
// cross-origin isolated page starts its helper threads (nested module workers) under the CSP and COEP.
import { expect, test } from '@playwright/test';

test.describe.configure({ timeout: 180_000 });

test.use({
  launchOptions: {
    ...(process.env.CHROMIUM_PATH ? { executablePath: process.env.CHROMIUM_PATH } : {}),
    args: ['--disable-features=WebGPU,Vulkan', '--disable-gpu', '--no-sandbox', '--disable-background-networking', '--disable-component-update'],
  },
});

test('@production the WASM backend trains on several threads (its worker threads load under the CSP and COEP)', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (/Content[- ]Security[- ]Policy/i.test(m.text()) || m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto('/');
  const panel = page.getByRole('complementary', { name: 'Training' });
  await page.getByRole('button', { name: /Templates/ }).click();
  await page.getByRole('menuitem', { name: 'Two spirals classifier' }).click();
  // Long enough to be still training when paused: the fused WASM backend runs the template's own
  // 2,400 steps in about a second.
  const steps = panel.getByLabel('Steps');
  await steps.fill('1000000');
  await steps.press('Enter');
  await panel.getByRole('button', { name: /^(Train|Resume)$/ }).click();
  await expect.poll(async () => Number(await panel.getByLabel('step', { exact: true }).textContent()), { timeout: 90_000 }).toBeGreaterThan(20);
  // As many threads as the browser reports cores (at most 8); this machine has at least two.
  const cores = Math.min(await page.evaluate(() => navigator.hardwareConcurrency), 8);
  expect(cores).toBeGreaterThan(1);
  await expect(panel.getByLabel('Backend')).toContainText(`CPU · WASM SIMD, ${cores} threads`);
  await panel.getByRole('button', { name: 'Pause' }).click();
  expect(problems).toEqual([]);
});
