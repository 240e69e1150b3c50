/** Transformer blocks on the canvas: open the sorting template, expand a block (⊞) by button and by key, undo. */
import { expect, test, type Page } from '@playwright/test';
import { canvasNode as node, openTemplate, screenshots } from './studio';

test.use({ viewport: { width: 1600, height: 900 } });
// The dev server compiles the page on first load; a loaded machine needs more than the default minute.
test.setTimeout(180_000);

const summary = (page: Page) => page.getByRole('region', { name: 'Graph summary' });

test('a TransformerBlock expands into its parts by its toolbar button and by E; undo brings it back', async ({ page }, testInfo) => {
  await page.goto('/');
  await openTemplate(page, 'Sorting Transformer');
  await expect(summary(page)).toContainText('11 nodes');
  await expect(node(page, 'block 1')).toContainText('[64, 12, 64]');

  await node(page, 'block 1').locator('.gnode-head').click();
  const expand = page.getByRole('button', { name: 'Expand block 1 into its parts' });
  await expect(expand).toBeVisible();
  await screenshots(page, testInfo, 'transformer-block-selected');
  // The toolbar button by keyboard (Tab reaches it; Enter presses it).
  await expand.focus();
  await page.keyboard.press('Enter');
  await expect(summary(page)).toContainText('17 nodes');
  await expect(node(page, 'block 1 · attn')).toContainText('[64, 4, 12, 12]'); // the attention weights port
  await expect(node(page, 'block 1 · add2')).toContainText('[64, 12, 64]');
  await screenshots(page, testInfo, 'transformer-block-expanded');

  await page.keyboard.press('Control+z');
  await expect(summary(page)).toContainText('11 nodes');

  // By keyboard: focus block 2 and press E.
  await node(page, 'block 2').focus();
  await page.keyboard.press('e');
  await expect(summary(page)).toContainText('17 nodes');
  await expect(node(page, 'block 2 · ffn1')).toContainText('[64, 12, 128]');
});
