/**
 * Fusion checked without a GPU: the CPU backend runs the schedule's fused plan (the one WebGPU
 * renders) and, with `fused: false`, one reference kernel per op. Every graph here runs both ways
 * and must agree bit for bit (NaN, ±Inf and -0 included), while the fused plan really fuses. The
 * shared cases (engine/testing/fusionCases.ts) run on the WASM and WebGPU backends too.
 */
import { describe, expect, it } from 'vitest';
import { Graph } from '../../compile/graph';
import { Program } from '../../compile/program';
import { schedule } from '../../compile/schedule/schedule';
import { OpBuilder } from '../../ops/builder';
import type { makeDoc } from '../../testing/docs';
import {
  everyElementwiseOp,
  fusionFeeds as feedsOf,
  matmulEpilogues,
  mlpTraining,
  multiOutputGroup,
  reductionMidway,
  reductionsWithEpilogues,
} from '../../testing/fusionCases';
import type { Data, RunSpec } from '../backend';
import { CpuBackend, type CpuBackendOptions } from './backend';
import { runReduce } from './fused';

/** Run `graph` once on a CPU backend with these options; every output. */
async function runCpu(options: CpuBackendOptions, graph: Graph, spec: RunSpec, feeds: ReadonlyMap<string, Data>): Promise<Data[]> {
  const exec = await new CpuBackend(options).prepare(graph, spec);
  exec.run(feeds);
  return Promise.all(spec.outputs.map((o) => exec.read(o)));
}

/** Fused and unfused CPU runs agree exactly on every output (f32 and f64 storage); returns how many kernels each plan runs. */
async function agree(graph: Graph, spec: RunSpec, feeds: ReadonlyMap<string, Data>, fusionBufferLimit = 8): Promise<{ fused: number; unfused: number }> {
  for (const precision of ['f32', 'f64'] as const) {
    const fused = await runCpu({ precision, fusionBufferLimit }, graph, spec, feeds);
    const plain = await runCpu({ precision, fused: false }, graph, spec, feeds);
    plain.forEach((e, k) => expect(Array.from(fused[k]!), `output ${k} (${precision})`).toEqual(Array.from(e)));
  }
  // Constants are written once when prepared: they are no kernel of a run.
  const run = (fuse: boolean) =>
    schedule(graph, spec, { fuse, fuseReductions: true, maxStorageBuffers: fusionBufferLimit }).kernels.filter((k) => k.kind !== 'constant').length;
  return { fused: run(true), unfused: run(false) };
}

describe('fused CPU kernels agree with the per-op reference', () => {
  it('a group with broadcasting, literals, a scalar chain, bool and i32 members and several outputs', async () => {
    const { graph: g, spec } = multiOutputGroup();
    // One kernel, plus one that stores the retained scalar chain (the big kernel recomputes it), when 16 buffers may bind.
    const counts = await agree(g, spec, feedsOf(g, true), 16);
    expect(counts.fused).toBe(2);
    // At WebGPU's default limit of 8 the group splits in two.
    expect((await agree(g, spec, feedsOf(g, true))).fused).toBe(3);
    expect(counts.unfused).toBeGreaterThanOrEqual(15);
  });

  it('every elementwise op of the expression table, fused into chains with NaN, ±Inf, ±0 and broadcasting', async () => {
    const { graph: g, spec } = everyElementwiseOp();
    const counts = await agree(g, spec, feedsOf(g, true));
    expect(counts.fused).toBeLessThan(counts.unfused / 2);
  });

  it('a reduction midway splits a chain (the group is written before the reduction reads it)', async () => {
    const { graph: g, spec } = reductionMidway();
    expect((await agree(g, spec, feedsOf(g))).fused).toBe(3);
  });

  it('matmul epilogues (bias, activation, literal operand) forward and backward', async () => {
    const { graph: g, spec } = matmulEpilogues({ activation: 'leaky_relu', backward: true });
    const plan = schedule(g, spec);
    expect(plan.kernels.filter((k) => k.kind === 'gemm').length).toBeGreaterThanOrEqual(2);
    await agree(g, spec, feedsOf(g));
  });

  it('sum, mean and max with fused prologues and epilogues: every axis layout, keepdims, broadcast loads, NaN and ±Inf', async () => {
    const { graph: g, spec } = reductionsWithEpilogues({ literal: true });
    const plan = schedule(g, spec, { fuseReductions: true });
    expect(plan.kernels.map((k) => (k.kind === 'op' ? k.node.op : k.kind))).toEqual(['reduce', 'reduce', 'reduce', 'reduce', 'full', 'mean', 'elementwise']);
    const counts = await agree(g, spec, feedsOf(g, true));
    expect(counts.unfused).toBeGreaterThanOrEqual(16);
    // Without edge values too (no NaN hiding a wrong epilogue).
    await agree(g, spec, feedsOf(g));
  });

  it('a dropped or doubled epilogue changes the result (the comparison can fail)', async () => {
    const g = new Graph();
    const b = new OpBuilder(g);
    const x = g.input('x', [4, 6], 'f32');
    const out = b.add(b.mul(b.sum(b.square(x), [1]), b.scalar(3)), b.scalar(1));
    const spec = { outputs: [out], updates: [] };
    const feeds = feedsOf(g);
    const [reference] = await runCpu({ fused: false }, g, spec, feeds);
    const k = schedule(g, spec, { fuseReductions: true }).kernels[0]!;
    if (k.kind !== 'reduce') throw new Error('not fused');
    const ctx = new CpuBackend().kernelContext;
    const reads = [{ data: feeds.get('x')!, shape: [4, 6], dtype: 'f32' as const }];
    expect(Array.from(runReduce(k, reads, ctx))).toEqual(Array.from(reference!));
    // The epilogue applied to its own result: expression j ≥ 1 again at n − 1 + j, reading the first result where it read acc.
    const { exprs, result } = k.epilogue;
    const n = exprs.length;
    const again = exprs.slice(1).map((e) => (e.kind === 'op' ? { ...e, args: e.args.map((a) => (a === 0 ? result : n - 1 + a)) } : e));
    const twice = { ...k, epilogue: { exprs: [...exprs, ...again], result: n - 1 + result } };
    const dropped = { ...k, epilogue: { exprs: [{ kind: 'acc' as const }], result: 0 } };
    for (const wrong of [twice, dropped]) expect(Array.from(runReduce(wrong, reads, ctx))).not.toEqual(Array.from(reference!));
  });

  it('a group split by the binding limit', async () => {
    const g = new Graph();
    const b = new OpBuilder(g);
    const xs = Array.from({ length: 9 }, (_v, i) => g.input(`x${i}`, [33], 'f32'));
    const out = xs.reduce((acc, v, i) => (i % 2 ? b.add(acc, b.mul(v, acc)) : b.sub(acc, v)));
    const spec = { outputs: [out], updates: [] };
    const fused = await runCpu({ fusionBufferLimit: 4 }, g, spec, feedsOf(g));
    const plain = await runCpu({ fused: false }, g, spec, feedsOf(g));
    expect(Array.from(fused[0]!)).toEqual(Array.from(plain[0]!));
    expect(schedule(g, spec, { maxStorageBuffers: 4 }).kernels.length).toBeGreaterThan(2);
  });
});

describe('training runs fused and unfused alike', () => {
  /** Train `doc` for a few steps on CPU backends with and without fusion; every weight and loss agrees exactly. */
  async function trainBoth(doc: ReturnType<typeof makeDoc>, batch: Record<string, Data>, steps: number): Promise<void> {
    const programs = await Promise.all([{}, { fused: false }].map((o) => Program.create(doc, new CpuBackend(o))));
    for (let s = 0; s < steps; s++) {
      const [a, b] = await Promise.all(programs.map((p) => p.step(batch)));
      expect(a).toBe(b);
    }
    const [wa, wb] = await Promise.all(programs.map((p) => p.getWeights()));
    expect(Object.keys(wa!).length).toBeGreaterThan(0);
    for (const name of Object.keys(wb!)) expect(Array.from(wa![name]!), name).toEqual(Array.from(wb![name]!));
  }

  it('an MLP with Adam (epilogues, the fused update, the loss)', async () => {
    const { doc, batch } = mlpTraining();
    await trainBoth(doc, batch, 4);
  });
});
