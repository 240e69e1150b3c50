import { expect, test, type Page } from '@playwright/test';

/** What a WebGPU adapter request returned, as plain data the page can hand back. */
interface AdapterReport {
  hasGpu: boolean;
  adapter: boolean;
  /** Whether the adapter also handed out a device (the thing the engine actually uses). */
  device?: boolean;
  vendor?: string;
  architecture?: string;
  error?: string;
}

async function adapterInPage(page: Page): Promise<AdapterReport> {
  return page.evaluate(async () => {
    if (!('gpu' in navigator)) return { hasGpu: false, adapter: false };
    try {
      const adapter = await navigator.gpu.requestAdapter();
      if (!adapter) return { hasGpu: true, adapter: false };
      const device = await adapter.requestDevice();
      device.destroy();
      const { vendor, architecture } = adapter.info;
      return { hasGpu: true, adapter: true, device: true, vendor, architecture };
    } catch (e) {
      return { hasGpu: true, adapter: false, error: String(e) };
    }
  });
}

async function adapterInWorker(page: Page): Promise<AdapterReport> {
  return page.evaluate(async () => {
    const source = `
      (async () => {
        if (!('gpu' in navigator)) return postMessage({ hasGpu: false, adapter: false });
        try {
          const adapter = await navigator.gpu.requestAdapter();
          if (!adapter) return postMessage({ hasGpu: true, adapter: false });
          const device = await adapter.requestDevice();
          device.destroy();
          const { vendor, architecture } = adapter.info;
          postMessage({ hasGpu: true, adapter: true, device: true, vendor, architecture });
        } catch (e) {
          postMessage({ hasGpu: true, adapter: false, error: String(e) });
        }
      })();`;
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    const worker = new Worker(url);
    try {
      return await new Promise<AdapterReport>((resolve, reject) => {
        worker.onmessage = (event: MessageEvent<AdapterReport>) => resolve(event.data);
        worker.onerror = (event) => reject(new Error(`worker failed: ${event.message}`));
      });
    } finally {
      worker.terminate();
      URL.revokeObjectURL(url);
    }
  });
}

test('the page loads and shows the studio shell', async ({ page }, testInfo) => {
  await page.goto('/');
  await expect(page).toHaveTitle(/Wiregrad/);
  await expect(page.getByRole('heading', { level: 1, name: 'Wiregrad' })).toBeVisible();
  await expect(page.getByRole('main', { name: 'Canvas' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('home-light.png'), fullPage: true });
});

test('the dark theme follows the system colour scheme', async ({ page }, testInfo) => {
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Wiregrad' })).toBeVisible();
  const light = await background();
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await background();
  expect(dark).not.toBe(light);
  await page.screenshot({ path: testInfo.outputPath('home-dark.png'), fullPage: true });
});

// Training runs on WebGPU in a dedicated worker: a browser without an adapter here is a broken setup,
// so these tests fail rather than skip.
test('WebGPU gives an adapter on the page', async ({ page }) => {
  await page.goto('/');
  const report = await adapterInPage(page);
  console.log('page adapter:', JSON.stringify(report));
  expect(report).toMatchObject({ hasGpu: true, adapter: true, device: true });
});

test('WebGPU gives an adapter in a dedicated worker', async ({ page }) => {
  await page.goto('/');
  const report = await adapterInWorker(page);
  console.log('worker adapter:', JSON.stringify(report));
  expect(report).toMatchObject({ hasGpu: true, adapter: true, device: true });
});
