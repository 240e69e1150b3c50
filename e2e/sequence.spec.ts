/**
 * Sequence models as a person uses them (issue 15): upload a text file as a character corpus, drag a
 * multi-head attention and an LSTM from the palette and wire a character model, train it, generate
 * text from the weights it holds, and open the attention probe; a synthetic task with its greedy
 * accuracy. Screenshots light and dark.
 */
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { canvasNode as node, dragFromPalette, panel, screenshots, step, wire } from './studio';

test.use({ viewport: { width: 1600, height: 1000 } });
// Training an attention model on the CPU of a loaded CI machine takes a while.
test.describe.configure({ timeout: 240_000 });

const fixture = (p: string) => fileURLToPath(new URL(`./fixtures/data/${p}`, import.meta.url));
const dataset = (page: Page) => panel(page).getByRole('region', { name: 'Dataset' });
const generation = (page: Page) => page.getByRole('region', { name: 'Generate' });

test.afterEach(async ({ page }, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) {
    await page.screenshot({ path: testInfo.outputPath('failure.png') }).catch(() => undefined);
    console.log(
      await panel(page)
        .innerText()
        .catch(() => 'no panel'),
    );
  }
});

/** Select a node and set its parameters in the inspector (text fields commit on Enter; checkboxes at once). */
async function setParams(page: Page, name: string, params: Record<string, string | boolean>) {
  await node(page, name).locator('.gnode-head').click();
  await expect(page.getByRole('heading', { level: 3, name })).toBeVisible();
  for (const [key, value] of Object.entries(params)) {
    const field = page.getByLabel(key, { exact: true });
    if (typeof value === 'boolean') await field.setChecked(value);
    else if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
    else {
      await field.fill(value);
      await field.press('Enter');
    }
  }
}

test('a character model wired by hand (attention and LSTM) on an uploaded text: train, generate, probe the attention @production', async ({
  page,
}, testInfo) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'New' }).click();

  // The data first: an uploaded .txt, cut into samples of 16 characters.
  await dataset(page).getByLabel('Dataset', { exact: true }).selectOption('text');
  await dataset(page).getByLabel('Text', { exact: true }).selectOption('upload');
  await dataset(page).getByLabel('Upload text file').setInputFiles(fixture('sentences.txt'));
  await expect(dataset(page).getByText('sentences.txt · 2,745 characters · 30 distinct · UTF-8')).toBeVisible({ timeout: 20_000 });
  const context = dataset(page).getByLabel('Context (characters per sample)');
  await context.fill('16');
  await context.press('Enter');
  await expect(dataset(page).getByLabel('Fields')).toHaveText('x [16] i32 · y [16] i32');
  await expect(dataset(page).getByLabel('Vocabulary')).toContainText('Vocabulary: 31 tokens');
  await expect(dataset(page).getByRole('list', { name: 'Sample sequences' }).getByRole('listitem').first()).toHaveText('the cat sat on th');

  // The model: ids → embedding → causal attention → LSTM → logits, loss over every position.
  // Three rows, far enough apart that no drop lands on a node (the canvas centres the first one).
  await dragFromPalette(page, 'input', 'Input', 20, 40);
  await dragFromPalette(page, 'embedding', 'Embedding', 320, 40);
  await dragFromPalette(page, 'attention', 'Multi-head attention', 620, 40);
  await dragFromPalette(page, 'lstm', 'LSTM', 20, 290);
  await dragFromPalette(page, 'dense', 'Dense', 320, 290);
  await dragFromPalette(page, 'sequence cross', 'Sequence cross-entropy', 620, 290);
  await dragFromPalette(page, 'input', 'Input', 20, 540);
  await expect(page.locator('.react-flow__node')).toHaveCount(7);

  await setParams(page, 'Input 2', { field: 'y' });
  await panel(page).getByRole('button', { name: 'Fit Input shapes to the data' }).click();
  await setParams(page, 'Embedding 1', { inputDim: '31', outputDim: '16' });
  await setParams(page, 'Multi-head attention 1', { heads: '2', keyDim: '8', causal: true });
  await setParams(page, 'LSTM 1', { units: '32' });
  await setParams(page, 'Dense 1', { units: '31' });

  const wires: [string, string, string, string][] = [
    ['Input 1', 'y', 'Embedding 1', 'x'],
    ['Embedding 1', 'y', 'Multi-head attention 1', 'q'],
    ['Multi-head attention 1', 'y', 'LSTM 1', 'x'],
    ['LSTM 1', 'y', 'Dense 1', 'x'],
    ['Dense 1', 'y', 'Sequence cross-entropy 1', 'pred'],
    ['Input 2', 'y', 'Sequence cross-entropy 1', 'target'],
  ];
  for (const [i, [from, fromPort, to, toPort]] of wires.entries()) {
    await wire(page, from, fromPort, to, toPort);
    await expect(page.locator('.react-flow__edge')).toHaveCount(i + 1);
  }
  await expect(node(page, 'Dense 1')).toContainText('[32, 16, 31]');
  await expect(page.getByRole('region', { name: 'Graph summary' })).toContainText('Ready to train');

  // A run too long to end while the test watches (the corpus' few epochs end in 40 steps), so Pause below finds it running.
  const length = panel(page).getByLabel('Steps');
  await length.fill('100000');
  await length.press('Enter');
  await panel(page).getByRole('button', { name: 'Train' }).click();
  await expect.poll(() => step(page), { timeout: 120_000 }).toBeGreaterThan(30);

  // Generate while it trains: a prompt, temperature and top-k; the text streams in.
  const gen = generation(page);
  await expect(gen).toBeVisible();
  await gen.getByRole('textbox', { name: /^Prompt/ }).fill('the ');
  await gen.getByLabel('Characters').fill('40');
  await gen.getByRole('button', { name: 'Generate' }).click();
  await expect(gen.getByText(/40 characters from the weights of step \d+/)).toBeVisible({ timeout: 60_000 });
  const text = await gen.getByLabel('Generated text').textContent();
  expect([...text!]).toHaveLength(40);
  // Every generated character is one of the corpus'.
  expect([...text!].every((c) => 'abcdefghijklmnopqrstuvwxyz .,\n\uFFFD'.includes(c))).toBe(true);

  await panel(page).getByRole('button', { name: 'Pause' }).click();
  // The attention probe: click the node, see a heatmap per head for a validation sample.
  await node(page, 'Multi-head attention 1').locator('.gnode-head').click();
  const probe = page.getByRole('group', { name: 'Attention map of Multi-head attention 1' });
  await expect(probe).toBeVisible({ timeout: 15_000 });
  await expect(probe.getByRole('img', { name: /Multi-head attention 1 head 1: 16 queries × 16 keys/ })).toBeVisible();
  await expect(probe.getByRole('img', { name: /head 2: 16 queries × 16 keys/ })).toBeVisible();
  await probe.getByLabel('Or type an input').fill('the dog sat');
  await probe.getByRole('button', { name: 'Show' }).nth(1).click();
  await probe.getByText('Strongest key per query').click();
  // Causal: the first query can only attend to itself.
  await expect(probe.getByRole('listitem').first()).toHaveText(/^1 “t” → 1 “t” \(1\.00\)$/);
  await probe.scrollIntoViewIfNeeded();
  await screenshots(page, testInfo, 'sequence-char-model');
});

test('a synthetic task: choose it, see its sequences, train and read the greedy accuracy @production', async ({ page }, testInfo) => {
  await page.goto('/');
  await page.getByRole('button', { name: /Templates/ }).click();
  await page.getByRole('menuitem', { name: /sort/i }).click();
  await expect(dataset(page).getByLabel('Task')).toHaveValue('sort');
  await expect(dataset(page).getByRole('list', { name: 'Sample sequences' }).getByRole('listitem').first()).toHaveText(/^\d+=\d+$/);
  await panel(page).getByRole('button', { name: 'Train' }).click();
  await expect.poll(() => step(page), { timeout: 120_000 }).toBeGreaterThan(20);
  await panel(page).getByRole('button', { name: 'Pause' }).click();
  const gen = generation(page);
  await gen.getByRole('button', { name: 'Greedy accuracy on validation' }).click();
  await expect(gen.getByLabel('Exact match')).toContainText(/\d+\.\d% exact match \(\d+ of \d+ held-out sequences\)/, { timeout: 60_000 });
  await expect(gen.getByRole('table', { name: 'Decoded answers' }).getByRole('row')).toHaveCount(9);
  await gen.getByRole('button', { name: 'Generate' }).click();
  await expect(gen.getByText(/tokens from the weights of step/)).toBeVisible({ timeout: 60_000 });
  await gen.scrollIntoViewIfNeeded();
  await screenshots(page, testInfo, 'sequence-task');
});
