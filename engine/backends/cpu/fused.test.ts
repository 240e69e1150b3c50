/**
 * Fusion checked without a GPU: the CPU backend runs the schedule's fused plan (the one WebGPU
 * renders) and, with `fused: false`, one reference kernel per op. Every graph here runs both ways
 * and must agree bit for bit (NaN, ±Inf and -0 included), while the fused plan really fuses.
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
import { CpuBackend, type CpuBackendOptions } from './backend';
import { runReduce } from './fused';

/** Deterministic values: uniform [-2, 2) with some edge values mixed in (f32), small integers (i32), 0/1 (bool). */
function values(shape: Shape, dtype: DType, seed: number, edges = false): Data {
  const rng = new Rng(seed);
  const n = sizeOf(shape);
  const special = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 1e-30, 80, -80];
  if (dtype === 'i32') return Int32Array.from({ length: n }, () => rng.int(9) - 4);
  if (dtype === 'bool') return Uint8Array.from({ length: n }, () => rng.int(2));
  return Float32Array.from({ length: n }, (_v, i) => (edges && i % 3 === 0 ? special[(i / 3) % special.length]! : 4 * rng.next() - 2));
}

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

const feedsOf = (graph: Graph, edges = false) =>
  new Map(graph.nodes.flatMap((n, k) => (n.kind === 'input' ? [[n.name, values(n.type.shape, n.type.dtype, 10 + k, edges)] as const] : [])));

describe('fused CPU kernels agree with the per-op reference', () => {
  it('a group with broadcasting, literals, a scalar chain, bool and i32 members and several outputs', async () => {
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
    // One kernel, plus one that stores the retained scalar chain (the big kernel recomputes it), when 16 buffers may bind.
    const counts = await agree(g, { outputs: [out, m, scale, root], updates: [] }, feedsOf(g, true), 16);
    expect(counts.fused).toBe(2);
    // At WebGPU's default limit of 8 the group splits in two.
    expect((await agree(g, { outputs: [out, m, scale, root], updates: [] }, feedsOf(g, true))).fused).toBe(3);
    expect(counts.unfused).toBeGreaterThanOrEqual(15);
  });

  it('every elementwise op of the expression table, fused into chains with NaN, ±Inf, ±0 and broadcasting', async () => {
    const g = new Graph();
    const b = new OpBuilder(g);
    const x = g.input('x', [6, 7], 'f32');
    const y = g.input('y', [7], 'f32');
    const i = g.input('i', [6, 7], 'i32');
    const j = g.input('j', [6, 1], 'i32');
    const outputs: ValueId[] = [];
    for (const op of Object.keys(EXPRESSIONS) as ElementwiseOp[]) {
      const e = EXPRESSIONS[op];
      // Each op reads a fused value (so it is a member, not a group of its own) in f32, and i32 where it takes one.
      const fx = b.mul(x, b.scalar(1.5));
      const fi = b.add(i, j);
      if (op === 'cast') outputs.push(b.cast(fx, 'i32'), b.cast(b.cast(fi, 'f32'), 'bool'), b.cast(b.greater(fx, y), 'f32'));
      else if (op === 'where') outputs.push(b.where(b.less(fx, y), fx, b.neg(y)));
      else if (op === 'reshape') outputs.push(b.exp(g.emit('reshape', [fx], { shape: [7, 6] })));
      else if (op === 'broadcast_to') outputs.push(b.add(g.emit('broadcast_to', [b.neg(y)], { shape: [6, 7] }), fx));
      else if (op === 'stop_gradient') outputs.push(b.add(g.emit('stop_gradient', [fx], {}), x));
      else if (e.arity === 2) {
        outputs.push(g.emit(op, [fx, y], {} as never));
        if (!['pow', 'div'].includes(op) || op === 'div') outputs.push(g.emit(op, [fi, b.sub(j, b.scalar(1, 'i32'))], {} as never));
      } else {
        const attrs = op === 'leaky_relu' || op === 'elu' ? { alpha: 0.3 } : {};
        outputs.push(g.emit(op, [fx], attrs as never));
        if (['neg', 'abs', 'sign'].includes(op)) outputs.push(g.emit(op, [fi], {} as never));
      }
    }
    const counts = await agree(g, { outputs, updates: [] }, feedsOf(g, true));
    expect(counts.fused).toBeLessThan(counts.unfused / 2);
  });

  it('a reduction midway splits a chain (the group is written before the reduction reads it)', async () => {
    const g = new Graph();
    const b = new OpBuilder(g);
    const x = g.input('x', [3, 7], 'f32');
    const a = b.exp(b.scale(x, 0.5));
    const s = b.sum(a, [1], true);
    const out = b.add(b.div(b.mul(a, b.scalar(2)), s), b.log(s));
    expect((await agree(g, { outputs: [out], updates: [] }, feedsOf(g))).fused).toBe(3);
  });

  it('matmul epilogues (bias, activation, literal operand) forward and backward', async () => {
    const g = new Graph();
    const b = new OpBuilder(g);
    const x = g.input('x', [9, 13], 'f32');
    const w = g.input('w', [13, 6], 'f32');
    const bias = g.input('bias', [6], 'f32');
    const y = b.relu(b.add(b.matmul(x, w), bias));
    const z = b.leakyRelu(b.sub(b.matmul(y, w, false, true), b.scalar(0.5)), 0.1);
    const loss = b.sum(b.mul(z, z));
    const grads = gradients(g, loss, [x, w, bias]);
    const spec = { outputs: [z, loss, ...[x, w, bias].map((v) => grads.get(v)!)], updates: [] };
    const plan = schedule(g, spec);
    expect(plan.kernels.filter((k) => k.kind === 'gemm').length).toBeGreaterThanOrEqual(2);
    await agree(g, spec, feedsOf(g));
  });

  it('sum, mean and max with fused prologues and epilogues: every axis layout, keepdims, broadcast loads, NaN and ±Inf', async () => {
    const g = new Graph();
    const b = new OpBuilder(g);
    const x = g.input('x', [3, 4, 5], 'f32');
    const y = g.input('y', [4, 5], 'f32');
    const c = g.input('c', [3, 1, 5], 'f32');
    const d = g.input('d', [5], 'f32');
    const label = g.input('label', [3, 4, 5], 'i32');
    const outputs = [
      // Prologue with a broadcast load, epilogue with a literal and a broadcast load (sum over the middle axis).
      b.add(b.mul(b.sum(b.mul(b.sub(x, y), b.exp(x)), [1], true), b.scalar(-3)), c),
      // Non-adjacent axes (the CPU transposes them to the end), keepdims false, mean, epilogue only.
      b.sqrt(b.abs(b.mean(x, [0, 2]))),
      // max propagating NaN, a bool/i32 prologue member, a two-step epilogue reading d.
      b.tanh(b.sub(b.max(b.where(b.greater(label, b.scalar(0, 'i32')), x, b.neg(x)), [0, 1]), d)),
      // Everything reduced to a scalar: a retained sum keeps its prologue only.
      b.sum(b.square(x)),
      // A literal reduced (it is written for the reduction, which runs alone), its result in a prologue-less epilogue.
      b.exp(b.neg(b.mean(b.full([2, 3], 1.5), [1]))),
    ];
    const spec = { outputs, updates: [] };
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
    await trainBoth(doc, { x: values([8, 12], 'f32', 1), label: Int32Array.from([0, 1, 2, 3, 3, 2, 1, 0]) }, 4);
  });
});
