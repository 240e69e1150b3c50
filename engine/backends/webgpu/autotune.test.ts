/**
 * The GEMM tuner: it measures each distinct matmul once, picks the fastest variant it timed, keeps
 * the choice (a second compile measures nothing; a second backend with the same store neither),
 * and stays out of the way when tuning is off or a variant is forced.
 */
import { describe, expect, it } from 'vitest';
import { Graph } from '../../compile/graph';
import { OpBuilder } from '../../ops/builder';
import type { Backend } from '../backend';
import { memoryTuneStore } from './autotune';
import type { KernelOptions, MatmulVariant, TuneClock, TunedBatch, TuneReport } from './kernel';
import { matmulKey } from './kernels/matmul';
import { expectClose, gpuBackend, runGraph, type TestInput } from './testing';
import { CpuBackend } from '../cpu/backend';

/** Big enough to be tuned (the tuner skips tiny GEMMs). */
const A: TestInput = { shape: [96, 256] };
const B: TestInput = { shape: [64, 256] };
const KEY = matmulKey(
  [
    { shape: A.shape, dtype: 'f32' },
    { shape: B.shape, dtype: 'f32' },
  ],
  false,
  true,
);
const build = (b: OpBuilder<number>, [x, y]: number[]) => b.matmul(x!, y!, false, true);

/**
 * A fake clock: each batch still runs on the GPU, but reads as `reps` × the variant's scripted cost,
 * whatever the machine's load (a real clock once failed this test on a loaded CI machine).
 */
function scriptedClock(cost: Record<MatmulVariant, number>) {
  const batches: TunedBatch[] = [];
  const clock: TuneClock = async (batch, run) => {
    await run();
    batches.push(batch);
    return batch.reps * cost[batch.variant];
  };
  return { clock, batches };
}

async function prepareOnce(backend: Backend): Promise<void> {
  const graph = new Graph();
  const b = new OpBuilder(graph);
  const out = build(b, [graph.input('x0', A.shape, 'f32'), graph.input('x1', B.shape, 'f32')]);
  (await backend.prepare(graph, { outputs: [out], updates: [] })).dispose();
}

describe('the GEMM tuner', () => {
  it('measures a matmul once, keeps the fastest variant, and reuses it (same backend, then same store)', async () => {
    const reports: TuneReport[] = [];
    // register_wide is fastest; split-K is far behind on the thin probe, so it is never tried on real shapes.
    const cost: Record<MatmulVariant, number> = { register: 3, register_wide: 1, workgroup: 2, splitk: 50 };
    const { clock, batches } = scriptedClock(cost);
    // tune: true, as CI's adapter is SwiftShader
    const options: KernelOptions = { tune: true, tuneStore: memoryTuneStore(), onTune: (r) => reports.push(r), clock };
    const gpu = await gpuBackend(options);
    try {
      await prepareOnce(gpu);
      expect(reports.map((r) => r.key)).toEqual([KEY]);
      const [report] = reports;
      expect(report!.ms).toEqual({ register: 3, register_wide: 1, workgroup: 2 });
      expect(report!.chosen).toBe('register_wide');
      expect(gpu.options.tuned?.get(KEY)).toBe('register_wide');
      // The probes timed split-K (thin probe) and dropped it: never timed on the real shape.
      expect(batches.some((b) => b.variant === 'splitk' && b.key === 'probe thin')).toBe(true);
      expect(batches.filter((b) => b.key === KEY).map((b) => b.variant)).not.toContain('splitk');
      const timedBatches = batches.length;
      await prepareOnce(gpu); // same graph again: nothing measured
      expect(reports).toHaveLength(1);
      expect(batches).toHaveLength(timedBatches);
      // The tuned kernel still computes the right thing.
      const [cpu, onGpu] = [await runGraph(new CpuBackend(), [A, B], build, false), await runGraph(gpu, [A, B], build, false)];
      expectClose(onGpu.data[0]!, cpu.data[0]!, `matmul with the tuned ${report!.chosen} variant`, 1e-4, 1e-4);
    } finally {
      gpu.dispose();
    }
    const again = await gpuBackend(options); // a fresh backend on the same adapter and store
    try {
      await prepareOnce(again);
      expect(reports).toHaveLength(1);
      expect(again.options.tuned?.get(KEY)).toBe(reports[0]!.chosen);
    } finally {
      again.dispose();
    }
  });

  it('leaves tuning off by default on a software adapter (SwiftShader, as here), where register tiles are known to win', async () => {
    const reports: TuneReport[] = [];
    const gpu = await gpuBackend({ tuneStore: memoryTuneStore(), onTune: (r) => reports.push(r) });
    try {
      expect(gpu.device).toMatch(/swiftshader/i);
      expect(gpu.options.tune).toBe(false);
      await prepareOnce(gpu);
      expect(reports).toEqual([]);
    } finally {
      gpu.dispose();
    }
  });

  it('measures nothing when tuning is off or a variant is forced', async () => {
    for (const options of [{ tune: false }, { matmul: 'splitk' }] as const) {
      const reports: TuneReport[] = [];
      const gpu = await gpuBackend({ ...options, tuneStore: memoryTuneStore(), onTune: (r) => reports.push(r) });
      try {
        await prepareOnce(gpu);
        expect(reports).toEqual([]);
        expect(gpu.options.tuned?.has(KEY)).toBe(false);
      } finally {
        gpu.dispose();
      }
    }
  });
});
