import { fileURLToPath } from 'node:url';
import { openTemplate, panel, step } from './studio';
import { expect, test, type Page } from '@playwright/test';

test.use({ viewport: { width: 1600, height: 1000 } });
// Uploading, decoding and training take a while on a loaded CI machine.
test.describe.configure({ timeout: 180_000 });

const fixture = (p: string) => fileURLToPath(new URL(`./fixtures/data/${p}`, import.meta.url));
const dataset = (page: Page) => panel(page).getByRole('region', { name: 'Dataset' });

test.afterEach(async ({ page }, testInfo) => {
  // On failure, keep what the panel showed: its text in the report and a screenshot.
  if (testInfo.status !== testInfo.expectedStatus) {
    await page.screenshot({ path: testInfo.outputPath('failure.png') }).catch(() => undefined);
    console.log(
      await panel(page)
        .innerText()
        .catch(() => 'no panel'),
    );
  }
});

async function trainAndSeeLoss(page: Page) {
  await panel(page).getByRole('button', { name: 'Train' }).click();
  await expect.poll(() => step(page), { timeout: 60_000 }).toBeGreaterThan(10);
  await expect(panel(page).getByRole('figure', { name: 'Loss chart' }).locator('.chart-series path.chart-line').first()).toHaveAttribute(
    'd',
    /^M[\d.]+,[\d.]+L/,
  );
  await expect(panel(page).getByLabel('latest loss')).not.toHaveText('—');
  await expect(panel(page).getByRole('alert')).toHaveCount(0);
}

test('upload a CSV: pick columns, see its rows, fit the Input, train; the upload survives a reload', async ({ page }, testInfo) => {
  await page.goto('/');
  await openTemplate(page, 'Two spirals classifier');
  await dataset(page).getByLabel('Dataset', { exact: true }).selectOption('csv');
  await dataset(page).getByLabel('Upload CSV file').setInputFiles(fixture('points.csv'));

  await expect(dataset(page).getByText('points.csv · 60 rows · 4 columns')).toBeVisible();
  await expect(dataset(page).getByLabel('Label column')).toHaveValue('class');
  const rows = dataset(page).getByRole('region', { name: 'Sample rows' });
  await expect(rows.getByRole('cell', { name: 'blue, dark' }).first()).toBeVisible();
  await expect(dataset(page).getByLabel('Split sizes')).toHaveText('48 training / 12 validation');
  await expect(dataset(page).getByRole('list', { name: 'Class balance' }).getByRole('listitem')).toHaveCount(2);
  await expect(dataset(page).getByText('"colour" is text: one-hot encoded as 3 inputs')).toBeVisible();

  // The template's point Input reads [2]; the CSV gives x1, x2 and three one-hot colours.
  const warning = dataset(page).getByRole('note', { name: 'Inputs that do not fit the data' });
  await expect(warning).toContainText('point reads "x" as [2] f32; the data holds [5] f32');
  await warning.getByRole('button', { name: 'Fit Input shapes to the data' }).click();
  await expect(warning).toHaveCount(0);

  await trainAndSeeLoss(page);
  await page.screenshot({ path: testInfo.outputPath('data-csv-light.png') });
  await page.getByRole('button', { name: 'Toggle dark theme' }).click();
  await panel(page).screenshot({ path: testInfo.outputPath('data-csv-dark-panel.png') });

  await page.reload();
  await expect(dataset(page).getByText('points.csv · 60 rows · 4 columns')).toBeVisible({ timeout: 15_000 });
  await expect(dataset(page).getByRole('region', { name: 'Sample rows' }).getByRole('cell', { name: 'blue, dark' }).first()).toBeVisible();

  // Another browser (here: this one with its stored uploads wiped) says clearly that the data is missing.
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        // The app's one database (app/storage/schema.ts): empty its uploads, keep the autosaved graph.
        const open = indexedDB.open('wiregrad');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('uploads', 'readwrite');
          tx.objectStore('uploads').clear();
          tx.oncomplete = () => (db.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  await page.reload();
  await expect(dataset(page).getByRole('alert')).toContainText('The data “points.csv” this graph trains on is not stored in this browser', { timeout: 15_000 });
  await panel(page).getByRole('button', { name: 'Train' }).click();
  await expect(panel(page).getByRole('alert').filter({ hasText: 'upload the file again' })).toBeVisible();
});

test('upload an image folder: classes from subfolders, unreadable file listed, train on it', async ({ page }, testInfo) => {
  await page.goto('/');
  await openTemplate(page, 'Two spirals classifier');
  await dataset(page).getByLabel('Dataset', { exact: true }).selectOption('images');
  await dataset(page).getByLabel('Upload image folder').setInputFiles(fixture('shapes'));

  await expect(dataset(page).getByText('shapes · 13 images · classes bar, disc')).toBeVisible();
  const grid = dataset(page).getByRole('list', { name: 'Sample images' });
  await expect(grid.getByRole('img', { name: 'sample labelled disc' }).first()).toBeVisible();
  await expect(grid.getByRole('img', { name: 'sample labelled bar' }).first()).toBeVisible();
  await expect(dataset(page).getByRole('list', { name: 'Unreadable files' })).toContainText('shapes/bar/broken.png');
  await expect(dataset(page).getByLabel('Fields')).toHaveText('x [28, 28, 1] f32 · label [] i32');

  await dataset(page).getByLabel('Width').fill('12');
  await dataset(page).getByLabel('Width').press('Enter');
  await dataset(page).getByLabel('Height').fill('12');
  await dataset(page).getByLabel('Height').press('Enter');
  await expect(dataset(page).getByLabel('Fields')).toHaveText('x [12, 12, 1] f32 · label [] i32');
  const warning = dataset(page).getByRole('note', { name: 'Inputs that do not fit the data' });
  await expect(warning).toContainText('the data holds [12, 12, 1] f32');
  await warning.getByRole('button', { name: 'Fit Input shapes to the data' }).click();
  await expect(warning).toHaveCount(0);
  await panel(page).getByLabel('Batch size').fill('4');
  await panel(page).getByLabel('Batch size').press('Enter');

  await trainAndSeeLoss(page);
  await panel(page).screenshot({ path: testInfo.outputPath('data-images-light-panel.png') });
  await page.getByRole('button', { name: 'Toggle dark theme' }).click();
  await panel(page).screenshot({ path: testInfo.outputPath('data-images-dark-panel.png') });
});

test('built-in sets preview as a scatter (spirals) and a digit grid (MNIST)', async ({ page }, testInfo) => {
  await page.goto('/');
  await openTemplate(page, 'Two spirals classifier');
  await expect(dataset(page).getByRole('img', { name: /Scatter of 512 points/ })).toBeVisible();
  await openTemplate(page, 'Keras-style MLP classifier (MNIST)');
  const grid = dataset(page).getByRole('list', { name: 'Sample images' });
  await expect(grid.getByRole('img', { name: 'sample labelled 7' }).first()).toBeVisible({ timeout: 20_000 });
  await expect(dataset(page).getByLabel('Split sizes')).toHaveText('8,000 training / 2,000 validation');
  await panel(page).screenshot({ path: testInfo.outputPath('data-mnist-light-panel.png') });
  await dataset(page).getByLabel('Dataset', { exact: true }).selectOption('iris');
  await expect(dataset(page).getByRole('region', { name: 'Sample rows' }).getByRole('cell', { name: 'setosa' }).first()).toBeVisible();
  await page.getByRole('button', { name: 'Toggle dark theme' }).click();
  await panel(page).screenshot({ path: testInfo.outputPath('data-iris-dark-panel.png') });
});

test('a Latin-1 CSV shows "café" in the preview; a 1,000,000-column header is refused with the limit and the page stays usable', async ({ page }, testInfo) => {
  await page.goto('/');
  await openTemplate(page, 'Two spirals classifier');
  await dataset(page).getByLabel('Dataset', { exact: true }).selectOption('csv');
  // Saved by an older spreadsheet: é is the single byte 0xE9, which is not valid UTF-8.
  const latin1 = Buffer.from('drink,price,kind\ncafé,2,hot\nthé,3,hot\njus,4,cold\ncrème,5,hot\n', 'latin1');
  await dataset(page).getByLabel('Upload CSV file').setInputFiles({ name: 'drinks.csv', mimeType: 'text/csv', buffer: latin1 });

  await expect(dataset(page).getByText('drinks.csv · 4 rows · 3 columns')).toBeVisible();
  const rows = dataset(page).getByRole('region', { name: 'Sample rows' });
  await expect(rows.getByRole('cell', { name: 'café', exact: true })).toBeVisible();
  await expect(rows.getByRole('cell', { name: 'crème', exact: true })).toBeVisible();
  await expect(dataset(page).getByRole('list', { name: 'How the data was prepared' })).toContainText(
    'the file was read as Latin-1/Windows-1252 (it is not valid UTF-8)',
  );
  await expect(dataset(page).getByText(/caf\uFFFD/)).toHaveCount(0);
  await panel(page).screenshot({ path: testInfo.outputPath('data-latin1-light-panel.png') });

  const header = Array.from({ length: 1_000_000 }, (_v, i) => `c${i}`).join(',');
  const wide = Buffer.from(`${header}\n${'1,'.repeat(999_999)}1\n`);
  await dataset(page).getByLabel('Upload CSV file').setInputFiles({ name: 'wide.csv', mimeType: 'text/csv', buffer: wide });
  await expect(dataset(page).getByRole('alert')).toContainText(
    'wide.csv: line 1: the header has 1,000,000 columns, more than the 2,048 a CSV dataset may have',
    { timeout: 30_000 },
  );
  // The page and the worker still answer: the earlier upload's preview is still there and a new choice takes effect.
  await expect(rows.getByRole('cell', { name: 'café', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Toggle dark theme' }).click();
  await panel(page).screenshot({ path: testInfo.outputPath('data-wide-refused-dark-panel.png') });
  await dataset(page).getByLabel('Dataset', { exact: true }).selectOption('xor');
  await expect(dataset(page).getByRole('img', { name: /Scatter of/ })).toBeVisible({ timeout: 15_000 });
});
