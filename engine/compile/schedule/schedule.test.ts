/**
 * The schedule without any backend: which nodes fuse into which kernels, what each kernel reads and
 * writes, and how buffer slots are shared — checked against what the graphs demand, in milliseconds.
 */
import { describe, expect, it } from 'vitest';
import { gradients } from '../autodiff';
import { Graph } from '../graph';
import { OpBuilder } from '../../ops/builder';
import { EXPRESSIONS, isElementwise } from './expressions';
import { OP_FAMILY } from './kernels';
import { schedule } from './schedule';

describe('fusion groups', () => {
  it('an elementwise chain is one kernel writing only what leaves it', () => {
    const g = new Graph();
    const b = new OpBuilder(g);
    const x = g.input('x', [4, 5], 'f32');
    const y = g.input('y', [5], 'f32');
    const out = b.tanh(b.add(b.mul(x, b.scalar(2)), y));
    const plan = schedule(g, { outputs: [out], updates: [] });
    expect(plan.kernels.map((k) => k.kind)).toEqual(['elementwise']);
    const [k] = plan.kernels;
    expect(k!.reads).toEqual([x, y]);
    expect(k!.writes).toEqual([out]);
    expect(k!.kind === 'elementwise' && k.domain).toEqual([4, 5]);
    // Unfused: one kernel per op (the literal included).
    expect(schedule(g, { outputs: [out], updates: [] }, { fuse: false }).kernels.length).toBe(4);
  });

  it('a reduction closes the group it reads; the chain after it is a new group', () => {
    const g = new Graph();
    const b = new OpBuilder(g);
    const x = g.input('x', [3, 7], 'f32');
    const a = b.exp(x);
    const s = b.sum(a, [1], true);
    const out = b.div(b.mul(a, b.scalar(2)), s);
    const plan = schedule(g, { outputs: [out], updates: [] });
    expect(plan.kernels.map((k) => [k.kind, k.kind === 'op' ? k.family : ''])).toEqual([
      ['elementwise', ''],
      ['op', 'reduction'],
      ['elementwise', ''],
    ]);
    expect(plan.kernels[0]!.writes).toEqual([a]); // read by the reduction and by the later group
  });

  it('bias add and relu ride in the matmul epilogue; a retained matmul result does not fuse', () => {
    const g = new Graph();
    const b = new OpBuilder(g);
    const x = g.input('x', [8, 3], 'f32');
    const w = g.input('w', [3, 4], 'f32');
    const bias = g.input('bias', [4], 'f32');
    const mm = b.matmul(x, w);
    const y = b.relu(b.add(mm, bias));
    const fused = schedule(g, { outputs: [y], updates: [] });
    expect(fused.kernels.map((k) => k.kind)).toEqual(['gemm']);
    const gemm = fused.kernels[0]!;
    expect(gemm.reads).toEqual([x, w, bias]);
    expect(gemm.kind === 'gemm' && gemm.epilogue.exprs.map((e) => (e.kind === 'op' ? e.op : e.kind))).toEqual(['acc', 'load', 'add', 'relu']);
    const kept = schedule(g, { outputs: [y, mm], updates: [] });
    expect(kept.kernels.map((k) => k.kind)).toEqual(['op', 'elementwise']);
  });

  it('every kernel stays within the binding limit', () => {
    const g = new Graph();
    const b = new OpBuilder(g);
    const xs = Array.from({ length: 9 }, (_v, i) => g.input(`x${i}`, [33], 'f32'));
    const out = xs.reduce((acc, v, i) => (i % 2 ? b.add(acc, b.mul(v, acc)) : b.sub(acc, v)));
    for (const limit of [4, 5, 12]) {
      const { kernels } = schedule(g, { outputs: [out], updates: [] }, { maxStorageBuffers: limit });
      for (const k of kernels) expect(k.reads.length + k.writes.length).toBeLessThanOrEqual(limit);
      if (limit === 12) expect(kernels.length).toBe(1);
      if (limit === 4) expect(kernels.length).toBeGreaterThan(2);
    }
  });

  it('each Adam parameter update is one kernel writing the parameter and both moments', () => {
    const g = new Graph();
    const b = new OpBuilder(g);
    const w = g.variable('w', [5, 3]);
    const m = g.variable('w:m', [5, 3]);
    const v = g.variable('w:v', [5, 3]);
    const x = g.input('x', [2, 5], 'f32');
    const loss = b.sum(b.square(b.matmul(x, w)));
    const grad = gradients(g, loss, [w]).get(w)!;
    const m2 = b.add(b.mul(m, b.scalar(0.9)), b.mul(grad, b.scalar(0.1)));
    const v2 = b.add(b.mul(v, b.scalar(0.999)), b.mul(b.square(grad), b.scalar(0.001)));
    const w2 = b.sub(w, b.div(b.mul(m2, b.scalar(0.01)), b.add(b.sqrt(v2), b.scalar(1e-7))));
    const plan = schedule(g, {
      outputs: [loss],
      updates: [
        { name: 'w', value: w2 },
        { name: 'w:m', value: m2 },
        { name: 'w:v', value: v2 },
      ],
    });
    const writers = plan.kernels.filter((k) => [w2, m2, v2].some((id) => k.writes.includes(id)));
    expect(writers.length).toBe(1);
    expect(new Set(writers[0]!.writes)).toEqual(new Set([w2, m2, v2]));
  });
});

describe('buffer lifetimes and reuse', () => {
  it('a dead intermediate slot is taken by a later value of its size; retained values keep their own', () => {
    const g = new Graph();
    const b = new OpBuilder(g);
    const x = g.input('x', [16], 'f32');
    // Reductions split the chain, so each intermediate is its own kernel's output.
    const s1 = b.sum(b.exp(x), [0], true);
    const a = b.mul(x, s1);
    const s2 = b.sum(b.log(b.abs(a)), [0], true);
    const out = b.mul(a, s2);
    const plan = schedule(g, { outputs: [out, s1], updates: [] });
    const { slotOf, slots } = plan.memory;
    const written = plan.kernels.flatMap((k) => k.writes);
    // Fewer slots than written values: some died and were reused.
    expect(slots.length).toBeLessThan(written.length);
    // Retained values own a slot nobody else has.
    for (const kept of [out, s1]) expect(written.filter((id) => slotOf.get(id) === slotOf.get(kept))).toEqual([kept]);
    // No kernel writes a slot it reads, and no two live values share a slot.
    plan.kernels.forEach((k, at) => {
      for (const r of k.reads) if (slotOf.has(r)) expect(k.writes.map((id) => slotOf.get(id))).not.toContain(slotOf.get(r));
      const live = written.filter((id) => {
        const born = plan.kernels.findIndex((q) => q.writes.includes(id));
        const last = Math.max(born, ...plan.kernels.flatMap((q, i) => (q.reads.includes(id) ? [i] : [])));
        return born <= at && (at <= last || plan.retained.has(id));
      });
      const used = live.map((id) => slotOf.get(id));
      expect(new Set(used).size).toBe(used.length);
    });
    // Every slot is as large as each value placed in it.
    for (const id of written)
      expect(slots[slotOf.get(id)!]).toBe(
        Math.max(
          1,
          g.typeOf(id).shape.reduce((p, d) => p * d, 1),
        ),
      );
  });

  it('retained variables are snapshotted and logged scalars get slots in order', () => {
    const g = new Graph();
    const b = new OpBuilder(g);
    const w = g.variable('w', [3]);
    const x = g.input('x', [3], 'f32');
    const loss = b.sum(b.mul(w, x));
    const count = b.sum(b.cast(b.greater(x, b.scalar(0)), 'i32'));
    const plan = schedule(g, { outputs: [w], updates: [{ name: 'w', value: b.sub(w, x) }], scalars: [loss, count] });
    expect(plan.snapshots).toEqual([w]);
    expect(plan.scalars).toEqual([
      { value: loss, dtype: 'f32' },
      { value: count, dtype: 'i32' },
    ]);
  });
});

describe('the tables', () => {
  it('every op has a family, and the elementwise family is exactly the expression table', () => {
    const elementwise = Object.entries(OP_FAMILY)
      .filter(([, f]) => f === 'elementwise')
      .map(([op]) => op);
    // reshape and broadcast_to fuse as copies but are movement kernels alone.
    expect(new Set([...elementwise, 'reshape', 'broadcast_to'])).toEqual(new Set(Object.keys(EXPRESSIONS)));
    for (const op of Object.keys(OP_FAMILY)) expect(isElementwise(op as never)).toBe(op in EXPRESSIONS);
  });
});

describe('reductions with fused prologues and epilogues (fuseReductions)', () => {
  const opsOf = (exprs: readonly { kind: string; op?: string }[]) => exprs.map((e) => e.op ?? e.kind);

  it('sum(x·x) then −·3 + bias is one reduce kernel: the square in its prologue, the rest in its epilogue', () => {
    const g = new Graph();
    const b = new OpBuilder(g);
    const x = g.input('x', [6, 5], 'f32');
    const bias = g.input('bias', [6], 'f32');
    const s = b.sum(b.mul(x, x), [1]);
    const out = b.add(b.mul(b.neg(s), b.scalar(3)), bias);
    const plan = schedule(g, { outputs: [out], updates: [] }, { fuseReductions: true });
    expect(plan.kernels.map((k) => k.kind)).toEqual(['reduce']);
    const k = plan.kernels[0]!;
    if (k.kind !== 'reduce') throw new Error('not a reduce kernel');
    expect([k.op, k.axes, k.keepdims, k.count, k.input]).toEqual(['sum', [1], false, 5, [6, 5]]);
    expect(k.reads).toEqual([x, bias]);
    expect(k.writes).toEqual([out]);
    expect(k.reduction.id).toBe(s);
    // x is loaded once and squared; the epilogue negates the accumulator once, scales it once and adds the bias.
    expect(opsOf(k.prologue.exprs)).toEqual(['load', 'mul']);
    expect(k.prologue.result).toBe(1);
    expect(opsOf(k.epilogue.exprs)).toEqual(['acc', 'neg', 'literal', 'mul', 'load', 'add']);
    expect(k.epilogue.exprs[4]).toMatchObject({ kind: 'load', read: 1, shape: [6] });
    expect(k.epilogue.result).toBe(5);
    // Off (the default, and what the WASM backend plans): the reduction is an op kernel between two groups.
    expect(schedule(g, { outputs: [out], updates: [] }).kernels.map((q) => (q.kind === 'op' ? q.family : q.kind))).toEqual([
      'elementwise',
      'reduction',
      'elementwise',
    ]);
  });

  it('stops where a value must be written: a retained or shared prologue value, a shared or retained epilogue value, another shape', () => {
    const g = new Graph();
    const b = new OpBuilder(g);
    const x = g.input('x', [4, 8], 'f32');
    const sq = b.square(x);
    const shared = b.exp(x);
    const m = b.max(b.add(sq, shared), [0], true); // [1, 8]
    const n = b.neg(m);
    const t = b.tanh(n); // retained: the chain ends here
    const u = b.mul(t, b.scalar(2));
    const back = b.sub(shared, u); // reads shared: exp must be written, so it is no prologue member
    const plan = schedule(g, { outputs: [back, t, sq], updates: [] }, { fuseReductions: true });
    const reduce = plan.kernels.find((k) => k.kind === 'reduce')!;
    expect(new Set(reduce.members.map((mm) => mm.id))).toEqual(new Set([g.nodes.find((q) => q.kind === 'op' && q.op === 'add')!.id, m, n, t]));
    expect(reduce.writes).toEqual([t]);
    expect(reduce.reads).toEqual([sq, shared]);
    // u reads t at the reduction's shape but t is retained; back has another shape: both stay in a group.
    expect(plan.kernels.find((k) => k.writes.includes(back))!.kind).toBe('elementwise');
    // Never after a reader: every value is written before the kernel that reads it.
    const written = new Set<number>(plan.nodes.filter((q) => q.kind !== 'op').map((q) => q.id));
    for (const k of plan.kernels) {
      for (const r of k.reads) expect(written.has(r), `value ${r} read before it is written`).toBe(true);
      k.writes.forEach((w) => written.add(w));
    }
  });

  it('reads no recomputed scalar, keeps within the binding limit, and a retained reduction keeps only its prologue', () => {
    const g = new Graph();
    const b = new OpBuilder(g);
    const x = g.input('x', [5, 3], 'f32');
    const k = g.input('k', [], 'f32');
    const scale = b.mul(k, b.scalar(2)); // a scalar chain fused kernels recompute instead of reading
    const sums = Array.from({ length: 7 }, (_v, i) => b.sum(b.mul(x, b.scalar(i + 1))));
    const scaled = b.mean(b.mul(x, scale), [0]); // its prologue would read the recomputed scalar: it has none
    const total = sums.reduce((acc, v) => b.add(acc, v));
    const spec = { outputs: [total, scaled, sums[0]!], updates: [] };
    for (const limit of [3, 4, 8]) {
      const plan = schedule(g, spec, { fuseReductions: true, maxStorageBuffers: limit });
      for (const q of plan.kernels) expect(q.reads.length + q.writes.length).toBeLessThanOrEqual(limit);
      const reduces = plan.kernels.filter((q) => q.kind === 'reduce');
      // Every sum folds its x·c prologue; the retained sums[0] is written by its own kernel.
      expect(reduces.length).toBe(7);
      expect(plan.kernels.find((q) => q.writes.includes(sums[0]!))!.kind).toBe('reduce');
      expect(plan.kernels.find((q) => q.writes.includes(scaled))!.kind).toBe('op');
    }
  });
});
