import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { openTemplate, panel } from './studio';
import { unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';

test.use({ viewport: { width: 1600, height: 900 } });
// Training on a software GPU (SwiftShader) with two shared cores: be patient.
test.describe.configure({ timeout: 240_000 });

const notice = (page: Page) => page.locator('.notices');
const saveMenu = (page: Page) => page.getByRole('button', { name: 'Download or share' });

async function trainToEnd(page: Page, steps: number) {
  const field = panel(page).getByLabel('Steps');
  await field.fill(String(steps));
  await field.press('Enter');
  await panel(page).getByRole('button', { name: 'Train' }).click();
  await expect
    .poll(async () => Number(await panel(page).getByLabel('step', { exact: true }).textContent()), { timeout: 120_000, intervals: [500] })
    .toBe(steps);
  await expect(panel(page).getByText('done', { exact: true })).toBeVisible({ timeout: 60_000 });
}

/** Chooses a Save menu item and returns the downloaded file's path and name. */
async function download(page: Page, item: RegExp, testInfo: TestInfo): Promise<{ path: string; name: string }> {
  await saveMenu(page).click();
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: item }).click()]);
  const path = testInfo.outputPath(`${Date.now()}-${file.suggestedFilename()}`);
  await file.saveAs(path);
  return { path, name: file.suggestedFilename() };
}

/** Each tensor's bytes in the model file at `path`, read from its safetensors header by hand. */
function tensorsIn(path: string): Record<string, string> {
  const weights = unzipSync(readFileSync(path))['weights.safetensors']!;
  const view = new DataView(weights.buffer, weights.byteOffset, weights.byteLength);
  const n = view.getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(weights.subarray(8, 8 + n))) as Record<string, { shape: number[]; data_offsets: [number, number] }>;
  const out: Record<string, string> = {};
  for (const [name, t] of Object.entries(header)) {
    if (name !== '__metadata__')
      out[name] = `${t.shape.join('x')}:${Buffer.from(weights.subarray(8 + n + t.data_offsets[0], 8 + n + t.data_offsets[1])).toString('base64')}`;
  }
  return out;
}

test('a trained model leaves as a file with its weights, comes back into another graph, and exports as ONNX', async ({ page }, testInfo) => {
  await page.goto('/');
  await openTemplate(page, 'Two spirals classifier');
  const nodes = await page.locator('.react-flow__node').count();

  // Before training there are no weights: the item says so and does nothing.
  await saveMenu(page).click();
  const withWeights = page.getByRole('menuitem', { name: /Graph \+ weights/ });
  await expect(withWeights).toHaveAttribute('aria-disabled', 'true');
  await expect(withWeights).toContainText('Nothing is trained yet');
  await page.screenshot({ path: testInfo.outputPath('save-menu-untrained.png'), clip: { x: 0, y: 0, width: 900, height: 320 } });
  await page.keyboard.press('Escape');
  await expect(saveMenu(page)).toBeFocused();

  await trainToEnd(page, 40);

  // The menu, in light and dark, opened from the keyboard.
  for (const theme of ['light', 'dark']) {
    await saveMenu(page).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('menuitem', { name: /Graph only/ })).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(withWeights).toBeFocused();
    await expect(withWeights).not.toHaveAttribute('aria-disabled');
    await page.screenshot({ path: testInfo.outputPath(`save-menu-${theme}.png`), clip: { x: 0, y: 0, width: 900, height: 320 } });
    await page.keyboard.press('Escape');
    if (theme === 'light') await page.getByRole('button', { name: 'Toggle dark theme' }).click();
  }
  await page.getByRole('button', { name: 'Toggle dark theme' }).click();

  const model = await download(page, /Graph \+ weights/, testInfo);
  expect(model.name).toBe('two-spirals-classifier.wiregrad.zip');
  const saved = tensorsIn(model.path);
  expect(Object.keys(saved).length).toBeGreaterThan(3);

  const onnx = await download(page, /ONNX model/, testInfo);
  expect(onnx.name).toBe('two-spirals-classifier.onnx');
  expect(readFileSync(onnx.path).length).toBeGreaterThan(1000);
  const pytorch = await download(page, /PyTorch code/, testInfo);
  expect(pytorch.name).toBe('two-spirals-classifier.pytorch.zip');
  expect(Object.keys(unzipSync(readFileSync(pytorch.path))).sort()).toEqual(['README.md', 'model.py', 'train.py', 'weights.safetensors']);

  // Another graph, then the model file through Open: the graph and its trained weights come back.
  await openTemplate(page, '2-layer ReLU net (L2, random data)');
  await expect(page.locator('.doc-name')).not.toHaveText('Two spirals classifier');
  await page.getByLabel('Open graph file').setInputFiles(model.path);
  await expect(notice(page)).toContainText(`Loaded ${Object.keys(saved).length} tensors`, { timeout: 60_000 });
  await expect(page.locator('.doc-name')).toHaveText('Two spirals classifier');
  await expect(page.locator('.react-flow__node')).toHaveCount(nodes);

  // The run now holds exactly the saved weights: saving again gives the same tensors, byte for byte.
  const again = await download(page, /Graph \+ weights/, testInfo);
  expect(tensorsIn(again.path)).toEqual(saved);

  // Load weights…: the same safetensors into a graph they do not fit names its nodes; into this one, every tensor loads.
  const safetensors = {
    name: 'spirals.safetensors',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from(unzipSync(readFileSync(model.path))['weights.safetensors']!),
  };
  await openTemplate(page, '2-layer ReLU net (L2, random data)');
  await page.getByLabel('Load weights file').setInputFiles(safetensors);
  await expect(page.getByRole('alert')).toContainText(/Loaded no weights from "spirals\.safetensors": node "w1": the file has no tensor/, { timeout: 60_000 });
  await expect(page.getByRole('alert')).toContainText('node "w2"');
  await page.getByLabel('Open graph file').setInputFiles(model.path);
  await expect(notice(page)).toContainText(`Loaded ${Object.keys(saved).length} tensors`, { timeout: 60_000 });
  await page.getByLabel('Load weights file').setInputFiles(safetensors);
  await expect(notice(page)).toContainText(`Loaded ${Object.keys(saved).length} tensors from "spirals.safetensors"`, { timeout: 60_000 });

  // A damaged model file is refused and the graph stays.
  const bytes = readFileSync(model.path);
  await page
    .getByLabel('Open graph file')
    .setInputFiles({ name: 'broken.wiregrad.zip', mimeType: 'application/zip', buffer: bytes.subarray(0, bytes.length - 40) });
  await expect(page.getByRole('alert')).toContainText('Could not open "broken.wiregrad.zip"');
  await expect(page.locator('.doc-name')).toHaveText('Two spirals classifier');
});

test('a share link carries the graph to a new page; a tampered link is refused and leaves the graph alone', async ({ page, browser }) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await openTemplate(page, 'Two spirals classifier');
  const nodes = await page.locator('.react-flow__node').count();
  await saveMenu(page).click();
  await page.getByRole('menuitem', { name: /Copy share link/ }).click();
  await expect(notice(page)).toContainText('Copied a link');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(/#graph=[A-Za-z0-9_-]+$/);

  // A fresh browser profile (no autosave) opens the link.
  const other = await browser.newContext();
  const fresh = await other.newPage();
  await fresh.goto(link);
  await expect(fresh.locator('.doc-name')).toHaveText('Two spirals classifier', { timeout: 60_000 });
  await expect(fresh.locator('.react-flow__node')).toHaveCount(nodes);
  await expect(notice(fresh)).toContainText('from a share link: press Train');
  // Read once: the address no longer carries the graph.
  expect(new URL(fresh.url()).hash).toBe('');

  // One character changed: refused, with a notice, and the graph on the canvas stays.
  const at = link.indexOf('#graph=') + 40;
  const tampered = `${link.slice(0, at)}${link[at] === 'A' ? 'B' : 'A'}${link.slice(at + 1)}`;
  const thirdContext = await browser.newContext();
  const third = await thirdContext.newPage();
  await third.goto('/');
  // The dev server may still be compiling modules for this fresh page.
  await expect(third.locator('.react-flow__node').first()).toBeVisible({ timeout: 60_000 });
  const before = await third.locator('.doc-name').textContent();
  expect(before).not.toBe('Two spirals classifier');
  await third.goto(tampered);
  await expect(third.getByRole('alert')).toContainText('This share link is damaged');
  await expect(third.locator('.doc-name')).toHaveText(before!);
  await other.close();
  await thirdContext.close();
});
