import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { canvasNode as node, centre, dragFromPalette, wire } from './studio';

// Wide enough that five nodes fit side by side on the canvas at 100%.
test.use({ viewport: { width: 1600, height: 900 } });

const summary = (page: Page) => page.getByRole('region', { name: 'Graph summary' });
const alert = (page: Page) => page.getByRole('alert');

async function expectCounts(page: Page, nodes: number, edges: number) {
  await expect(summary(page)).toContainText(`${nodes} node${nodes === 1 ? '' : 's'}`);
  await expect(summary(page)).toContainText(`${edges} edge${edges === 1 ? '' : 's'}`);
  await expect(page.locator('.react-flow__node')).toHaveCount(nodes);
}

async function select(page: Page, name: string) {
  await node(page, name).locator('.gnode-head').click();
  await expect(page.getByRole('heading', { level: 3, name })).toBeVisible();
}

test('opens on a template, showing nodes with their shapes and parameter counts', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Wiregrad' })).toBeVisible();
  await expectCounts(page, 8, 7);
  await expect(node(page, 'h = x · w1')).toContainText('[64, 100]');
  await expect(node(page, 'y_pred = h · w2')).toContainText('[64, 10]');
  await expect(node(page, 'w1')).toContainText('100,000 params');
  await expect(summary(page)).toContainText('Ready to train');
  await expect(page.getByRole('complementary', { name: 'Training' }).getByRole('button', { name: 'Train' })).toBeVisible();
});

test('build a network by dragging from the palette and wiring it with the mouse', async ({ page }, testInfo) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'New' }).click();
  await expectCounts(page, 0, 0);

  // The search narrows the palette.
  await page.getByRole('searchbox', { name: 'Search nodes' }).fill('relu');
  await expect(page.getByRole('button', { name: 'ReLU', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Dense', exact: true })).toHaveCount(0);

  await dragFromPalette(page, 'input', 'Input', 40, 80);
  await dragFromPalette(page, 'dense', 'Dense', 300, 80);
  await dragFromPalette(page, 'relu', 'ReLU', 560, 80);
  await dragFromPalette(page, 'dense', 'Dense', 800, 80);
  await dragFromPalette(page, 'mse', 'Mean squared error', 560, 330);
  await expectCounts(page, 5, 0);
  await expect(node(page, 'Dense 1')).toContainText('Input "x" is not connected');

  await wire(page, 'Input 1', 'y', 'Dense 1', 'x');
  await wire(page, 'Dense 1', 'y', 'ReLU 1', 'x');
  await wire(page, 'ReLU 1', 'y', 'Dense 2', 'x');
  await wire(page, 'Dense 2', 'y', 'Mean squared error 1', 'pred');
  await expectCounts(page, 5, 4);
  await expect(node(page, 'Dense 1')).toContainText('[32, 32]');
  await expect(node(page, 'Dense 1')).not.toContainText('not connected');

  // Shapes must agree: a [32, 32] prediction against a [32, 1] target is refused, with the reason.
  await wire(page, 'Input 1', 'y', 'Mean squared error 1', 'target');
  await expect(alert(page)).toContainText('Incompatible shapes');
  await expect(alert(page)).toContainText('[32, 32]');
  await expectCounts(page, 5, 4);
  await page.screenshot({ path: testInfo.outputPath('editor-refused.png') });

  // Set the second Dense to one unit in the inspector; now the target fits.
  await select(page, 'Dense 2');
  await page.getByLabel('units', { exact: true }).fill('1');
  await page.getByLabel('units', { exact: true }).press('Enter');
  await expect(node(page, 'Dense 2')).toContainText('[32, 1]');
  await wire(page, 'Input 1', 'y', 'Mean squared error 1', 'target');
  await expectCounts(page, 5, 5);
  await expect(node(page, 'Mean squared error 1')).toContainText('[]');
  await expect(summary(page)).toContainText('Ready to train');

  // Edit the first Dense: the node's shape follows; a bad value is marked and never applied.
  await select(page, 'Dense 1');
  const units = page.getByLabel('units', { exact: true });
  await units.fill('64');
  await units.press('Enter');
  await expect(node(page, 'Dense 1')).toContainText('[32, 64]');
  await expect(node(page, 'ReLU 1')).toContainText('[32, 64]');
  await units.fill('0');
  await expect(units).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Too small', { exact: false })).toBeVisible();
  await units.press('Enter');
  await expect(node(page, 'Dense 1')).toContainText('[32, 64]');
  await units.press('Escape');
  await expect(units).toHaveValue('64');
  await expect(units).toHaveAttribute('aria-invalid', 'false');
  await page.getByLabel('activation', { exact: true }).selectOption('relu');
  await expect(node(page, 'Dense 1')).toContainText('64 units · relu');

  // A cycle is refused with its reason; so is a second wire into a taken input.
  await wire(page, 'ReLU 1', 'y', 'Dense 1', 'x');
  await expect(alert(page)).toContainText('would make a cycle');
  await wire(page, 'Input 1', 'y', 'ReLU 1', 'x');
  await expect(alert(page)).toContainText('already taken');
  await expectCounts(page, 5, 5);

  // Delete a node with the keyboard, then undo and redo.
  await select(page, 'ReLU 1');
  await page.keyboard.press('Delete');
  await expectCounts(page, 4, 3);
  await page.keyboard.press('Control+z');
  await expectCounts(page, 5, 5);
  await page.keyboard.press('Control+Shift+z');
  await expectCounts(page, 4, 3);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expectCounts(page, 5, 5);
  await expect(node(page, 'ReLU 1')).toContainText('[32, 64]');
});

test('a node drag is one undo step; copy, paste, select all', async ({ page }) => {
  await page.goto('/');
  await expectCounts(page, 8, 7);
  const relu = node(page, 'relu');
  const before = await relu.boundingBox();
  const grip = await centre(relu.locator('.gnode-head'));
  await page.mouse.move(grip.x, grip.y);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(grip.x + i * 8, grip.y + i * 6);
  await page.mouse.up();
  const after = await relu.boundingBox();
  expect(after!.x - before!.x).toBeGreaterThan(30);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(async () => (await relu.boundingBox())!.x).toBeCloseTo(before!.x, 0);
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect.poll(async () => (await relu.boundingBox())!.x).toBeCloseTo(after!.x, 0);

  // Copy two connected nodes and paste: new nodes, their edge comes along.
  await select(page, 'h = x · w1');
  await node(page, 'relu')
    .locator('.gnode-head')
    .click({ modifiers: ['Control'] });
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expectCounts(page, 10, 8);
  await expect(node(page, 'relu 1')).toBeVisible();

  await page.keyboard.press('Control+a');
  await page.keyboard.press('Backspace');
  await expectCounts(page, 0, 0);
  await page.keyboard.press('Control+z');
  await expectCounts(page, 10, 8);
});

test('save downloads the document; open reads it back; a broken file is refused', async ({ page }) => {
  await page.goto('/');
  await expectCounts(page, 8, 7);
  // Add a node with the keyboard: Enter on a palette item puts it in the middle of the canvas.
  await page.getByRole('searchbox', { name: 'Search nodes' }).fill('tanh');
  await page.getByRole('button', { name: 'Tanh', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expectCounts(page, 9, 7);
  await expect(node(page, 'Tanh 1')).toBeVisible();

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.json$/);
  const path = await download.path();
  const saved = JSON.parse(await readFile(path, 'utf8'));
  expect(saved).toMatchObject({ format: 'wiregrad.graph', version: 2 });
  expect(saved.nodes).toHaveLength(9);

  await page.getByRole('button', { name: 'New' }).click();
  await expectCounts(page, 0, 0);
  await page.getByLabel('Open graph file').setInputFiles(path);
  await expectCounts(page, 9, 7);
  await expect(node(page, 'Tanh 1')).toBeVisible();
  await expect(node(page, 'h = x · w1')).toContainText('[64, 100]');

  // Broken JSON: the message names the file, line and column; the graph stays.
  await page.getByLabel('Open graph file').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{\n  "format": "wiregrad.graph",\n  "nodes": [,]\n}\n'),
  });
  await expect(alert(page)).toContainText('Could not open "broken.json"');
  await expect(alert(page)).toContainText('line 3');
  await expectCounts(page, 9, 7);

  // Valid JSON with a node the studio does not know: the message names the node.
  saved.nodes[0].type = 'Quantum';
  await page.getByLabel('Open graph file').setInputFiles({
    name: 'unknown.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(saved)),
  });
  await expect(alert(page)).toContainText('unknown type "Quantum"');
  await expectCounts(page, 9, 7);
});

test('the graph is autosaved and comes back after a reload', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Templates' }).click();
  await page.getByRole('menuitem', { name: 'LeNet-style CNN' }).click();
  await expectCounts(page, 12, 12);
  await expect(node(page, 'Conv 1')).toContainText('[64, 28, 28, 6]');
  await expect(node(page, 'Flatten')).toContainText('[64, 400]');
  await select(page, 'Conv 2');
  await page.getByLabel('filters', { exact: true }).fill('20');
  await page.getByLabel('filters', { exact: true }).press('Enter');
  await expect(node(page, 'Conv 2')).toContainText('[64, 10, 10, 20]');
  await expect(page.getByText('Saved in this browser')).toBeVisible();

  await page.reload();
  await expectCounts(page, 12, 12);
  await expect(node(page, 'Conv 2')).toContainText('[64, 10, 10, 20]');
  await expect(node(page, 'Flatten')).toContainText('[64, 500]');
});

test('auto-layout, shortcuts help, and light and dark screenshots', async ({ page }, testInfo) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await page.getByRole('button', { name: 'Templates' }).click();
  await page.getByRole('menuitem', { name: 'Keras-style MLP classifier (MNIST)' }).click();
  await expectCounts(page, 6, 6);
  const label = node(page, 'label');
  const before = await label.boundingBox();
  await page.getByRole('button', { name: 'Auto-layout' }).click();
  await expect.poll(async () => JSON.stringify(await label.boundingBox())).not.toBe(JSON.stringify(before));
  await expectCounts(page, 6, 6);

  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Undo');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await select(page, 'Dense 1');
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await background();
  await page.screenshot({ path: testInfo.outputPath('editor-light.png') });
  await page.getByRole('button', { name: 'Toggle dark theme' }).click();
  await expect.poll(background).not.toBe(light);
  await page.screenshot({ path: testInfo.outputPath('editor-dark.png') });
  // The choice overrides the system setting.
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await background()).not.toBe(light);
});
