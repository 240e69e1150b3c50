import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { openTemplate, panel, step } from './studio';

test.use({ viewport: { width: 1600, height: 900 } });
// The dev server compiles modules on first request and SwiftShader trains on the same two cores: be patient.
test.describe.configure({ timeout: 180_000 });

async function latestLoss(page: Page): Promise<number> {
  return Number(await panel(page).getByLabel('latest loss').textContent());
}

test('the studio as it opens trains: press Train on the default graph and the loss falls @production', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto('/');
  await expect(panel(page).getByText('Loading the dataset')).toHaveCount(0, { timeout: 30_000 });
  await panel(page).getByRole('button', { name: 'Train' }).click();
  await expect.poll(() => step(page), { timeout: 60_000 }).toBeGreaterThan(5);
  const early = await latestLoss(page);
  await expect.poll(() => step(page), { timeout: 60_000 }).toBeGreaterThan(60);
  await expect.poll(() => latestLoss(page), { timeout: 30_000 }).toBeLessThan(early);
  await expect(panel(page).getByRole('alert')).toHaveCount(0);
  expect(problems.filter((p) => /Proxy has been released|not useable/i.test(p))).toEqual([]);
});

test('train the classic 2-layer net: the loss chart falls, pause and step work', async ({ page }, testInfo) => {
  await page.goto('/');
  await openTemplate(page, '2-layer ReLU net (L2, random data)');
  await panel(page).getByRole('button', { name: 'Train' }).click();
  await expect.poll(() => step(page), { timeout: 60_000 }).toBeGreaterThan(5);
  const early = await latestLoss(page);
  // While training, the lines are drawn over the chart's frame, and move as steps arrive.
  const liveLine = panel(page).getByRole('figure', { name: 'Loss chart' }).locator('.live-lines path').first();
  await expect(liveLine).toHaveAttribute('d', /^M[\d.]+,[\d.]+L/);
  const firstLine = await liveLine.getAttribute('d');
  await expect.poll(() => liveLine.getAttribute('d')).not.toBe(firstLine);
  await expect.poll(() => step(page), { timeout: 60_000 }).toBeGreaterThan(60);
  await panel(page).getByRole('button', { name: 'Pause' }).click();
  await expect(panel(page).getByRole('button', { name: 'Resume' })).toBeEnabled();
  // Falls while training (the steady fall is checked on the whole history below: one batch's loss is noisy,
  // and which step the poll first sees depends on the machine's speed).
  expect(await latestLoss(page)).toBeLessThan(early);
  await expect(panel(page).getByRole('figure', { name: 'Loss chart' }).locator('.chart-lines path.chart-line').first()).toHaveAttribute(
    'd',
    /^M[\d.]+,[\d.]+L/,
  );
  await expect(panel(page).getByLabel('Backend')).toContainText(/WebGPU|CPU/);

  const before = await step(page);
  await panel(page).getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(() => step(page)).toBe(before + 1);
  await page.screenshot({ path: testInfo.outputPath('training.png') });

  // The loss curve downloads with its whole history (not the thinned points drawn), and as a picture.
  const lossChart = panel(page).getByRole('figure', { name: 'Loss chart' });
  await lossChart.getByLabel('Download the Loss chart', { exact: true }).click();
  const csvDownload = page.waitForEvent('download');
  await lossChart.getByRole('button', { name: 'Download the Loss data as CSV' }).click();
  const csvFile = await csvDownload;
  expect(csvFile.suggestedFilename()).toBe('loss.csv');
  const lines = (await readFile((await csvFile.path())!, 'utf8')).trim().split(/\r\n/);
  expect(lines[0]).toBe('series,step,x,value,smoothed');
  const trainingRows = lines.slice(1).filter((l) => l.startsWith('training,'));
  expect(trainingRows.length).toBe(before + 1);
  const losses = trainingRows.map((l) => Number(l.split(',')[3]));
  const mean = (xs: number[]) => xs.reduce((a, v) => a + v, 0) / xs.length;
  // The loss falls: its last five steps average under a tenth of its first five (about 2,600 against 26 million here).
  expect(mean(losses.slice(-5))).toBeLessThan(mean(losses.slice(0, 5)) / 10);
  // The readout shows 4 significant digits of the same last loss.
  const shown = await latestLoss(page);
  expect(Math.abs(Number(trainingRows.at(-1)!.split(',')[3]) - shown)).toBeLessThanOrEqual(Math.abs(shown) * 1e-3);
  const pngDownload = page.waitForEvent('download');
  await lossChart.getByRole('button', { name: 'Download the Loss chart as PNG' }).click();
  const png = await readFile((await (await pngDownload).path())!);
  expect([...png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  await page.screenshot({ path: testInfo.outputPath('training-downloads.png') });
});

test('a worker that dies mid-training is noticed and restarted, and the graph is intact', async ({ page }) => {
  await page.goto('/');
  await openTemplate(page, 'Two spirals classifier');
  const nodes = await page.locator('.react-flow__node').count();
  await panel(page).getByRole('button', { name: 'Train' }).click();
  await expect.poll(() => step(page), { timeout: 60_000 }).toBeGreaterThan(3);
  await page.evaluate(() => (window as unknown as { wiregrad: { killWorker(): void } }).wiregrad.killWorker());
  await expect(panel(page).getByRole('alert')).toContainText(/not answered|crashed/, { timeout: 30_000 });
  await panel(page).getByRole('button', { name: 'Restart worker' }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(nodes);
  await panel(page).getByRole('button', { name: 'Train' }).click();
  await expect.poll(() => step(page), { timeout: 60_000 }).toBeGreaterThan(3);
});
