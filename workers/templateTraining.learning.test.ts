/**
 * The data templates learn: trained by the worker's Trainer on the CPU backend, with the worker's dataset
 * loader (MNIST from the binary scripts/build-data.mjs writes), judged on the held-out validation split.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GraphDocument } from '../engine/graph/document';
import { buildData } from '../scripts/build-data.mjs';
import { createBestBackend } from './backends';
import { DatasetLoader } from './datasets';
import { Trainer } from './trainer';
import type { ValidationPoint } from './types';
import { memoryUploadStore } from './uploads';
import { mlpMnist } from '../engine/graph/templates/mlpMnist';
import { twoSpirals } from '../engine/graph/templates/twoSpirals';

const dir = mkdtempSync(join(tmpdir(), 'wiregrad-templates-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function trainToEnd(doc: GraphDocument): Promise<ValidationPoint> {
  const mnist = buildData(dir);
  const loader = new DatasetLoader({
    fetchAsset: async () => new Uint8Array(readFileSync(mnist)),
    uploads: memoryUploadStore(),
    decodeImage: () => Promise.reject(new Error('no images here')),
  });
  const trainer = new Trainer({ createBackend: () => createBestBackend('cpu'), loadDataset: (d) => loader.forDocument(d) });
  const report = await trainer.open(doc);
  expect(report.errors).toEqual([]);
  const validation: ValidationPoint[] = [];
  let error: string | undefined;
  await trainer.train((e) => {
    if (e.type === 'validation') validation.push(e.point);
    if (e.type === 'error') error = e.error.message;
  });
  while (trainer.status.state === 'running') await new Promise((r) => setTimeout(r, 10));
  expect(error).toBeUndefined();
  expect(trainer.status.state).toBe('done');
  return validation[validation.length - 1]!;
}

describe('data templates train to their documented accuracy (CPU backend)', () => {
  it('Keras-style MLP: ≥ 92% validation accuracy on MNIST after one epoch over 8,000 digits', async () => {
    // Budget: all 10,000 digits, validationSplit 0.2 → 8,000 training / 2,000 validation; 1 epoch of
    // batch 32 (250 Adam steps, lr 1e-3) ≈ 15 s of CPU on one core. The template itself runs 5 epochs.
    const doc = mlpMnist.build();
    doc.training = { ...doc.training, dataset: { kind: 'mnist' }, epochs: 1, batchSize: 32, lr: 1e-3, validationSplit: 0.2, seed: 42 };
    const last = await trainToEnd(doc);
    expect(last.metrics.accuracy).toBeGreaterThanOrEqual(0.92);
  }, 120_000);

  it('two spirals classifier: ≥ 95% validation accuracy with the template as shipped (512 points, 200 epochs)', async () => {
    const last = await trainToEnd(twoSpirals.build());
    expect(last.metrics.accuracy).toBeGreaterThanOrEqual(0.95);
  }, 120_000);
});
