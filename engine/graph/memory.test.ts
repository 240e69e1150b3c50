import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backends/cpu/backend';
import { compileTraining, Program } from '../compile/program';
import { builtinDataset, gatherBatch } from '../data';
import { sizeOf } from '../ops/shape';
import { makeDoc } from '../testing/docs';
import type { GraphDocument } from './document';
import {
  datasetBudgetError,
  DEFAULT_MEMORY_LIMITS,
  estimateMemory,
  formatBytes,
  memoryErrors,
  memoryLimitsFor,
  PAGE_MEMORY_BUDGET,
  slotsPerParameter,
  type MemoryLimits,
} from './memory';
import { TEMPLATES } from './templates';
import { OptimizerConfig } from './training';

const CPU: MemoryLimits = memoryLimitsFor({ kind: 'cpu' });

/** Input [inputs] → Dense(units, relu) → MSE against y [units], random data. */
function denseDoc(
  opts: { inputs?: number; units?: number; batchSize?: number; size?: number; optimizer?: Record<string, unknown>; trainable?: boolean } = {},
): GraphDocument {
  const { inputs = 4, units = 3, batchSize = 2, size = 10, optimizer = { type: 'adam' }, trainable } = opts;
  const doc = makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [inputs] }],
      ['d', 'Dense', { units, activation: 'relu' }],
      ['t', 'Input', { field: 'y', shape: [units] }],
      ['loss', 'MSELoss'],
    ],
    ['x.y -> d.x', 'd.y -> loss.pred', 't.y -> loss.target'],
    { batchSize, optimizer, dataset: { kind: 'random', inputShape: [inputs], targetShape: [units], size } },
  );
  return trainable === undefined ? doc : { ...doc, nodes: doc.nodes.map((n) => (n.id === 'd' ? { ...n, trainable } : n)) };
}

describe('memory estimate, against byte counts worked out by hand', () => {
  it("counts a Dense layer's parameters, gradients, Adam's two slots and its activations", () => {
    const m = estimateMemory(denseDoc());
    // kernel [4, 3] + bias [3] = 15 floats = 60 bytes; Adam keeps m and v.
    // Forward at batch 2: matmul [2, 3], + bias [2, 3], relu [2, 3] = 3 × 24 bytes.
    expect(m.nodes.get('d')).toMatchObject({ parameters: 60, gradients: 60, optimizer: 120, activations: 72, total: 312 });
    expect(m.nodes.get('d')!.largest).toEqual({ what: 'its kernel [4, 3]', bytes: 48 });
    // The Input nodes hold the fed batch: [2, 4] and [2, 3].
    expect(m.nodes.get('x')).toMatchObject({ parameters: 0, activations: 32, total: 32 });
    expect(m.nodes.get('t')).toMatchObject({ activations: 24 });
    // 10 samples of x [4] and y [3].
    expect(m.dataset).toMatchObject({ bytes: 10 * 7 * 4, setting: 'size' });
    const loss = m.nodes.get('loss')!.total;
    expect(m.total).toBe(312 + 32 + 24 + loss + 280);
    expect({ parameters: m.parameters, gradients: m.gradients, optimizer: m.optimizer }).toEqual({ parameters: 60, gradients: 60, optimizer: 120 });
  });

  it('keeps no gradient and no slots for a frozen node, and none for SGD without momentum', () => {
    expect(estimateMemory(denseDoc({ trainable: false })).nodes.get('d')).toMatchObject({ parameters: 60, gradients: 0, optimizer: 0 });
    expect(estimateMemory(denseDoc({ optimizer: { type: 'sgd' } })).nodes.get('d')).toMatchObject({ gradients: 60, optimizer: 0 });
    expect(estimateMemory(denseDoc({ optimizer: { type: 'sgd', momentum: 0.9 } })).nodes.get('d')).toMatchObject({ optimizer: 60 });
  });

  it("counts the slots each optimizer really makes (the compiler's slot variables)", () => {
    const configs = [
      { type: 'sgd' },
      { type: 'sgd', momentum: 0.9 },
      { type: 'adam' },
      { type: 'adamw' },
      { type: 'rmsprop' },
      { type: 'rmsprop', momentum: 0.5 },
      { type: 'adagrad' },
    ];
    for (const raw of configs) {
      const doc = denseDoc({ optimizer: raw, units: 5, inputs: 7 });
      const compiled = compileTraining(doc);
      const elements = (kind: string) => compiled.variables.filter((v) => v.kind === kind).reduce((n, v) => n + sizeOf(v.shape), 0);
      const m = estimateMemory(doc);
      expect(m.optimizer, JSON.stringify(raw)).toBe(elements('slot') * 4);
      expect(m.parameters).toBe(compiled.variables.filter((v) => v.node !== undefined && v.kind !== 'slot').reduce((n, v) => n + sizeOf(v.shape), 0) * 4);
      expect(slotsPerParameter(OptimizerConfig.parse(raw)) * m.gradients).toBe(m.optimizer);
    }
  });

  it('counts the forward values the compiled step computes (ops before its backward pass, and its inputs)', () => {
    for (const t of TEMPLATES) {
      const doc = t.build(new Date(0));
      const compiled = compileTraining(doc);
      let forward = 0;
      for (const n of compiled.graph.nodes) {
        if (n.id >= compiled.phases.backwardFrom) break;
        if (n.kind === 'op' || n.kind === 'input') forward += sizeOf(n.type.shape) * 4;
      }
      const m = estimateMemory(doc);
      // The compiler adds a few scalars of its own (summed loss, step counter, NaN latch …).
      expect(Math.abs(m.activations - forward), t.id).toBeLessThanOrEqual(64);
      expect(m.activations).toBeGreaterThan(0);
    }
  });

  it('sizes the datasets the document describes', () => {
    const ds = (dataset: Record<string, unknown>) => estimateMemory(makeDoc([], [], { dataset })).dataset;
    expect(ds({ kind: 'spirals', size: 100 })).toMatchObject({ bytes: 100 * 3 * 4 });
    expect(ds({ kind: 'mnist' })).toMatchObject({ bytes: 10_000 * 785 * 4, setting: 'subset' });
    expect(ds({ kind: 'mnist', subset: 1e9 })).toMatchObject({ bytes: 10_000 * 785 * 4 });
    expect(ds({ kind: 'iris' })).toMatchObject({ bytes: 150 * 5 * 4 });
    expect(ds({ kind: 'csv', name: 'a.csv', label: 'y' })).toBeUndefined();
  });
});

describe('the estimate against what the CPU backend really allocates', () => {
  /** Bytes of every typed array the CPU backend allocates while a Program is created and trains one step. */
  async function allocatedBytes(doc: GraphDocument): Promise<number> {
    const backend = new CpuBackend();
    const ctx = backend.kernelContext as { alloc: typeof backend.kernelContext.alloc };
    const alloc = ctx.alloc.bind(ctx);
    let bytes = 0;
    ctx.alloc = (dtype, size) => {
      const data = alloc(dtype, size);
      bytes += data.byteLength;
      return data;
    };
    const program = await Program.create(doc, backend);
    const data = builtinDataset(doc.training.dataset, doc.training.seed);
    const indices = Array.from({ length: doc.training.batchSize }, (_, i) => i % data.length);
    await program.step(gatherBatch(data, indices));
    program.dispose();
    return bytes;
  }

  // create + one step allocates the variables, the step's every value (no buffer reused) and the
  // new parameters and slots: at least the estimate, and at most ALLOCATION_FACTOR times it.
  // Measured: 2.3× (two-layer net, SGD), 2.9× (Dense, SGD), 3.4× (CNN, RMSprop), 3.9× (Dense, Adam: its
  // update makes several parameter-sized temporaries).
  const ALLOCATION_FACTOR = 4.5;
  const cases: [string, GraphDocument][] = [
    ['Dense 64 → 32, Adam', denseDoc({ inputs: 64, units: 32, batchSize: 16, size: 32 })],
    ['Dense 256 → 512, SGD', denseDoc({ inputs: 256, units: 512, batchSize: 8, size: 16, optimizer: { type: 'sgd' } })],
    [
      'CNN: Conv2D, BatchNorm, Dense, RMSprop',
      makeDoc(
        [
          ['x', 'Input', { field: 'x', shape: [8, 8, 2] }],
          ['c', 'Conv2D', { filters: 4, kernelSize: 3, activation: 'relu' }],
          ['bn', 'BatchNorm'],
          ['f', 'Flatten'],
          ['d', 'Dense', { units: 5 }],
          ['t', 'Input', { field: 'y', shape: [5] }],
          ['loss', 'MSELoss'],
        ],
        ['x.y -> c.x', 'c.y -> bn.x', 'bn.y -> f.x', 'f.y -> d.x', 'd.y -> loss.pred', 't.y -> loss.target'],
        { batchSize: 4, optimizer: { type: 'rmsprop' }, dataset: { kind: 'random', inputShape: [8, 8, 2], targetShape: [5], size: 8 } },
      ),
    ],
    ['MLP 2-layer net (the template)', TEMPLATES.find((t) => t.id !== 'lenet' && t.build().training.dataset.kind === 'random')!.build(new Date(0))],
  ];
  it.each(cases)(`%s: allocations lie between 1× and ${ALLOCATION_FACTOR}× the estimate`, async (_name, doc) => {
    const estimate = estimateMemory(doc);
    const graphBytes = estimate.total - (estimate.dataset?.bytes ?? 0); // the CPU keeps the dataset outside the backend
    const allocated = await allocatedBytes(doc);
    const ratio = allocated / graphBytes;
    expect(ratio).toBeGreaterThanOrEqual(1);
    expect(ratio).toBeLessThanOrEqual(ALLOCATION_FACTOR);
  });
});

describe('refusals', () => {
  it('refuses a Dense of 1e9 units on WebGPU: its kernel is over one buffer, with the byte count', () => {
    const doc = denseDoc({ units: 1e9 });
    const errors = memoryErrors(doc, estimateMemory(doc), DEFAULT_MEMORY_LIMITS);
    const onNode = errors.filter((e) => e.node === 'd');
    expect(onNode).toHaveLength(1);
    // kernel [4, 1e9] floats = 16e9 bytes.
    expect(onNode[0]!.message).toBe(
      'Node "d": its kernel [4, 1000000000] needs 14.9 GB (16,000,000,000 bytes) in one buffer; this WebGPU device holds at most 128 MB per buffer (maxStorageBufferBindingSize).',
    );
  });

  it("refuses it on the CPU against the page-memory budget, with the node's bytes", () => {
    const doc = denseDoc({ units: 1e9 });
    const m = estimateMemory(doc);
    const errors = memoryErrors(doc, m, CPU).filter((e) => e.node === 'd');
    expect(errors).toHaveLength(1);
    // params 5e9 floats (20e9 bytes), gradients as many, Adam 2×; activations 3 × [2, 1e9] = 24e9 bytes.
    expect(m.nodes.get('d')!.total).toBe(20e9 * 4 + 24e9);
    expect(errors[0]!.message).toContain('needs 96.9 GB (104,000,000,000 bytes)');
    expect(errors[0]!.message).toContain(`the memory budget is ${formatBytes(PAGE_MEMORY_BUDGET)}`);
  });

  it("uses the adapter's own limits once the worker reports them", () => {
    const doc = denseDoc({ inputs: 1000, units: 50_000 }); // kernel 200 MB
    const small = memoryLimitsFor({ kind: 'webgpu' });
    const big = memoryLimitsFor({ kind: 'webgpu', limits: { maxBufferSize: 1 << 30, maxStorageBufferBindingSize: 1 << 30 } });
    expect(memoryErrors(doc, estimateMemory(doc), small).map((e) => e.node)).toContain('d');
    expect(memoryErrors(doc, estimateMemory(doc), big)).toEqual([]);
  });

  it('refuses a dataset too big for the budget, naming the dataset setting', () => {
    const doc = denseDoc({ size: 1e9 });
    const errors = memoryErrors(doc, estimateMemory(doc), DEFAULT_MEMORY_LIMITS);
    expect(errors).toEqual([
      {
        code: 'schema',
        path: 'training.dataset.size',
        message:
          'The dataset setting "size" (random data: 1,000,000,000 samples of [4] and [3]) needs 26.1 GB (28,000,000,000 bytes); the memory budget is 2.0 GB. Choose a smaller dataset.',
      },
    ]);
  });

  it('refuses the dataset setting alone (before a preview is generated), and not one that fits', () => {
    const doc = denseDoc({ size: 1e9 });
    expect(datasetBudgetError(doc.training.dataset)).toEqual(memoryErrors(doc, estimateMemory(doc), DEFAULT_MEMORY_LIMITS)[0]);
    expect(datasetBudgetError(denseDoc({ size: 1e6 }).training.dataset)).toBeUndefined();
  });

  it('blames the node taking the most when no one part is over the budget but the whole is', () => {
    const doc = denseDoc({ inputs: 2000, units: 20_000 }); // each tensor under 256 MB; the node's total over a 500 MB budget
    const m = estimateMemory(doc);
    const errors = memoryErrors(doc, m, { backend: 'cpu', budget: m.total - 1 });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.node).toBe('d');
    expect(errors[0]!.message).toContain('this node takes the most');
  });

  it('lets every template train within the defaults', () => {
    for (const t of TEMPLATES) {
      const doc = t.build(new Date(0));
      expect(memoryErrors(doc, estimateMemory(doc), DEFAULT_MEMORY_LIMITS), t.id).toEqual([]);
    }
  });
});

describe('formatBytes', () => {
  it('reads as people read sizes (1 KB = 1,024 bytes)', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1023)).toBe('1023 bytes');
    expect(formatBytes(1024)).toBe('1.0 KB');
    expect(formatBytes(1.2 * 1024 * 1024)).toBe('1.2 MB');
    expect(formatBytes(128 * 1024 * 1024)).toBe('128 MB');
    expect(formatBytes(2 * 1024 ** 3)).toBe('2.0 GB');
  });
});
