// Two tabs on one autosave (issue 17): an edit in one tab reaches the other, and an edit in each is
// kept — in both tabs and after a reload — rather than the last writer's save winning silently.
import { expect, test, type Page } from '@playwright/test';

test.use({ viewport: { width: 1400, height: 900 } });
// Two dev-server pages on a loaded machine: opening and reloading take a while.
test.describe.configure({ timeout: 180_000 });

const nodes = (page: Page) => page.locator('.react-flow__node');
const saved = (page: Page) => expect(page.locator('.save-state')).toHaveText('Saved in this browser', { timeout: 15_000 });

async function deleteNode(page: Page, id: string) {
  await page.locator(`.react-flow__node[data-id="${id}"] .gnode-title`).click();
  await page.keyboard.press('Delete');
  await expect(page.locator(`.react-flow__node[data-id="${id}"]`)).toHaveCount(0);
}

test('tab A deletes a node, tab B deletes another: both tabs show both edits, and a reload keeps them', async ({ context }) => {
  const a = await context.newPage();
  await a.goto('/');
  await expect(nodes(a).first()).toBeVisible();
  const b = await context.newPage();
  await b.goto('/');
  await expect(nodes(b).first()).toBeVisible();
  const ids = await nodes(a).evaluateAll((els) => els.map((el) => el.getAttribute('data-id') ?? ''));
  const [first, second] = ids.slice(-2);

  await deleteNode(a, first);
  await saved(a);
  // B had no edits of its own: it opens A's version.
  await expect(b.locator(`.react-flow__node[data-id="${first}"]`)).toHaveCount(0);
  await expect(nodes(b)).toHaveCount(ids.length - 1);

  await deleteNode(b, second);
  await saved(b);
  await expect(a.locator(`.react-flow__node[data-id="${second}"]`)).toHaveCount(0);
  await expect(nodes(a)).toHaveCount(ids.length - 2);
  await expect(a.getByRole('alert', { name: 'Changed in another tab' })).toHaveCount(0);

  await a.reload();
  await expect(nodes(a)).toHaveCount(ids.length - 2, { timeout: 60_000 });
  await expect(a.locator(`.react-flow__node[data-id="${first}"], .react-flow__node[data-id="${second}"]`)).toHaveCount(0);
});
