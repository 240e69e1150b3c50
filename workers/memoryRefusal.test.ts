/** The worker refuses a document that cannot fit before it allocates anything, with the page's own message. */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/backends/cpu/backend';
import { builtinDataset, type Dataset } from '../engine/data';
import type { GraphDocument } from '../engine/graph/document';
import { estimateMemory, memoryErrors, memoryLimitsFor } from '../engine/graph/memory';
import { makeDoc } from '../engine/testing/docs';
import { Trainer } from './trainer';
import type { BackendInfo } from './types';

function denseDoc(units: number, size = 64): GraphDocument {
  return makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [4] }],
      ['d', 'Dense', { units }],
      ['t', 'Input', { field: 'y', shape: [units] }],
      ['loss', 'MSELoss'],
    ],
    ['x.y -> d.x', 'd.y -> loss.pred', 't.y -> loss.target'],
    { batchSize: 8, dataset: { kind: 'random', inputShape: [4], targetShape: [units], size } },
  );
}

/** A trainer on the CPU backend reporting `info`, counting the datasets it loads and the variables it creates. */
function trainer(info: BackendInfo) {
  const backend = new CpuBackend();
  const counts = { datasets: 0, variables: 0 };
  const create = backend.createVariable.bind(backend);
  backend.createVariable = (...args) => {
    counts.variables++;
    create(...args);
  };
  const t = new Trainer({
    createBackend: async () => ({ backend, info }),
    loadDataset: async (doc: GraphDocument): Promise<Dataset> => {
      counts.datasets++;
      return builtinDataset(doc.training.dataset, doc.training.seed);
    },
  });
  return { t, counts };
}

const cpu: BackendInfo = { kind: 'cpu', device: 'CPU' };

describe('the worker refuses what cannot fit, before allocating', () => {
  it('a Dense of 1e9 units: refused with the same message the page shows, nothing loaded or created', async () => {
    const { t, counts } = trainer(cpu);
    const doc = denseDoc(1e9);
    const report = await t.open(doc);
    expect(report.ok).toBe(false);
    const expected = memoryErrors(doc, estimateMemory(doc), memoryLimitsFor(cpu));
    expect(expected.length).toBeGreaterThan(0);
    expect(report.errors[0]).toEqual(expected[0]);
    expect(report.errors[0]!.node).toBe('d');
    expect(report.errors[0]!.message).toMatch(/bytes\).*the memory budget is 2\.0 GB/);
    expect(counts).toEqual({ datasets: 0, variables: 0 });
  });

  it('a dataset size too big: refused naming the dataset setting', async () => {
    const { t, counts } = trainer(cpu);
    const report = await t.open(denseDoc(3, 1e9));
    expect(report.ok).toBe(false);
    expect(report.errors[0]).toMatchObject({ path: 'training.dataset.size' });
    expect(report.errors[0]!.message).toContain('The dataset setting "size"');
    expect(counts).toEqual({ datasets: 0, variables: 0 });
  });

  it('checks WebGPU documents against the limits the backend reports', async () => {
    // A [4, 100000] kernel is 1.5 MB: over a device that allows 1 MB per buffer, not over the defaults.
    const tiny: BackendInfo = { kind: 'webgpu', device: 'test', limits: { maxBufferSize: 1 << 20, maxStorageBufferBindingSize: 1 << 20 } };
    const { t } = trainer(tiny);
    const report = await t.open(denseDoc(100_000, 16));
    expect(report.ok).toBe(false);
    expect(report.errors[0]!.message).toContain('holds at most 1.0 MB per buffer (maxStorageBufferBindingSize)');
  });

  it('refuses a hot edit that cannot fit, and keeps the run it has', async () => {
    const { t } = trainer(cpu);
    expect((await t.open(denseDoc(3))).ok).toBe(true);
    const small = denseDoc(3);
    const huge = { ...small, nodes: small.nodes.map((n) => (n.id === 'd' ? { ...n, params: { ...n.params, units: 1e9 } } : n)) };
    const update = await t.update(huge);
    expect(update.applied).toBe('invalid');
    expect(update.errors[0]).toEqual(memoryErrors(huge, estimateMemory(huge), memoryLimitsFor(cpu))[0]);
  });
});
