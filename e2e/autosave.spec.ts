import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';

// Autosave keeps the graph in IndexedDB ("wiregrad" database, "documents" store, key "autosave/document";
// app/storage/schema.ts).
// These specs write into it and break it from the page itself, so they run the same against the dev
// server and the production build (no test handle needed).

test.use({ viewport: { width: 1400, height: 860 } });

const summary = (page: Page) => page.getByRole('region', { name: 'Graph summary' });
const unreadableNotice = (page: Page) => page.getByRole('alert', { name: 'Autosave could not be opened' });
const failedNotice = (page: Page) => page.getByRole('alert', { name: 'Autosave failed' });

async function expectNodes(page: Page, n: number) {
  await expect(summary(page)).toContainText(`${n} node${n === 1 ? '' : 's'}`);
  await expect(page.locator('.react-flow__node')).toHaveCount(n);
}

/** Every key and value in the autosave's object store. */
function storedEntries(page: Page): Promise<Record<string, string>> {
  return page.evaluate(
    () =>
      new Promise<Record<string, string>>((resolve, reject) => {
        const open = indexedDB.open('wiregrad'); // the version the page opened
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const out: Record<string, string> = {};
          const cursor = open.result.transaction('documents', 'readonly').objectStore('documents').openCursor();
          cursor.onerror = () => reject(cursor.error);
          cursor.onsuccess = () => {
            const c = cursor.result;
            if (c === null) {
              open.result.close();
              resolve(out);
              return;
            }
            out[String(c.key)] = String(c.value);
            c.continue();
          };
        };
      }),
  );
}

/** Writes `text` as the autosave, as an older or newer Wiregrad (or a crash) would have left it. */
function writeAutosave(page: Page, text: string): Promise<void> {
  return page.evaluate(
    (value) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('wiregrad'); // the version the page opened
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('documents', 'readwrite');
          tx.objectStore('documents').put(value, 'autosave/document');
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    text,
  );
}

async function openStudio(page: Page) {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Wiregrad' })).toBeVisible();
  await expectNodes(page, 8);
}

/** The studio's own document, saved through the Save button. */
async function savedDocument(page: Page): Promise<Record<string, unknown>> {
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  return JSON.parse(await readFile((await (await downloading).path())!, 'utf8'));
}

async function screenshotBothThemes(page: Page, name: string, testInfo: { outputPath(name: string): string }) {
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme);
    await page.screenshot({ path: testInfo.outputPath(`${name}-${theme}.png`) });
  }
}

test('an autosave written by a newer version is kept, offered for download, and what it holds is recovered @production', async ({ page }, testInfo) => {
  test.slow(); // four page loads; the dev server is slow to serve each
  await openStudio(page);
  const doc = await savedDocument(page);
  const newer = JSON.stringify({ ...doc, version: 9, meta: { ...(doc.meta as object), name: 'From the future' } }, null, 2);
  await writeAutosave(page, newer);

  await page.reload();
  const notice = unreadableNotice(page);
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('Your autosaved graph could not be opened');
  await expect(notice).toContainText('made by a newer Wiregrad (document version 9');
  await expect(notice).toContainText('kept in this browser, unchanged');
  await expect(notice).toContainText('Opened what could be recovered from it: 8 nodes of 8 and 7 edges of 7, as “From the future (recovered)”');
  await expectNodes(page, 8);
  await expect(page.locator('.doc-name')).toHaveText('From the future (recovered)');
  await screenshotBothThemes(page, 'unreadable-autosave', testInfo);

  // The download is the stored text, byte for byte.
  const downloading = page.waitForEvent('download');
  await notice.getByRole('button', { name: 'Download unreadable autosave' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^unreadable-autosave-.*\.json$/);
  expect(await readFile((await download.path())!, 'utf8')).toBe(newer);

  // An edit autosaves the recovered graph; the kept copy is not touched.
  await page.getByRole('button', { name: 'New' }).click();
  await expectNodes(page, 0);
  await expect(page.locator('.save-state')).toHaveText('Saved in this browser');
  const entries = await storedEntries(page);
  const kept = Object.keys(entries).filter((k) => k.startsWith('autosave/unreadable/'));
  expect(kept).toHaveLength(1);
  expect(entries[kept[0]]).toBe(newer);
  expect(JSON.parse(entries['autosave/document']).nodes).toEqual([]);

  // The next visit opens the new autosave and still offers the kept copy, until it is dismissed.
  await page.reload();
  await expectNodes(page, 0);
  await expect(notice).toContainText('An earlier autosave could not be opened');
  await expect(notice).toContainText('newer Wiregrad (document version 9');
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  // No wait: the dismissal is copied synchronously (localStorage), so a reload before IndexedDB commits keeps it.
  await page.reload();
  await expectNodes(page, 0);
  await expect(notice).toHaveCount(0);
  expect((await storedEntries(page))[kept[0]]).toBe(newer);
});

test('a truncated autosave is kept and the default template opens, clearly labelled', async ({ page }) => {
  test.slow(); // three page loads; the dev server is slow to serve each
  await openStudio(page);
  const doc = JSON.stringify(await savedDocument(page));
  const truncated = doc.slice(0, Math.floor(doc.length / 2));
  await writeAutosave(page, truncated);
  await page.reload();
  const notice = unreadableNotice(page);
  await expect(notice).toContainText('This file is not valid JSON');
  await expect(notice).toContainText('Nothing could be recovered from it, so the default template is open instead.');
  await expectNodes(page, 8);
  const downloading = page.waitForEvent('download');
  await notice.getByRole('button', { name: 'Download unreadable autosave' }).click();
  expect(await readFile((await (await downloading).path())!, 'utf8')).toBe(truncated);
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
  // Reloading again does not lose the kept copy, even after the autosave was written over.
  await page.getByRole('button', { name: 'New' }).click();
  await expect(page.locator('.save-state')).toHaveText('Saved in this browser');
  await page.reload();
  await expectNodes(page, 0);
  await expect(notice).toHaveCount(0);
  expect(Object.values(await storedEntries(page))).toContain(truncated);
});

test('an edit made 0 ms before a reload is kept @production', async ({ page }) => {
  await openStudio(page);
  await page.getByRole('searchbox', { name: 'Search nodes' }).fill('relu');
  await page.getByRole('button', { name: 'ReLU', exact: true }).click();
  await expectNodes(page, 9);
  // No wait: the debounced write (300 ms) has not run; pagehide must write it.
  await page.reload();
  await expectNodes(page, 9);
  await expect(page.getByRole('group', { name: 'ReLU 1', exact: true })).toBeVisible();
});

test('a storage that refuses writes (quota full) shows "Autosave failed" with what to do @production', async ({ page }, testInfo) => {
  // Every write to IndexedDB fails as a full disk makes it fail.
  await page.addInitScript(() => {
    IDBObjectStore.prototype.put = function put() {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await openStudio(page);
  await page.getByRole('button', { name: 'New' }).click();
  const notice = failedNotice(page);
  await expect(notice).toBeVisible();
  await expect(notice.getByRole('heading')).toHaveText('Autosave failed');
  await expect(notice).toContainText("The browser's storage is full — download the document (Save, or Download graph below) or free space");
  await expect(notice).toContainText('a reload would lose the latest changes');
  await expect(page.locator('.save-state')).toHaveText('Autosave failed');
  await screenshotBothThemes(page, 'autosave-failed', testInfo);
  const downloading = page.waitForEvent('download');
  await notice.getByRole('button', { name: 'Download graph' }).click();
  const saved = JSON.parse(await readFile((await (await downloading).path())!, 'utf8'));
  expect(saved).toMatchObject({ format: 'wiregrad.graph', nodes: [], edges: [] });
  // The page stays usable.
  await page.getByRole('searchbox', { name: 'Search nodes' }).fill('relu');
  await page.getByRole('button', { name: 'ReLU', exact: true }).click();
  await expectNodes(page, 1);
});

test('an autosave and tuning choices kept by the previous version (separate databases) open after the upgrade @production', async ({ page }) => {
  // The old layout, written on a page of this origin before the studio's code runs.
  await page.goto('/favicon.svg');
  const doc = await page.evaluate(async () => {
    const put = (name: string, store: string, keyPath: string | undefined, value: unknown, key?: string) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open(name, 1);
        open.onupgradeneeded = () => open.result.createObjectStore(store, keyPath === undefined ? undefined : { keyPath });
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(store, 'readwrite');
          tx.objectStore(store).put(value, key);
          tx.oncomplete = () => (open.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      });
    const text = JSON.stringify({
      format: 'wiregrad.graph',
      version: 1,
      nodes: [{ id: 'kept', type: 'ReLU', params: {}, position: { x: 0, y: 0 } }],
      edges: [],
      training: {},
      meta: { name: 'Kept by version 1' },
    });
    await put('wiregrad', 'kv', undefined, text, 'autosave/document');
    await put('wiregrad-tuning', 'choices', undefined, '{"old":true}', 'some-adapter');
    return text;
  });
  await page.goto('/');
  await expect(page.locator('.doc-name')).toHaveText('Kept by version 1');
  await expectNodes(page, 1);
  const entries = await storedEntries(page);
  expect(entries['autosave/document']).toBe(doc);
  // The old tuning database was copied in and deleted.
  await expect.poll(() => page.evaluate(async () => (await indexedDB.databases()).map((d) => `${d.name}@${d.version}`).sort())).toEqual(['wiregrad@2']);
});
