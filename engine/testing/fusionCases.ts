/**
 * The fusion test cases every backend runs (engine/backends/cpu/fused.test.ts, wasm/fused.test.ts,
 * webgpu/fuse.test.ts): graphs that exercise the schedule's kernels — elementwise groups with several
 * outputs, every op of the expression table, a reduction splitting a chain, GEMM epilogues forward
 * and backward, reductions with prologues and epilogues — and their inputs. Each backend's test
 * compares its fused plan with its reference (bit for bit on the CPU and WASM, within a tolerance on
 * WebGPU) and states what its plan fuses.
 */
import { gradients } from '../compile/autodiff';
import { Graph, type ValueId } from '../compile/graph';
import { EXPRESSIONS, type ElementwiseOp } from '../compile/schedule/expressions';
import type { Data, RunSpec } from '../backends/backend';
import { OpBuilder } from '../ops/builder';
import { Rng } from '../ops/random';
import { sizeOf } from '../ops/shape';
import type { DType, Shape } from '../ops/types';
import { makeDoc } from './docs';

/** A graph and what to run of it. */
export interface FusionCase {
  readonly graph: Graph;
  readonly spec: RunSpec;
}

/** Deterministic values: uniform [-2, 2) with edge values (NaN, ±Inf, ±0, 1e-30, ±80) at every third element when `edges` (f32), small integers (i32), 0/1 (bool). */
export function fusionValues(shape: Shape, dtype: DType, seed: number, edges = false): Data {
  const rng = new Rng(seed);
  const n = sizeOf(shape);
  const special = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 1e-30, 80, -80];
  if (dtype === 'i32') return Int32Array.from({ length: n }, () => rng.int(9) - 4);
  if (dtype === 'bool') return Uint8Array.from({ length: n }, () => rng.int(2));
  return Float32Array.from({ length: n }, (_v, i) => (edges && i % 3 === 0 ? special[(i / 3) % special.length]! : 4 * rng.next() - 2));
}

/** A value for every input of `graph` (seeded by the input's position). */
export const fusionFeeds = (graph: Graph, edges = false): Map<string, Data> =>
  new Map(graph.nodes.flatMap((n, k) => (n.kind === 'input' ? [[n.name, fusionValues(n.type.shape, n.type.dtype, 10 + k, edges)] as const] : [])));

/** One group with broadcasting, literals, a scalar chain, bool and i32 members and four outputs (one smaller than the domain). */
export function multiOutputGroup(): FusionCase {
  const g = new Graph();
  const b = new OpBuilder(g);
  const x = g.input('x', [4, 5], 'f32');
  const y = g.input('y', [5], 'f32');
  const z = g.input('z', [4, 1], 'f32');
  const k = g.input('k', [], 'f32');
  const n = g.input('n', [4, 5], 'i32');
  const scale = b.sub(b.scalar(1), b.mul(k, k)); // a scalar chain, recomputed per element
  const m = b.mul(b.scale(x, 0.5), scale); // retained: a second output
  const root = b.sqrt(b.abs(y)); // retained and smaller than the domain
  const picked = b.where(b.greater(x, y), b.exp(b.sub(m, z)), b.add(root, b.neg(z)));
  const counted = b.add(b.cast(b.mul(n, b.scalar(3, 'i32')), 'f32'), picked);
  const out = b.sigmoid(b.add(counted, b.full([4, 5], 0.25)));
  return { graph: g, spec: { outputs: [out, m, scale, root], updates: [] } };
}

/** Every elementwise op of the expression table, each reading a fused value (so it is a member, not a group of its own), in f32 and in i32 where it takes one. */
export function everyElementwiseOp(): FusionCase {
  const g = new Graph();
  const b = new OpBuilder(g);
  const x = g.input('x', [6, 7], 'f32');
  const y = g.input('y', [7], 'f32');
  const i = g.input('i', [6, 7], 'i32');
  const j = g.input('j', [6, 1], 'i32');
  const outputs: ValueId[] = [];
  for (const op of Object.keys(EXPRESSIONS) as ElementwiseOp[]) {
    const e = EXPRESSIONS[op];
    const fx = b.mul(x, b.scalar(1.5));
    const fi = b.add(i, j);
    if (op === 'cast') outputs.push(b.cast(fx, 'i32'), b.cast(b.cast(fi, 'f32'), 'bool'), b.cast(b.greater(fx, y), 'f32'));
    else if (op === 'where') outputs.push(b.where(b.less(fx, y), fx, b.neg(y)));
    else if (op === 'reshape') outputs.push(b.exp(g.emit('reshape', [fx], { shape: [7, 6] })));
    else if (op === 'broadcast_to') outputs.push(b.add(g.emit('broadcast_to', [b.neg(y)], { shape: [6, 7] }), fx));
    else if (op === 'stop_gradient') outputs.push(b.add(g.emit('stop_gradient', [fx], {}), x));
    else if (e.arity === 2) {
      outputs.push(g.emit(op, [fx, y], {} as never));
      if (op !== 'pow') outputs.push(g.emit(op, [fi, b.sub(j, b.scalar(1, 'i32'))], {} as never));
    } else {
      const attrs = op === 'leaky_relu' || op === 'elu' ? { alpha: 0.3 } : {};
      outputs.push(g.emit(op, [fx], attrs as never));
      if (['neg', 'abs', 'sign'].includes(op)) outputs.push(g.emit(op, [fi], {} as never));
    }
  }
  return { graph: g, spec: { outputs, updates: [] } };
}

/** A reduction midway: the group it reads must be written before it runs, and what follows is another group (3 kernels). */
export function reductionMidway(): FusionCase {
  const g = new Graph();
  const b = new OpBuilder(g);
  const x = g.input('x', [3, 7], 'f32');
  const a = b.exp(b.scale(x, 0.5));
  const s = b.sum(a, [1], true); // reads a
  const later = b.mul(a, b.scalar(2)); // would extend a's group, which is closed
  const out = b.add(b.div(later, s), b.log(s));
  return { graph: g, spec: { outputs: [out], updates: [] } };
}

/**
 * Two matmuls with epilogues (bias + relu; transposed B, a literal operand, then `activation`) and,
 * with `backward`, the gradients of Σz² with respect to x, w and the bias.
 */
export function matmulEpilogues({ activation, backward }: { activation: 'relu' | 'leaky_relu'; backward: boolean }): FusionCase {
  const g = new Graph();
  const b = new OpBuilder(g);
  const x = g.input('x', [9, 13], 'f32');
  const w = g.input('w', [13, 6], 'f32');
  const bias = g.input('bias', [6], 'f32');
  const y = b.relu(b.add(b.matmul(x, w), bias));
  const pre = b.sub(b.matmul(y, w, false, true), b.scalar(0.5));
  const z = activation === 'relu' ? b.relu(pre) : b.leakyRelu(pre, 0.1);
  if (!backward) return { graph: g, spec: { outputs: [z], updates: [] } };
  const loss = b.sum(b.mul(z, z));
  const grads = gradients(g, loss, [x, w, bias]);
  return { graph: g, spec: { outputs: [z, loss, ...[x, w, bias].map((v) => grads.get(v)!)], updates: [] } };
}

/**
 * Sum, mean and max with fused prologues and epilogues over every axis layout: broadcast loads,
 * literals, keepdims, a bool/i32 prologue member, a scalar result; with `literal`, a reduction of a
 * literal too (it runs alone, its result read by a prologue-less epilogue).
 */
export function reductionsWithEpilogues({ literal }: { literal: boolean }): FusionCase {
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
    // Non-adjacent axes, keepdims false, mean, epilogue only.
    b.sqrt(b.abs(b.mean(x, [0, 2]))),
    // max propagating NaN, a bool/i32 prologue member, a two-step epilogue reading d.
    b.tanh(b.sub(b.max(b.where(b.greater(label, b.scalar(0, 'i32')), x, b.neg(x)), [0, 1]), d)),
    // Everything reduced to a scalar: a retained sum keeps its prologue only.
    b.sum(b.square(x)),
  ];
  if (literal) outputs.push(b.exp(b.neg(b.mean(b.full([2, 3], 1.5), [1]))));
  return { graph: g, spec: { outputs, updates: [] } };
}

/** A small classifier (12 → Dense 16 relu → Dense 4, softmax cross-entropy, Adam) and one batch of 8, for training fused and unfused. */
export function mlpTraining(): { doc: ReturnType<typeof makeDoc>; batch: Record<string, Data> } {
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
  return { doc, batch: { x: fusionValues([8, 12], 'f32', 1), label: Int32Array.from([0, 1, 2, 3, 3, 2, 1, 0]) } };
}
