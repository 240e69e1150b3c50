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
import type { KernelOptions, TuneReport } from './kernel';
import { GEMM_VARIANTS } from './kernels/gemm';
import { matmulKey } from './kernels/matmul';
import { expectClose, gpuBackend, runGraph, type TestInput } from './testing';
import { CpuBackend } from '../cpu/backend';

/** Big enough to be tuned (the tuner skips tiny GEMMs). */
const A: TestInput = { shape: [96, 256] };
const B: TestInput = { shape: [64, 256] };
const KEY = matmulKey([{ shape: A.shape, dtype: 'f32' }, { shape: B.shape, dtype: 'f32' }], false, true);
const build = (b: OpBuilder<number>, [x, y]: number[]) => b.matmul(x!, y!, false, true);

async function prepareOnce(backend: Backend): Promise<void> {
  const graph = new Graph();
  const b = new OpBuilder(graph);
  const out = build(b, [graph.input('x0', A.shape, 'f32'), graph.input('x1', B.shape, 'f32')]);
  (await backend.prepare(graph, { outputs: [out], updates: [] })).dispose();
}

describe('the GEMM tuner', () => {
  it('measures a matmul once, keeps the fastest variant, and reuses it (same backend, then same store)', async () => {
    const reports: TuneReport[] = [];
    const options: KernelOptions = { tune: true, tuneStore: memoryTuneStore(), onTune: (r) => reports.push(r) }; // tune: true, as CI's adapter is SwiftShader
    const gpu = await gpuBackend(options);
    try {
      await prepareOnce(gpu);
      expect(reports.map((r) => r.key)).toEqual([KEY]);
      const [report] = reports;
      const timed = Object.entries(report!.ms) as [string, number][];
      expect(timed.length).toBeGreaterThanOrEqual(1);
      expect(timed.every(([v, ms]) => (GEMM_VARIANTS as readonly string[]).includes(v) && ms > 0)).toBe(true);
      expect(report!.ms[report!.chosen]).toBe(Math.min(...timed.map(([, ms]) => ms)));
      expect(gpu.options.tuned?.get(KEY)).toBe(report!.chosen);

      await prepareOnce(gpu); // same graph again: nothing measured
      expect(reports).toHaveLength(1);
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
