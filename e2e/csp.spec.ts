// The production build's Content-Security-Policy (issue 17): opening, training, probing and uploading a
// CSV cause no violation — none reported to the page (`securitypolicyviolation`), none in the console.
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { panel } from './studio';

test.use({ viewport: { width: 1600, height: 1000 } });
test.describe.configure({ timeout: 240_000 });

const fixture = (p: string) => fileURLToPath(new URL(`./fixtures/data/${p}`, import.meta.url));
const dataset = (page: Page) => panel(page).getByRole('region', { name: 'Dataset' });
const step = async (page: Page) => Number(await panel(page).getByLabel('step', { exact: true }).textContent());

/** Every CSP violation the page (and its workers, through the console) reports, as text. */
async function watchViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content[- ]Security[- ]Policy/i.test(m.text())) seen.push(`console: ${m.text()}`);
  });
  await page.exposeFunction('reportCspViolation', (line: string) => void seen.push(line));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { reportCspViolation(l: string): void }).reportCspViolation(
        `${e.violatedDirective}: ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`,
      );
    });
  });
  return seen;
}

test('@production-only no CSP violation while opening, training, probing and uploading a CSV', async ({ page }) => {
  const violations = await watchViolations(page);
  const response = await page.goto('/');
  // The header `vite preview` sends (as a host should) and the built page's own <meta> carry the policy.
  expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'/);
  // The policy is there (else a clean run proves nothing), and it forbids eval and inline scripts
  // ('wasm-unsafe-eval' allows compiling WebAssembly, the WASM backend's kernels, and nothing else).
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval';");
  expect(policy).not.toContain("'unsafe-eval'");

  await page.getByRole('button', { name: /Templates/ }).click();
  await page.getByRole('menuitem', { name: 'Two spirals classifier' }).click();
  await panel(page)
    .getByRole('button', { name: /^(Train|Resume)$/ })
    .click();
  await expect.poll(() => step(page), { timeout: 90_000, intervals: [250] }).toBeGreaterThan(5);
  await panel(page).getByRole('button', { name: 'Pause' }).click();
  await expect(panel(page).getByRole('button', { name: 'Resume' })).toBeEnabled();

  await page.locator('.react-flow__node[data-id="hidden1"] .gnode-title').click();
  const probe = page.getByRole('region', { name: 'Probe Hidden 1' });
  await probe.getByRole('combobox', { name: 'Tensor' }).selectOption({ label: 'kernel' });
  await expect(probe.getByRole('img', { name: /kernel value histogram/ })).toBeVisible({ timeout: 30_000 });

  await dataset(page).getByLabel('Dataset', { exact: true }).selectOption('csv');
  await dataset(page).getByLabel('Upload CSV file').setInputFiles(fixture('points.csv'));
  await expect(dataset(page).getByText('points.csv · 60 rows · 4 columns')).toBeVisible({ timeout: 30_000 });

  await page.waitForTimeout(500);
  expect(violations).toEqual([]);
});
