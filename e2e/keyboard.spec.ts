import { expect, test, type Locator, type Page } from '@playwright/test';
import { canvasNode as node } from './studio';

// Everything after page.goto is done with the keyboard, as a person who does not use a mouse would.
test.use({ viewport: { width: 1600, height: 900 } });

const edge = (page: Page, name: string) => page.getByRole('group', { name, exact: true });
const summary = (page: Page) => page.getByRole('region', { name: 'Graph summary' });
const status = (page: Page) => page.locator('.notices [role="status"]');

const RELU_TO_PRED = 'Edge from relu (y) to y_pred = h · w2 (a)';

/**
 * Presses Tab until the focused element matches `selector` (CSS: cheap to test after every press), as a
 * keyboard user would, then checks that it is `target` as a person sees it.
 */
async function tabTo(page: Page, selector: string, target: Locator, max = 250) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) break;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused({ timeout: 1000 });
}

const byLabel = (label: string) => `[aria-label=${JSON.stringify(label)}]`;

async function expectCounts(page: Page, nodes: number, edges: number) {
  await expect(summary(page)).toContainText(`${nodes} node${nodes === 1 ? '' : 's'}`);
  await expect(summary(page)).toContainText(`${edges} edge${edges === 1 ? '' : 's'}`);
}

test('@production wire two nodes and delete an edge with the keyboard only', async ({ page }, testInfo) => {
  test.slow(); // Tabbing through the toolbar and palette to the canvas is many key presses.
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await expectCounts(page, 8, 7);
  await expect(summary(page)).toContainText('Ready to train');

  // Delete an edge: Tab to it, Enter selects it, Delete removes it. The input it fed is now missing.
  await tabTo(page, byLabel(RELU_TO_PRED), edge(page, RELU_TO_PRED));
  await expect(edge(page, RELU_TO_PRED)).toHaveAccessibleDescription(/then Delete to remove it/);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Delete');
  await expectCounts(page, 8, 6);
  await expect(edge(page, RELU_TO_PRED)).toHaveCount(0);
  await expect(node(page, 'y_pred = h · w2')).toContainText('Input "a" is not connected');
  await expect(summary(page)).not.toContainText('Ready to train');

  // C on the focused relu node opens the list of ports it can connect to.
  await tabTo(page, `.react-flow__node${byLabel('relu')}`, node(page, 'relu'));
  await expect(node(page, 'relu')).toHaveAccessibleDescription(/Press C to connect/);
  await page.keyboard.press('c');
  const dialog = page.getByRole('dialog', { name: 'Connect relu' });
  await expect(dialog).toBeVisible();
  const search = dialog.getByRole('combobox', { name: 'Filter ports' });
  await expect(search).toBeFocused();
  const listbox = dialog.getByRole('listbox');
  const option = (text: string) => listbox.getByRole('option', { name: text });
  await expect(option('relu.y → y_pred = h · w2.a')).toHaveAttribute('aria-selected', 'true');
  await expect(dialog.getByRole('status')).toContainText('1 port can connect');

  // Ports that cannot connect are listed, disabled, with the reason mouse wiring gives.
  await page.keyboard.type('w2');
  const taken = option('relu.y → y_pred = h · w2.b');
  await expect(taken).toHaveAttribute('aria-disabled', 'true');
  await expect(taken).toContainText('already taken by w2');
  await page.keyboard.press('ArrowDown');
  await expect(taken).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('status')).toContainText('Cannot connect relu.y → y_pred = h · w2.b');
  await expectCounts(page, 8, 6);
  await page.keyboard.press('ArrowUp');
  await expect(option('relu.y → y_pred = h · w2.a')).toHaveAttribute('aria-selected', 'true');
  await page.screenshot({ path: testInfo.outputPath('connect-list-light.png') });

  // Enter connects: the dialog closes, focus is back on the node, the edge is on the canvas and announced.
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(node(page, 'relu')).toBeFocused();
  // Drawn between the two handles (this one is level, so its box has no height: toBeVisible would say hidden).
  await expect(edge(page, RELU_TO_PRED)).toHaveCount(1);
  expect((await edge(page, RELU_TO_PRED).boundingBox())?.width).toBeGreaterThan(10);
  await expect(status(page)).toContainText('Connected relu.y → y_pred = h · w2.a');
  await expectCounts(page, 8, 7);
  await expect(node(page, 'y_pred = h · w2')).not.toContainText('not connected');
  await expect(summary(page)).toContainText('Ready to train');

  // Escape closes the list without connecting, and focus is back on the node.
  await page.keyboard.press('c');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('status')).toContainText('relu cannot connect to anything now');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(node(page, 'relu')).toBeFocused();
  await expectCounts(page, 8, 7);

  // The shortcuts list says how.
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toContainText('C on a node');
  await expect(help).toContainText('Enter on a node or edge');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
});

test('the connect list in the dark theme, opened from the selected node’s Connect button', async ({ page }, testInfo) => {
  test.slow();
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await expectCounts(page, 8, 7);
  await tabTo(page, byLabel('Toggle dark theme'), page.getByRole('button', { name: 'Toggle dark theme' }));
  await page.keyboard.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

  // Enter on a palette item adds the node in the middle of the canvas; its input is free.
  await tabTo(page, byLabel('Search nodes'), page.getByRole('searchbox', { name: 'Search nodes' }));
  await page.keyboard.type('tanh');
  await expect(page.getByRole('button', { name: 'ReLU', exact: true })).toHaveCount(0);
  // (GELU matches too: its description mentions tanh.)
  await tabTo(page, '.palette-item[title^="Hyperbolic tangent"]', page.getByRole('button', { name: 'Tanh', exact: true }));
  await page.keyboard.press('Enter');
  await expectCounts(page, 9, 7);
  await expect(node(page, 'Tanh 1')).toContainText('Input "x" is not connected');

  // Enter selects the focused node; the toolbar over it offers Connect….
  await tabTo(page, `.react-flow__node${byLabel('Tanh 1')}`, node(page, 'Tanh 1'));
  await page.keyboard.press('Enter');
  await tabTo(page, byLabel('Connect Tanh 1…'), page.getByRole('button', { name: 'Connect Tanh 1…' }));
  await page.screenshot({ path: testInfo.outputPath('connect-button-dark.png') });
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Connect Tanh 1' });
  await expect(dialog).toBeVisible();
  const first = dialog.getByRole('listbox').getByRole('option').first();
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await expect(first).toHaveAccessibleName('x.y → Tanh 1.x');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.screenshot({ path: testInfo.outputPath('connect-list-dark.png') });
  await page.keyboard.type('relu');
  await expect(dialog.getByRole('option', { name: 'relu.y → Tanh 1.x' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(node(page, 'Tanh 1')).toBeFocused();
  await expectCounts(page, 9, 8);
  await expect(node(page, 'Tanh 1')).toContainText('[64, 100]');
  await expect(node(page, 'Tanh 1')).not.toContainText('not connected');
});
