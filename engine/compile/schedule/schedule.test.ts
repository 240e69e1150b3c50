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
