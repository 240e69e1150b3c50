import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
// The editor benchmark's generated chain, as a small regression model.
import { bigGraph } from '../bench/app/bigGraph.mjs';
import { panel, step } from './studio';

test.use({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
// MNIST on a software GPU (SwiftShader) sharing two cores: training and the first compile are slow.
test.describe.configure({ timeout: 300_000 });

const tryIt = (page: Page) => page.getByRole('region', { name: 'Try it' });
const dashboard = (page: Page) => page.getByRole('region', { name: 'Dashboard' });

/** Probabilities the bars show, most probable first. */
async function shownProbabilities(page: Page): Promise<number[]> {
  const meters = tryIt(page).getByRole('meter');
  return await meters.evaluateAll((ms) => ms.map((m) => Number(m.getAttribute('aria-valuenow'))));
}

test('try the MNIST model: draw a digit while it trains, pick a validation sample, download a chart', async ({ page }, testInfo) => {
  await page.goto('/');
  await page.getByRole('button', { name: /Templates/ }).click();
  await page.getByRole('menuitem', { name: 'Keras-style MLP classifier (MNIST)' }).click();
  await expect(tryIt(page)).toContainText('Train (or open) a graph');
  await dashboard(page).getByRole('tab', { name: 'Scalars' }).click();
  // A run longer than the test, so the drawing is answered while training goes on.
  const steps = panel(page).getByLabel('Steps');
  await steps.fill('100000');
  await steps.press('Enter');
  // On a loaded two-core machine the worker's first MNIST load can outlast the 8 s watchdog; a person
  // then presses Restart worker (the graph is kept), as the training spec shows.
  const restart = panel(page).getByRole('button', { name: 'Restart worker' });
  const train = panel(page).getByRole('button', { name: 'Train' });
  await expect.poll(async () => (await restart.isVisible()) || (await train.isEnabled()), { timeout: 60_000 }).toBe(true);
  if (await restart.isVisible()) await restart.click();
  await train.click();
  await expect.poll(() => step(page), { timeout: 120_000, intervals: [500] }).toBeGreaterThan(25);

  // Draw a "1" with the mouse while training goes on.
  const canvas = tryIt(page).getByRole('img', { name: /Drawing area/ });
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.15);
  await page.mouse.down();
  for (let k = 1; k <= 12; k++) await page.mouse.move(box.x + box.width * (0.55 - 0.02 * (k / 12)), box.y + box.height * (0.15 + 0.7 * (k / 12)));
  await page.mouse.up();
  const predicted = tryIt(page).getByTestId('predicted-class');
  await expect(predicted).toHaveText(/^[0-9]$/, { timeout: 60_000 });
  await expect(tryIt(page).getByRole('meter')).toHaveCount(5);
  const probs = await shownProbabilities(page);
  expect(probs.reduce((a, b) => a + b)).toBeLessThanOrEqual(1.0001);
  expect([...probs].sort((a, b) => b - a)).toEqual(probs);
  // The most probable bar is the class named as the prediction.
  await expect(tryIt(page).getByRole('meter').first()).toHaveAccessibleName(`Probability of ${await predicted.textContent()}`);
  await expect(tryIt(page).getByRole('img', { name: 'The input as the model sees it' })).toBeVisible();
  await expect(tryIt(page).getByText(/Weights of step \d+/)).toBeVisible();
  await expect(panel(page).getByRole('button', { name: 'Pause' })).toBeEnabled();

  await panel(page).getByRole('button', { name: 'Pause' }).click();
  await expect(panel(page).getByRole('button', { name: 'Resume' })).toBeEnabled({ timeout: 30_000 });

  // A validation sample, by keyboard: its true label stands beside the prediction.
  const sample = tryIt(page).getByLabel(/Validation sample \(1–\d+\)/);
  await sample.fill('7');
  await sample.press('Enter');
  await expect(tryIt(page).getByText('validation sample 7')).toBeVisible({ timeout: 30_000 });
  await expect(tryIt(page).getByTestId('true-label')).toHaveText(/^[0-9]$/);
  await expect(tryIt(page).getByTestId('predicted-class')).toHaveText(/^[0-9]$/);
  await expect(tryIt(page).getByText('True label')).toBeVisible();
  await tryIt(page).screenshot({ path: testInfo.outputPath('try-it-light.png') });
  await page.getByRole('button', { name: 'Toggle dark theme' }).click();
  await page.waitForTimeout(150);
  await tryIt(page).screenshot({ path: testInfo.outputPath('try-it-dark.png') });

  // Clear, then the drawing area is empty again (a new stroke would predict afresh).
  await tryIt(page).getByRole('button', { name: 'Clear drawing' }).click();
  const ink = await canvas.evaluate((c: HTMLCanvasElement) =>
    c
      .getContext('2d')!
      .getImageData(0, 0, c.width, c.height)
      .data.some((v, i) => i % 4 === 3 && v > 0),
  );
  expect(ink).toBe(false);

  // The Loss chart's data as CSV and its picture as PNG.
  const loss = dashboard(page).getByRole('figure', { name: 'Loss chart' });
  await loss.getByLabel('Download the Loss chart', { exact: true }).click();
  await page.screenshot({ path: testInfo.outputPath('chart-menu-dark.png') });
  const csvDownload = page.waitForEvent('download');
  await loss.getByRole('button', { name: 'Download the Loss data as CSV' }).click();
  const csv = await csvDownload;
  expect(csv.suggestedFilename()).toBe('loss.csv');
  const lines = readFileSync((await csv.path())!, 'utf8')
    .trim()
    .split(/\r\n/);
  expect(lines[0]).toBe('series,step,x,value,smoothed');
  expect(lines.length).toBeGreaterThan(20);
  expect(lines[1]).toMatch(/^Run \d+ · training,1,1,[\d.e-]+,[\d.e-]+$/);

  const pngDownload = page.waitForEvent('download');
  await loss.getByRole('button', { name: 'Download the Loss chart as PNG' }).click();
  const png = await pngDownload;
  expect(png.suggestedFilename()).toBe('loss.png');
  const bytes = readFileSync((await png.path())!);
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  // Width and height from the IHDR chunk: twice the chart's on-screen size.
  const svgBox = (await loss.locator('svg').first().boundingBox())!;
  expect(bytes.readUInt32BE(16)).toBe(Math.round(svgBox.width * 2));
  expect(bytes.readUInt32BE(20)).toBe(Math.round(svgBox.height * 2));
  await testInfo.attach('loss.png', { path: (await png.path())!, contentType: 'image/png' });
  await page.getByRole('button', { name: 'Toggle dark theme' }).click();
  await tryIt(page).screenshot({ path: testInfo.outputPath('try-it-light-2.png') });
});

/** Trains the open template for `steps` steps, to the end. */
async function trainFor(page: Page, steps: number) {
  const field = panel(page).getByLabel('Steps');
  await field.fill(String(steps));
  await field.press('Enter');
  await panel(page).getByRole('button', { name: 'Train' }).click();
  await expect(panel(page).getByText('done', { exact: true })).toBeVisible({ timeout: 120_000 });
}

test('try a 2-D classifier: a point typed by keyboard, a row pasted, a value that is not a number named, a point clicked on the plane', async ({
  page,
}, testInfo) => {
  await page.goto('/');
  await page.getByRole('button', { name: /Templates/ }).click();
  await page.getByRole('menuitem', { name: 'Two spirals classifier' }).click();
  await trainFor(page, 60);
  const form = tryIt(page).getByRole('form', { name: 'Input values' });
  const x = form.getByLabel('x', { exact: true });
  const y = form.getByLabel('y', { exact: true });

  // Typed and submitted with Enter.
  await x.fill('0.5');
  await y.fill('-0.25');
  await y.press('Enter');
  const predicted = tryIt(page).getByTestId('predicted-class');
  await expect(predicted).toHaveText(/^[01]$/, { timeout: 30_000 });
  const probs = await shownProbabilities(page);
  expect(probs).toHaveLength(2);
  expect(probs[0]! + probs[1]!).toBeCloseTo(1, 3);
  expect(probs[0]!).toBeGreaterThanOrEqual(probs[1]!);

  // Not a number: the message names the field, the field is marked, nothing is predicted from it.
  await x.fill('1,5e');
  await form.getByRole('button', { name: 'Predict' }).click();
  await expect(form.getByRole('alert')).toHaveText('x: "1,5e" is not a number');
  await expect(x).toHaveAttribute('aria-invalid', 'true');

  // A row pasted into the first field fills both.
  await x.fill('');
  await x.focus();
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.setData('text/plain', '-1.25\t2');
    document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await expect(x).toHaveValue('-1.25');
  await expect(y).toHaveValue('2');
  await x.press('Enter');
  await expect(form.getByRole('alert')).toHaveCount(0);
  await expect(x).not.toHaveAttribute('aria-invalid', 'true');
  await expect(predicted).toHaveText(/^[01]$/);

  // The plane shows what the trained model predicts over it, with the data's samples on it.
  const plane = tryIt(page).getByRole('img', { name: /Input plane from/ });
  await expect(plane).toHaveAccessibleName(/coloured by the class the model predicts, with \d+ samples/);
  // Its picture holds both classes' colours (blue 0, orange 1: app/charts/palette.ts), not a blank.
  const hues = await tryIt(page)
    .locator('canvas.point-plane-boundary')
    .evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let [blue, orange] = [0, 0];
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 2]! > d[i]! + 40) blue++;
        else if (d[i]! > d[i + 2]! + 40) orange++;
      }
      return { blue, orange };
    });
  expect(hues.blue).toBeGreaterThan(500);
  expect(hues.orange).toBeGreaterThan(500);

  // A click on the input plane predicts there and shows the point, in the plane and in the fields.
  const box = (await plane.boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await expect(plane.locator('circle.picked')).toHaveCount(1);
  // The plane's centre: halfway between its corners as its name gives them.
  const corners = /from \((-?[\d.]+), (-?[\d.]+)\) to \((-?[\d.]+), (-?[\d.]+)\)/
    .exec((await plane.getAttribute('aria-label'))!)!
    .slice(1)
    .map(Number);
  await expect.poll(async () => Number(await form.getByLabel('x', { exact: true }).inputValue())).toBeCloseTo((corners[0]! + corners[2]!) / 2, 1);
  expect(Number(await form.getByLabel('y', { exact: true }).inputValue())).toBeCloseTo((corners[1]! + corners[3]!) / 2, 1);
  await expect(predicted).toHaveText(/^[01]$/);
  await tryIt(page).screenshot({ path: testInfo.outputPath('try-it-point.png') });
  // In the dark theme the plane is repainted towards the dark surface: its corner is no longer near white.
  const corner = () =>
    tryIt(page)
      .locator('canvas.point-plane-boundary')
      .evaluate((c: HTMLCanvasElement) => Array.from(c.getContext('2d')!.getImageData(1, 1, 1, 1).data.subarray(0, 3)).reduce((a, v) => a + v, 0));
  // Light: the corner (a margin no sample lies in) is tinted by the class predicted there, not the bare white surface.
  expect(await corner()).toBeGreaterThan(500);
  expect(await corner()).toBeLessThan(750);
  await page.getByRole('button', { name: 'Toggle dark theme' }).click();
  await expect.poll(corner).toBeLessThan(400);
  await tryIt(page).screenshot({ path: testInfo.outputPath('try-it-point-dark.png') });
});

test('try a regression model: one field per input value, a row pasted across them, the outputs listed', async ({ page }) => {
  await page.goto('/');
  // A small regression net on 16 random features (the editor benchmark's generated chain: x → Dense → ReLU → Dense → MSE).
  const buffer = Buffer.from(JSON.stringify(bigGraph(5)));
  await page.getByLabel('Open graph file').setInputFiles({ name: 'regression.wiregrad.json', mimeType: 'application/json', buffer });
  await expect(page.getByRole('region', { name: 'Graph summary' })).toContainText('5 nodes');
  await trainFor(page, 30);
  const form = tryIt(page).getByRole('form', { name: 'Input values' });
  const fields = form.getByRole('textbox');
  const count = await fields.count();
  expect(count).toBeGreaterThan(1);
  await expect(form.getByLabel('x[0]', { exact: true })).toBeVisible();
  // A spreadsheet row (tab-separated) pasted into the first field fills every field.
  const row = Array.from({ length: count }, (_v, i) => String((i - count / 2) / 4));
  await fields.first().focus();
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, row.join('\t'));
  for (let i = 0; i < count; i++) await expect(fields.nth(i)).toHaveValue(row[i]!);
  await form.getByRole('button', { name: 'Predict' }).click();
  const values = tryIt(page).getByTestId('predicted-value');
  await expect(values.first()).toHaveText(/^-?[\d.]+(e[+-]\d+)?$/, { timeout: 30_000 });
  // An empty field is named, not read as 0.
  await fields.nth(count - 1).fill('');
  await form.getByRole('button', { name: 'Predict' }).click();
  await expect(form.getByRole('alert')).toHaveText(`x[${count - 1}]: "" is not a number`);
});
