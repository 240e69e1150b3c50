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
import { gradients } from '../../compile/autodiff';
import { Graph, type ValueId } from '../../compile/graph';
import { Program } from '../../compile/program';
import { schedule } from '../../compile/schedule/schedule';
import { EXPRESSIONS, type ElementwiseOp } from '../../compile/schedule/expressions';
import { OpBuilder } from '../../ops/builder';
import { Rng } from '../../ops/random';
import { sizeOf } from '../../ops/shape';
import type { DType, Shape } from '../../ops/types';
import { makeDoc } from '../../testing/docs';
import type { Data, RunSpec } from '../backend';
import { CpuBackend } from '../cpu/backend';
import { WasmBackend } from './backend';

/** Deterministic values: uniform [-2, 2) with edge values mixed in (f32), small integers (i32), 0/1 (bool). */
function values(shape: Shape, dtype: DType, seed: number, edges = false): Data {
  const rng = new Rng(seed);
  const n = sizeOf(shape);
  const special = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 1e-30, 80, -80];
  if (dtype === 'i32') return Int32Array.from({ length: n }, () => rng.int(9) - 4);
  if (dtype === 'bool') return Uint8Array.from({ length: n }, () => rng.int(2));
  return Float32Array.from({ length: n }, (_v, i) => (edges && i % 3 === 0 ? special[(i / 3) % special.length]! : 4 * rng.next() - 2));
}

const feedsOf = (graph: Graph, edges = false) =>
  new Map(graph.nodes.flatMap((n, k) => (n.kind === 'input' ? [[n.name, values(n.type.shape, n.type.dtype, 10 + k, edges)] as const] : [])));

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
    const g = new Graph();
    const b = new OpBuilder(g);
    const x = g.input('x', [4, 5], 'f32');
    const y = g.input('y', [5], 'f32');
    const z = g.input('z', [4, 1], 'f32');
    const k = g.input('k', [], 'f32');
    const n = g.input('n', [4, 5], 'i32');
    const scale = b.sub(b.scalar(1), b.mul(k, k));
    const m = b.mul(b.scale(x, 0.5), scale);
    const root = b.sqrt(b.abs(y));
    const picked = b.where(b.greater(x, y), b.exp(b.sub(m, z)), b.add(root, b.neg(z)));
    const counted = b.add(b.cast(b.mul(n, b.scalar(3, 'i32')), 'f32'), picked);
    const out = b.sigmoid(b.add(counted, b.full([4, 5], 0.25)));
    const spec = { outputs: [out, m, scale, root], updates: [] };
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
    const g = new Graph();
    const b = new OpBuilder(g);
    const x = g.input('x', [6, 7], 'f32');
    const y = g.input('y', [7], 'f32');
    const i = g.input('i', [6, 7], 'i32');
    const j = g.input('j', [6, 1], 'i32');
    const outs: ValueId[] = [];
    for (const op of Object.keys(EXPRESSIONS) as ElementwiseOp[]) {
      const e = EXPRESSIONS[op];
      const fx = b.mul(x, b.scalar(1.5));
      const fi = b.add(i, j);
      if (op === 'cast') outs.push(b.cast(fx, 'i32'), b.cast(b.cast(fi, 'f32'), 'bool'), b.cast(b.greater(fx, y), 'f32'));
      else if (op === 'where') outs.push(b.where(b.less(fx, y), fx, b.neg(y)));
      else if (op === 'reshape') outs.push(b.exp(g.emit('reshape', [fx], { shape: [7, 6] })));
      else if (op === 'broadcast_to') outs.push(b.add(g.emit('broadcast_to', [b.neg(y)], { shape: [6, 7] }), fx));
      else if (op === 'stop_gradient') outs.push(b.add(g.emit('stop_gradient', [fx], {}), x));
      else if (e.arity === 2) {
        outs.push(g.emit(op, [fx, y], {} as never));
        if (op !== 'pow') outs.push(g.emit(op, [fi, b.sub(j, b.scalar(1, 'i32'))], {} as never));
      } else {
        const attrs = op === 'leaky_relu' || op === 'elu' ? { alpha: 0.3 } : {};
        outs.push(g.emit(op, [fx], attrs as never));
        if (['neg', 'abs', 'sign'].includes(op)) outs.push(g.emit(op, [fi], {} as never));
      }
    }
    await agreesWithReference(g, { outputs: outs, updates: [] }, feedsOf(g, true));
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
    const g = new Graph();
    const b = new OpBuilder(g);
    const x = g.input('x', [9, 13], 'f32');
    const w = g.input('w', [13, 6], 'f32');
    const bias = g.input('bias', [6], 'f32');
    const y = b.relu(b.add(b.matmul(x, w), bias));
    const z = b.relu(b.sub(b.matmul(y, w, false, true), b.scalar(0.5)));
    const loss = b.sum(b.mul(z, z));
    const grads = gradients(g, loss, [x, w, bias]);
    const spec = { outputs: [z, loss, ...[x, w, bias].map((v) => grads.get(v)!)], updates: [] };
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
    const doc = makeDoc(
      [
        ['x', 'Input', { field: 'x', shape: [12], dtype: 'f32' }],
        ['d1', 'Dense', { units: 16, activation: 'relu' }],
        ['d2', 'Dense', { units: 4 }],
        ['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
        ['loss', 'SoftmaxCrossEntropy', { labels: 'sparse' }],
      ],
      ['x.y -> d1.x', 'd1.y -> d2.x', 'd2.y -> loss.pred', 'label.y -> loss.target'],
      { dataset: { kind: 'random', inputShape: [12], targetShape: [4], size: 8, seed: 1 }, optimizer: { type: 'adam' }, lr: 0.01, batchSize: 8, seed: 1 },
    );
    const batch = { x: values([8, 12], 'f32', 1), label: Int32Array.from([0, 1, 2, 3, 3, 2, 1, 0]) };
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
