/** What the browser tests do with the studio again and again, as a person does it. */
import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';

/** The training panel. */
export const panel = (page: Page) => page.getByRole('complementary', { name: 'Training' });

/** Opens a template from the toolbar's Templates menu. */
export async function openTemplate(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: /Templates/ }).click();
  await page.getByRole('menuitem', { name }).click();
}

/** The step counter the training panel shows. */
export async function step(page: Page): Promise<number> {
  return Number(await panel(page).getByLabel('step', { exact: true }).textContent());
}

/** Light and dark screenshots of the page, for looking at (attached to the report too). */
export async function screenshots(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}-light.png`) });
  await page.getByRole('button', { name: 'Toggle dark theme' }).click();
  await page.waitForTimeout(150);
  await page.screenshot({ path: testInfo.outputPath(`${name}-dark.png`) });
  await page.getByRole('button', { name: 'Toggle dark theme' }).click();
}

/** A node on the canvas, by its accessible name (its label). */
export const canvasNode = (page: Page, name: string) => page.getByRole('group', { name, exact: true });

/** Searches the palette and drags the item onto the canvas so the node's top-left lands near (x, y). */
export async function dragFromPalette(page: Page, search: string, item: string, x: number, y: number): Promise<void> {
  await page.getByRole('searchbox', { name: 'Search nodes' }).fill(search);
  const button = page.getByRole('button', { name: item, exact: true });
  await expect(button).toBeVisible();
  await button.dragTo(page.locator('.react-flow__pane'), { targetPosition: { x: x + 24, y: y + 20 } });
  await page.getByRole('searchbox', { name: 'Search nodes' }).fill('');
}

/** The centre of an element on the page (it must be visible). */
export async function centre(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element is not visible');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags a wire with the mouse from an output handle to an input handle, as a person would. */
export async function wire(page: Page, from: string, fromPort: string, to: string, toPort: string): Promise<void> {
  const start = await centre(canvasNode(page, from).getByLabel(`output ${fromPort}`, { exact: true }));
  const end = await centre(canvasNode(page, to).getByLabel(`input ${toPort}`, { exact: true }));
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move((start.x + end.x) / 2, (start.y + end.y) / 2 + 10, { steps: 8 });
  await page.mouse.move(end.x, end.y, { steps: 8 });
  await page.mouse.up();
}
