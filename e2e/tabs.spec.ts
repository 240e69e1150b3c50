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

test('a version a tab kept aside while it waited for the two-tab choice is offered on the next visit', async ({ page }, testInfo) => {
  await page.goto('/');
  await expect(nodes(page).first()).toBeVisible();
  // What a tab leaves when it is closed with the choice unmade (autosaveHeld.ts): a synchronous copy of its graph.
  const held = await page.evaluate(() => {
    const doc = {
      format: 'wiregrad.graph',
      version: 1,
      nodes: [{ id: 'mine', type: 'ReLU', params: {}, position: { x: 0, y: 0 } }],
      edges: [],
      meta: { name: 'Held in a closed tab' },
    };
    const text = JSON.stringify(doc);
    localStorage.setItem('wiregrad/autosave/held-copy', JSON.stringify({ 'autosave/held/2026-12-04T10:00:00.000Z-abc123': text }));
    return text;
  });
  await page.reload();
  const notice = page.getByRole('alert', { name: 'Kept from another tab' });
  await expect(notice).toContainText("A tab's unsaved version was kept");
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme);
    await page.screenshot({ path: testInfo.outputPath(`held-version-${theme}.png`) });
  }
  const downloading = page.waitForEvent('download');
  await notice.getByRole('button', { name: 'Download the kept version' }).click();
  const { readFile } = await import('node:fs/promises');
  expect(await readFile((await (await downloading).path())!, 'utf8')).toBe(held);
  await notice.getByRole('button', { name: 'Open the kept version' }).click();
  await expect(notice).toHaveCount(0);
  await expect(page.locator('.doc-name')).toHaveText('Held in a closed tab');
  await expect(nodes(page)).toHaveCount(1);
  await saved(page);
  // Opened, it is the autosave now and is not offered again.
  await page.reload();
  await expect(page.locator('.doc-name')).toHaveText('Held in a closed tab');
  await expect(notice).toHaveCount(0);
});
