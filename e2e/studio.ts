/** What the browser tests do with the studio again and again, as a person does it. */
import type { Page, TestInfo } from '@playwright/test';

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
