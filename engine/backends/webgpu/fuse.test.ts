/**
 * Fusion against the CPU reference: fused kernels (elementwise groups with several outputs,
 * broadcasting, scalar chains, literals, NaN/Inf; matmul epilogues; the Adam update) compute what
 * the unfused ops compute, with fewer dispatches; groups respect the binding limit and never run
 * after a reader of their results.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Graph, type ValueId } from '../../compile/graph';
import { OpBuilder } from '../../ops/builder';
import type { Backend, Data, RunSpec } from '../backend';
import { CpuBackend } from '../cpu/backend';
import type { WebGpuBackend } from './backend';
import type { WebGpuExecutable } from './executable';
import { planFusion } from '../../compile/schedule/fusion';
import { fusionFeeds, matmulEpilogues, multiOutputGroup, reductionMidway, reductionsWithEpilogues } from '../../testing/fusionCases';
import { expectClose, gpuBackend, mlpTrainingStep, valuesFor } from './testing';

let fused: WebGpuBackend;
let plain: WebGpuBackend;
beforeAll(async () => {
  fused = await gpuBackend({ fusionBufferLimit: 16 }); // as many as Dawn offers here; the default stops at 8
  plain = await gpuBackend({ fuse: false });
});
afterAll(() => {
  fused?.dispose();
  plain?.dispose();
});

/** Run `graph` once on `backend` and read every output. */
async function runOn(backend: Backend, graph: Graph, spec: RunSpec, feeds: Map<string, Data>): Promise<{ values: Data[]; dispatches?: number }> {
  const exec = await backend.prepare(graph, spec);
  exec.run(feeds);
  const values = await Promise.all(spec.outputs.map((o) => exec.read(o)));
  const dispatches = (exec as Partial<WebGpuExecutable>).dispatchesPerRun;
  exec.dispose();
  return { values, ...(dispatches !== undefined ? { dispatches } : {}) };
}

/** Fused GPU, unfused GPU and CPU on one graph: every output agrees; returns the dispatch counts. */
async function compare(graph: Graph, spec: RunSpec, feeds: Map<string, Data>, tol = { rtol: 1e-5, atol: 1e-6 }): Promise<{ fused: number; unfused: number }> {
  const cpu = await runOn(new CpuBackend(), graph, spec, feeds);
  const a = await runOn(fused, graph, spec, feeds);
  const b = await runOn(plain, graph, spec, feeds);
  cpu.values.forEach((e, k) => {
    expectClose(a.values[k]!, e, `fused output ${k}`, tol.rtol, tol.atol);
    expectClose(b.values[k]!, e, `unfused output ${k}`, tol.rtol, tol.atol);
  });
  return { fused: a.dispatches!, unfused: b.dispatches! };
}

describe('elementwise groups', () => {
  it('fuses a chain with broadcasting, literals, a scalar chain, bool and i32 members into one kernel with several outputs', async () => {
    const { graph: g, spec } = multiOutputGroup();
    const counts = await compare(g, spec, fusionFeeds(g), { rtol: 1e-5, atol: 1e-6 });
    // One kernel, plus one that stores the retained scalar chain (the big kernel recomputes it per thread).
    expect(counts.fused).toBe(2);
    expect(counts.unfused).toBeGreaterThanOrEqual(15);
  });

  it('carries NaN and ±Inf through fused maths exactly as the CPU does', async () => {
    const g = new Graph();
    const b = new OpBuilder(g);
    const x = g.input('x', [12], 'f32');
    const out = [
      b.log(b.sqrt(x)),
      b.relu(x),
      b.maximum(x, b.scalar(0)),
      b.div(b.scalar(1), x),
      b.tanh(b.mul(x, x)),
      b.sigmoid(x),
      b.pow(x, b.scalar(2)),
      b.minimum(b.exp(x), b.full([12], Infinity)),
    ].reduce((acc, v) => b.add(acc, v));
    const values = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 2.5, -3, 1e-30, 80, -80];
    await compare(g, { outputs: [out], updates: [] }, new Map([['x', Float32Array.from(values)]]), { rtol: 1e-4, atol: 1e-5 });
  });

  it('never runs a group after a reader of its results: a reduction midway splits the chain', async () => {
    const { graph: g, spec } = reductionMidway();
    const counts = await compare(g, spec, fusionFeeds(g));
    // mul·exp, sum, then mul·div·log·add (log of the [3, 1] sums recomputed along each row).
    expect(counts.fused).toBe(3);
  });

  it('splits a group that would bind more storage buffers than the device allows', async () => {
    const g = new Graph();
    const b = new OpBuilder(g);
    const xs = Array.from({ length: 9 }, (_v, i) => g.input(`x${i}`, [33], 'f32'));
    const out = xs.reduce((acc, v, i) => (i % 2 ? b.add(acc, b.mul(v, acc)) : b.sub(acc, v)));
    const spec = { outputs: [out], updates: [] };
    const schedule = g.nodes;
    for (const limit of [4, 5, 12]) {
      const work = planFusion(g, schedule, new Set([out]), { maxStorageBuffers: limit });
      for (const w of work) expect(w.reads.length + w.writes.length).toBeLessThanOrEqual(limit);
      if (limit === 12) expect(work.length).toBe(1); // one kernel when everything fits
      if (limit === 4) expect(work.length).toBeGreaterThan(2);
    }
    const small = await gpuBackend({ fusionBufferLimit: 4 });
    try {
      const feeds = new Map<string, Data>(xs.map((_x, i) => [`x${i}`, valuesFor({ shape: [33] }, 10 + i)]));
      const cpu = await runOn(new CpuBackend(), g, spec, feeds);
      const gpu = await runOn(small, g, spec, feeds);
      expectClose(gpu.values[0]!, cpu.values[0]!, 'split group', 1e-5, 1e-6);
      expect(gpu.dispatches).toBeGreaterThan(2);
    } finally {
      small.dispose();
    }
  });
});

describe('matmul epilogues', () => {
  it('folds bias add and activation into the matmul (plain and transposed B), as on the CPU', async () => {
    // Two kernels: relu(x·w + bias), then leaky_relu(y·wᵀ − 0.5) (transposed B, a literal operand).
    const { graph: g, spec } = matmulEpilogues({ activation: 'leaky_relu', backward: false });
    const counts = await compare(g, spec, fusionFeeds(g));
    expect(counts.fused).toBe(2);
    expect(counts.unfused).toBe(7);
  });
});

describe('reductions with fused prologues and epilogues', () => {
  it('sum, mean and max over every axis layout, with broadcast loads, literals, bool/i32 members, NaN and ±Inf, as the CPU computes', async () => {
    const { graph: g, spec } = reductionsWithEpilogues({ literal: false });
    for (const edges of [false, true]) {
      const counts = await compare(g, spec, fusionFeeds(g, edges), { rtol: 1e-5, atol: 1e-5 });
      expect(counts.fused).toBe(4); // one dispatch per reduction
      expect(counts.unfused).toBeGreaterThanOrEqual(16);
    }
  });

  it('a few large outputs (the workgroup tree): a gradient norm and a per-column statistic with their epilogues', async () => {
    const g = new Graph();
    const b = new OpBuilder(g);
    const x = g.input('x', [96, 40], 'f32');
    const k = g.input('k', [1, 40], 'f32');
    const norm = b.sqrt(b.add(b.sum(b.square(x)), b.scalar(1e-6)));
    const cols = b.mul(b.neg(b.mean(b.mul(x, k), [0], true)), b.scalar(2)); // [1, 40]: 40 outputs, one thread each
    const rows = b.exp(b.max(b.abs(x), [1])); // 96 outputs
    const big = g.input('big', [4, 3000], 'f32');
    const perRow = b.log(b.sum(b.exp(b.mul(big, b.scalar(0.01))), [1])); // 4 outputs of 3000: the workgroup tree
    const feeds = new Map<string, Data>([
      ['x', valuesFor({ shape: [96, 40] }, 6)],
      ['k', valuesFor({ shape: [1, 40] }, 7)],
      ['big', valuesFor({ shape: [4, 3000] }, 8)],
    ]);
    const counts = await compare(g, { outputs: [norm, cols, rows, perRow], updates: [] }, feeds, { rtol: 2e-5, atol: 1e-5 });
    expect(counts.fused).toBe(4);
  });
});

describe('a training step', () => {
  it('runs the MLP Adam step with far fewer dispatches, tracking the CPU for 5 steps', async () => {
    const cpu = new CpuBackend();
    const steps = [cpu, fused, plain].map((backend) => ({ backend, step: mlpTrainingStep(backend) }));
    const execs = await Promise.all(steps.map(({ backend, step }) => backend.prepare(step.graph, step.spec)));
    for (let s = 0; s < 5; s++) {
      execs.forEach((e, k) => e.run(steps[k]!.step.feeds(s)));
      const [lc, lf, lp] = await Promise.all(execs.map((e, k) => e.read(steps[k]!.step.loss)));
      expectClose(lf!, lc!, `fused loss at step ${s}`, 1e-4, 1e-6);
      expectClose(lp!, lc!, `unfused loss at step ${s}`, 1e-4, 1e-6);
    }
    for (const name of steps[0]!.step.params.flatMap((p) => [p, `${p}:m`, `${p}:v`])) {
      const expected = await cpu.readVariable(name);
      expectClose(await fused.readVariable(name), expected, `fused ${name}`, 1e-3, 1e-5);
      expectClose(await plain.readVariable(name), expected, `unfused ${name}`, 1e-3, 1e-5);
    }
    const [, f, p] = execs as [unknown, WebGpuExecutable, WebGpuExecutable];
    // Adam: m, v and the parameter of each of the 4 parameters in one kernel each, not ~20 ops each.
    expect(f.dispatchesPerRun).toBeLessThan(p.dispatchesPerRun / 2);
    const work = planFusion(
      steps[1]!.step.graph,
      steps[1]!.step.graph.nodes,
      new Set([...steps[1]!.step.spec.outputs, ...steps[1]!.step.spec.updates.map((u) => u.value)]),
      { maxStorageBuffers: 12 },
    );
    for (const name of steps[0]!.step.params) {
      const values = steps[1]!.step.spec.updates.filter((u) => u.name === name || u.name.startsWith(`${name}:`)).map((u) => u.value);
      const writers = work.filter((w) => values.some((v: ValueId) => w.writes.includes(v)));
      expect(writers.length, `kernels writing ${name}'s update`).toBe(1);
    }
    execs.forEach((e) => e.dispose());
  });
});

describe('recomputed scalar chains', () => {
  it('are stored instead of recomputed once they would read more buffers than a kernel may bind (a gradient norm over 12 parameters)', async () => {
    const graph = new Graph();
    const b = new OpBuilder(graph);
    const xs = Array.from({ length: 12 }, (_v, i) => graph.input(`p${i}`, [5], 'f32'));
    const norm = b.sqrt(xs.map((x) => b.sum(b.square(x))).reduce((acc, v) => b.add(acc, v)));
    const schedule = graph.nodes;
    const work = planFusion(graph, schedule, new Set([norm]), { maxStorageBuffers: 8 });
    for (const w of work) expect(w.reads.length + w.writes.length).toBeLessThanOrEqual(8);
    // And the default GPU backend (8 buffers per fused kernel) computes it as the CPU does.
    const gpu = await gpuBackend();
    try {
      const feeds = new Map<string, Data>(xs.map((_x, i) => [`p${i}`, valuesFor({ shape: [5] }, i) as Float32Array]));
      const results = await Promise.all(
        [new CpuBackend(), gpu].map(async (backend: Backend) => {
          const exec = await backend.prepare(graph, { outputs: [norm], updates: [] } satisfies RunSpec);
          exec.run(feeds);
          return exec.read(norm);
        }),
      );
      expect(results[0]![0]).toBeGreaterThan(0);
      expectClose(results[1]!, results[0]!, 'gradient norm over 12 parameters', 1e-5, 1e-5);
    } finally {
      gpu.dispose();
    }
  });
});
