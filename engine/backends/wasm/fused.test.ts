/**
 * The WASM backend's fused kernels (fused.ts) against the JS CPU reference backend, one reference
 * kernel per op. Elementwise maths agrees bit for bit (NaN, ±Inf and -0 included): the SIMD row
 * kernels compute the same correctly rounded f32 operations (+ − × ÷ √, min/max with NaN
 * propagating, comparisons, where, casts), and every other op (exp, tanh, pow, i32 and bool maths …)
 * runs the expression table's JS maths, which the reference runs too, so there is no tolerance to
 * state. Only matmul differs (the packed GEMM sums in another order): plans with one are compared
 * bit for bit with the WASM backend's own one-kernel-per-op plan, and within 1e-5 with the reference.
 */
import { describe, expect, it } from 'vitest';
import { Graph } from '../../compile/graph';
import { Program } from '../../compile/program';
import { schedule } from '../../compile/schedule/schedule';
import { OpBuilder } from '../../ops/builder';
import { everyElementwiseOp, fusionFeeds as feedsOf, matmulEpilogues, mlpTraining, multiOutputGroup } from '../../testing/fusionCases';
import type { Data, RunSpec } from '../backend';
import { CpuBackend } from '../cpu/backend';
import { WasmBackend } from './backend';

const wasm = WasmBackend.createSync();
const wasmUnfused = WasmBackend.createSync({ fuse: false });

/** Every output of one run of `graph` on `backend` (run twice: the second run reuses the arena and the prepared programs). */
async function outputs(backend: CpuBackend | WasmBackend, graph: Graph, spec: RunSpec, feeds: ReadonlyMap<string, Data>): Promise<number[][]> {
  const exec = await backend.prepare(graph, spec);
  exec.run(feeds);
  exec.run(feeds);
  const out = await Promise.all(spec.outputs.map(async (o) => Array.from(await exec.read(o))));
  exec.dispose();
  return out;
}

/** The fused WASM run agrees bit for bit with the per-op JS reference; returns the fused plan's kernel count. */
async function agreesWithReference(graph: Graph, spec: RunSpec, feeds: ReadonlyMap<string, Data>): Promise<number> {
  const expected = await outputs(new CpuBackend({ fused: false }), graph, spec, feeds);
  const actual = await outputs(wasm, graph, spec, feeds);
  expected.forEach((e, k) => expect(actual[k], `output ${k}`).toEqual(e));
  return schedule(graph, spec).kernels.length;
}

describe('fused WASM kernels agree with the JS reference', () => {
  it('a multi-output group with broadcasting, literals, a scalar chain, bool and i32 members, NaN and ±Inf', async () => {
    const { graph: g, spec } = multiOutputGroup();
    expect(await agreesWithReference(g, spec, feedsOf(g, true))).toBeLessThan(schedule(g, spec, { fuse: false }).kernels.length / 3);
  });

  it('the scalar log and the non-finite count read fused results as the reference does', async () => {
    const g = new Graph();
    const b = new OpBuilder(g);
    const x = g.input('x', [7, 9], 'f32');
    const y = g.input('y', [9], 'f32');
    const q = b.div(b.exp(b.mul(x, y)), b.sub(x, y)); // ±Inf and NaN from the edge values
    const s = b.sum(b.mul(b.relu(x), y));
    const spec = { outputs: [q, s], updates: [], scalars: [s] };
    const feeds = feedsOf(g, true);
    const results = await Promise.all(
      [new CpuBackend({ fused: false }), wasm].map(async (backend) => {
        const exec = await backend.prepare(g, spec);
        exec.run(feeds);
        exec.run(feeds);
        const counts = await exec.countNonFinite([q, s]);
        return { counts, scalars: (await exec.drainScalars()).map((r) => Array.from(r)) };
      }),
    );
    expect(results[0]!.counts[0]).toBeGreaterThan(3);
    expect(results[1]).toEqual(results[0]);
  });

  it('every elementwise op of the expression table, in chains with NaN, ±Inf, ±0 and broadcasting', async () => {
    const { graph: g, spec } = everyElementwiseOp();
    await agreesWithReference(g, spec, feedsOf(g, true));
  });

  it('broadcasts: a bias over [n, h, w, c] walked flat (blocks over rows), per-row values, smaller stores, long domains', async () => {
    const g = new Graph();
    const b = new OpBuilder(g);
    const x = g.input('x', [3, 9, 11, 6], 'f32'); // 1782 elements: one block; the long one below spans several
    const bias = g.input('bias', [6], 'f32');
    const plane = g.input('plane', [11, 6], 'f32');
    const col = g.input('col', [3, 9, 1, 1], 'f32');
    const long = g.input('long', [40, 257], 'f32');
    const lb = g.input('lb', [257], 'f32');
    const flat = b.relu(b.add(b.mul(x, plane), bias));
    const rows = b.div(b.sub(x, col), b.add(b.abs(col), b.scalar(1)));
    const shifted = b.add(col, b.scalar(2)); // a [3, 9, 1, 1] value stored beside a [3, 9, 11, 6] one
    const both = b.mul(b.add(rows, shifted), b.scalar(0.5));
    const longOut = b.maximum(b.sub(long, lb), b.neg(lb));
    await agreesWithReference(g, { outputs: [flat, rows, shifted, both, longOut], updates: [] }, feedsOf(g, true));
  });

  it('argument order: non-commutative ops read their operands in order (swapped, the results differ)', async () => {
    const g = new Graph();
    const b = new OpBuilder(g);
    const x = g.input('x', [5, 8], 'f32');
    const y = g.input('y', [8], 'f32');
    const c = g.input('c', [5, 8], 'bool');
    const pairs = [
      [b.sub(b.abs(x), y), b.sub(y, b.abs(x))],
      [b.div(b.neg(x), y), b.div(y, b.neg(x))],
      [b.cast(b.less(b.neg(x), y), 'f32'), b.cast(b.less(y, b.neg(x)), 'f32')],
      [b.where(c, b.neg(x), y), b.where(c, y, b.neg(x))],
      [b.pow(b.abs(x), y), b.pow(b.abs(y), x)],
    ];
    const spec = { outputs: pairs.flat(), updates: [] };
    const feeds = feedsOf(g);
    await agreesWithReference(g, spec, feeds);
    // The test has power: each op's swapped form gives other numbers, which the comparison above would catch.
    const ref = await outputs(new CpuBackend({ fused: false }), g, spec, feeds);
    for (let p = 0; p < pairs.length; p++) expect(ref[2 * p], `pair ${p}`).not.toEqual(ref[2 * p + 1]);
  });

  // (leaky_relu stays out of the epilogue here: the per-op SIMD kernel multiplies by alpha rounded
  // to f32, within 1e-6 of the reference (threads.test.ts), while fused code runs the reference's maths.)
  it('GEMM epilogues (bias, activation, literal operand) forward and backward', async () => {
    const { graph: g, spec } = matmulEpilogues({ activation: 'relu', backward: true });
    expect(schedule(g, spec).kernels.filter((k) => k.kind === 'gemm' && k.epilogue.exprs.length > 1).length).toBeGreaterThanOrEqual(2);
    const feeds = feedsOf(g);
    const fused = await outputs(wasm, g, spec, feeds);
    // The same GEMM, then the epilogue fused or op by op: the same bits.
    (await outputs(wasmUnfused, g, spec, feeds)).forEach((e, k) => expect(fused[k], `output ${k} vs unfused WASM`).toEqual(e));
    // Against the reference, the sums' order differs: within 1e-5 of each output's largest magnitude.
    (await outputs(new CpuBackend({ fused: false }), g, spec, feeds)).forEach((e, k) => {
      const scale = Math.max(1, ...e.map(Math.abs));
      e.forEach((v, i) => expect(Math.abs(fused[k]![i]! - v), `output ${k}[${i}]`).toBeLessThanOrEqual(1e-5 * scale));
    });
  });
});

describe('training on fused WASM', () => {
  it('4 MLP Adam steps: bit for bit with the WASM per-op plan, within 1e-6 of the JS reference', async () => {
    const { doc, batch } = mlpTraining();
    const [fused, unfused, ref] = await Promise.all(
      [WasmBackend.createSync(), WasmBackend.createSync({ fuse: false }), new CpuBackend({ fused: false })].map((backend) => Program.create(doc, backend)),
    );
    const losses: number[] = [];
    for (let s = 0; s < 4; s++) {
      const [a, u, r] = [await fused!.step(batch), await unfused!.step(batch), await ref!.step(batch)];
      expect(a, `step ${s} vs per-op WASM`).toBe(u);
      expect(Math.abs(a - r), `step ${s} vs reference`).toBeLessThan(1e-6 * Math.max(1, Math.abs(r)));
      losses.push(a);
    }
    expect(losses[3]).toBeLessThan(losses[0]!); // it trains: not a comparison of constants
    const [wf, wu, wr] = [await fused!.getWeights(), await unfused!.getWeights(), await ref!.getWeights()];
    expect(Object.keys(wf).length).toBe(4);
    for (const name of Object.keys(wr)) {
      expect(Array.from(wf[name]!), name).toEqual(Array.from(wu[name]!));
      wr[name]!.forEach((v, i) => expect(Math.abs(wf[name]![i]! - v), `${name}[${i}]`).toBeLessThan(1e-6));
    }
  });
});
