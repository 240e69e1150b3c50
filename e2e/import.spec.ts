import { expect, test, type Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { panel } from './studio';

test.use({ viewport: { width: 1600, height: 900 } });
// Compiling and training on a software GPU (SwiftShader) with two shared cores: be patient.
test.describe.configure({ timeout: 240_000 });

const fixture = (path: string) => fileURLToPath(new URL(`../engine/interchange/${path}`, import.meta.url));
const notice = (page: Page) => page.locator('.notices');
const nodes = (page: Page) => page.locator('.react-flow__node');

/** Opens a file the way a person does: the Open button, then the file chooser. */
async function openFile(page: Page, path: string) {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Open', exact: true }).click()]);
  await chooser.setFiles(path);
}

test('an ONNX model made by PyTorch opens with its weights, laid out, and trains', async ({ page }, testInfo) => {
  await page.goto('/');
  await openFile(page, fixture('onnx/fixtures/lenet.onnx'));
  await expect(notice(page)).toContainText('Loaded 8 tensors from "lenet.onnx"', { timeout: 120_000 });
  // 9 layers and the training head (a target input and a loss).
  await expect(nodes(page)).toHaveCount(11);
  for (const id of ['conv1', 'pool1', 'conv2', 'fc1', 'fc2', 'loss']) await expect(nodes(page).filter({ hasText: id }).first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('import-onnx-light.png') });
  await page.getByRole('button', { name: 'Toggle dark theme' }).click();
  await page.screenshot({ path: testInfo.outputPath('import-onnx-dark.png') });
  await page.getByRole('button', { name: 'Toggle dark theme' }).click();

  const steps = panel(page).getByLabel('Steps');
  await steps.fill('3');
  await steps.press('Enter');
  // The imported weights are loaded into the run, which waits paused at step 0 (Resume fine-tunes them);
  // until the load lands the button still reads Train.
  await panel(page)
    .getByRole('button', { name: /^(Train|Resume)$/ })
    .click();
  await expect.poll(async () => Number(await panel(page).getByLabel('step', { exact: true }).textContent()), { timeout: 120_000, intervals: [500] }).toBe(3);
  await expect(panel(page).getByText('done', { exact: true })).toBeVisible({ timeout: 60_000 });
});

test('a Caffe prototxt (LeNet) opens as its TRAIN net', async ({ page }, testInfo) => {
  await page.goto('/');
  await openFile(page, fixture('caffe/fixtures/lenet_train_test.prototxt'));
  await expect(notice(page)).toContainText('Imported lenet_train_test.prototxt (11 nodes; architecture only', { timeout: 60_000 });
  await expect(nodes(page)).toHaveCount(11);
  for (const id of ['conv1', 'pool2', 'ip1', 'relu1', 'ip2', 'loss']) await expect(nodes(page).filter({ hasText: id }).first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('import-caffe-light.png') });
});

test('a model with unsupported operators is refused with a list of them, and the canvas stays as it was', async ({ page }, testInfo) => {
  await page.goto('/');
  await page.getByRole('button', { name: /Templates/ }).click();
  await page.getByRole('menuitem', { name: 'Two spirals classifier' }).click();
  const before = await nodes(page).count();
  expect(before).toBeGreaterThan(0);
  const labels = await nodes(page).allTextContents();
  await openFile(page, fixture('onnx/fixtures/unsupported.onnx'));
  await expect(notice(page)).toContainText(
    'Could not import "unsupported.onnx" as an ONNX model: the model uses 2 operators Wiregrad cannot import: Erf ("/Erf"), CumSum ("/CumSum").',
    { timeout: 60_000 },
  );
  await expect(nodes(page)).toHaveCount(before);
  expect(await nodes(page).allTextContents()).toEqual(labels);
  await page.screenshot({ path: testInfo.outputPath('import-error-light.png') });
});
