import { readFile } from 'node:fs/promises';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { GraphDocument } from '../engine/graph/document';
import { canvasNode as node } from './studio';

// Node ids that are Object.prototype's names are ids like any other: they drag, save and open again.
test.use({ viewport: { width: 1600, height: 900 } });

const summary = (page: Page) => page.getByRole('region', { name: 'Graph summary' });

/** Input → Dense → ReLU → Dense → loss, every id a member of Object.prototype, and one more Input for the target. */
const DOC = {
  format: 'wiregrad.graph',
  version: 1,
  meta: { name: 'prototype ids' },
  training: {},
  nodes: [
    { id: 'constructor', type: 'Input', params: { field: 'x', shape: [4] }, position: { x: 0, y: 0 } },
    { id: 'toString', type: 'Dense', params: { units: 8 }, position: { x: 280, y: 0 } },
    { id: 'valueOf', type: 'ReLU', params: {}, position: { x: 560, y: 0 } },
    { id: 'hasOwnProperty', type: 'Dense', params: { units: 1 }, position: { x: 840, y: 0 } },
    { id: 'isPrototypeOf', type: 'Input', params: { field: 'y', shape: [1] }, position: { x: 840, y: 260 } },
    { id: '__proto__', type: 'MSELoss', params: {}, position: { x: 1120, y: 120 } },
  ],
  edges: [
    { id: 'constructor.y->toString.x', from: { node: 'constructor', port: 'y' }, to: { node: 'toString', port: 'x' } },
    { id: 'toString.y->valueOf.x', from: { node: 'toString', port: 'y' }, to: { node: 'valueOf', port: 'x' } },
    { id: 'valueOf.y->hasOwnProperty.x', from: { node: 'valueOf', port: 'y' }, to: { node: 'hasOwnProperty', port: 'x' } },
    { id: 'hasOwnProperty.y->__proto__.pred', from: { node: 'hasOwnProperty', port: 'y' }, to: { node: '__proto__', port: 'pred' } },
    { id: 'isPrototypeOf.y->__proto__.target', from: { node: 'isPrototypeOf', port: 'y' }, to: { node: '__proto__', port: 'target' } },
  ],
};

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error('element is not visible');
  return b;
}

/** Drags a node by its title bar with the mouse, in small steps, as a person would. */
async function drag(page: Page, target: Locator, dx: number, dy: number) {
  const head = await box(target.locator('.gnode-head'));
  const start = { x: head.x + head.width / 2, y: head.y + head.height / 2 };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(start.x + (dx * i) / 10, start.y + (dy * i) / 10);
  await page.mouse.up();
}

test('@production nodes with ids like constructor and __proto__ open, drag, save and open again', async ({ page }) => {
  await page.goto('/');
  await page
    .getByLabel('Open graph file')
    .setInputFiles({ name: 'prototype-ids.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(DOC)) });
  await expect(summary(page)).toContainText('6 nodes');
  await expect(summary(page)).toContainText('5 edges');
  for (const n of DOC.nodes) await expect(node(page, n.id)).toBeVisible();
  await expect(node(page, 'toString')).toContainText('[32, 8]');

  // Drag constructor down and __proto__ up; both move, on screen and in the document.
  const ctor = node(page, 'constructor');
  const proto = node(page, '__proto__');
  const ctorBefore = await box(ctor);
  const protoBefore = await box(proto);
  await drag(page, ctor, 40, 120);
  await expect.poll(async () => (await box(ctor)).y - ctorBefore.y).toBeGreaterThan(60);
  await drag(page, proto, -60, -80);
  await expect.poll(async () => protoBefore.y - (await box(proto)).y).toBeGreaterThan(40);
  const ctorAfter = await box(ctor);
  const protoAfter = await box(proto);

  // Save: what is written has finite positions where the nodes were dropped, and is a valid document.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save' }).click();
  const path = await (await downloading).path();
  const text = await readFile(path, 'utf8');
  const saved = GraphDocument.safeParse(JSON.parse(text));
  expect(saved.success, saved.error?.message).toBe(true);
  const position = (id: string) => saved.data!.nodes.find((n) => n.id === id)!.position;
  for (const n of saved.data!.nodes) expect(Number.isFinite(n.position.x) && Number.isFinite(n.position.y), n.id).toBe(true);
  expect(position('constructor').y).toBeGreaterThan(60);
  expect(position('__proto__').y).toBeLessThan(120 - 40);
  expect(position('toString')).toEqual({ x: 280, y: 0 });
  expect(saved.data!.edges).toHaveLength(5);

  // Open what was saved, after a new document: the dragged nodes come back where they were dropped.
  await page.getByRole('button', { name: 'New' }).click();
  await expect(summary(page)).toContainText('0 nodes');
  await page.getByLabel('Open graph file').setInputFiles(path);
  await expect(summary(page)).toContainText('6 nodes');
  await expect(page.locator('.notices [role="status"]')).toContainText('Opened');
  // Opening frames the graph (a new zoom), so compare the direction from one node to the other.
  const slope = (c: { x: number; y: number }, p: { x: number; y: number }) => (c.y - p.y) / (c.x - p.x);
  const dropped = slope(ctorAfter, protoAfter);
  await expect.poll(async () => Math.abs(slope(await box(ctor), await box(proto)) - dropped)).toBeLessThan(0.02);
});
