/**
 * Reductions with fused elementwise work: a sum, mean or max (f32) takes the elementwise nodes that
 * only it reads into its prologue (sum(x·x): the square is computed in the reduction's loop and never
 * written) and the chain of sole readers of its result into its epilogue (−Σ: the negation is applied
 * before the store), under the rules the matmul epilogue follows: only the chain's end is written, a
 * retained value ends a chain, every member has the shape of what it extends, and the kernel binds at
 * most the binding limit. Every value the kernel reads is a buffer some kernel wrote: a recomputed
 * scalar chain (fusion.ts) stays out of it.
 */
import type { Graph, GraphNode, ValueId } from '../graph';
import { normalizeAxes, sizeOf } from '../../ops/shape';
import type { Attrs, Shape } from '../../ops/types';
import { elementwiseKernel, type Inlining } from './elementwise';
import { isElementwise } from './expressions';
import type { Expr, ReduceKernel, ReduceOp } from './kernels';

type OpNode = Extract<GraphNode, { kind: 'op' }>;

const REDUCE_OPS: readonly string[] = ['sum', 'mean', 'max'] satisfies readonly ReduceOp[];
const sameShape = (a: Shape, b: Shape) => a.length === b.length && a.every((d, i) => d === b[i]);
const isLiteral = (n: GraphNode) => n.kind === 'op' && n.op === 'full';
/** Values fused code reads as they are: nothing is recomputed (Inlining with no inlined scalars). */
const AS_BUFFERS: Inlining = { inline: () => false, canon: (id) => id };

/**
 * True when `id` can be read from a buffer by a fused reduction: a literal (inlined), or a value that
 * is not an elementwise scalar (fusion.ts may recompute those instead of storing them).
 */
function readable(graph: Graph, id: ValueId): boolean {
  const n = graph.nodes[id]!;
  return isLiteral(n) || !(n.kind === 'op' && isElementwise(n.op) && sizeOf(n.type.shape) === 1);
}

/** Buffers `members` read from outside (literals excluded), in first-use order. */
function readsOf(graph: Graph, members: readonly GraphNode[], outside: readonly ValueId[] = []): ValueId[] {
  const inside = new Set(members.map((m) => m.id));
  const reads = [...outside];
  for (const m of members) for (const i of m.inputs) if (!inside.has(i) && !isLiteral(graph.nodes[i]!) && !reads.includes(i)) reads.push(i);
  return reads;
}

/** Re-index an expression list's loads (`read` k of its own list → `at(k)`), turning load `acc` of read 0 into the accumulator. */
function relink(exprs: readonly Expr[], at: (read: number) => number, acc = false): Expr[] {
  return exprs.map((e) => (e.kind !== 'load' ? e : acc && e.read === 0 ? { kind: 'acc' } : { ...e, read: at(e.read) }));
}

/** The kernel computing reduction `r` with `prologue` (schedule order, ending with r's input) and `chain` (its sole-reader chain). */
export function reduceKernel(graph: Graph, r: OpNode, prologue: readonly GraphNode[], chain: readonly GraphNode[]): ReduceKernel {
  const x = graph.nodes[r.inputs[0]!]!;
  const input = x.type.shape;
  const attrs = r.attrs as Attrs<'sum'>;
  const axes = normalizeAxes(attrs.axes, input.length);
  const count = axes.reduce((n, a) => n * input[a]!, 1);
  // Prologue: the members over the input's elements, or the input itself.
  const proReads = prologue.length ? readsOf(graph, prologue) : [x.id];
  const pro = prologue.length
    ? elementwiseKernel(graph, prologue, proReads, [x.id], input, AS_BUFFERS)
    : { exprs: [{ kind: 'load', read: 0, shape: input, dtype: x.type.dtype } as Expr], stores: [{ expr: 0 }] };
  // Epilogue: the chain over the output's elements, reading r as the accumulator.
  const epiReads = readsOf(graph, chain, [r.id]);
  const extras = epiReads.slice(1);
  const reads = [...proReads, ...extras.filter((e) => !proReads.includes(e))];
  const end = (chain[chain.length - 1] ?? r) as OpNode;
  let epilogue: ReduceKernel['epilogue'] = { exprs: [{ kind: 'acc' }], result: 0 };
  if (chain.length) {
    const epi = elementwiseKernel(graph, chain, epiReads, [end.id], r.type.shape, AS_BUFFERS);
    epilogue = { exprs: relink(epi.exprs, (k) => reads.indexOf(epiReads[k]!), true), result: epi.stores[0]!.expr };
  }
  return {
    kind: 'reduce',
    node: end,
    members: [...prologue, r, ...chain],
    reads,
    writes: [end.id],
    reduction: r,
    op: r.op as ReduceOp,
    input,
    axes,
    keepdims: attrs.keepdims,
    count,
    prologue: { exprs: pro.exprs, result: pro.stores[0]!.expr },
    epilogue,
  };
}

/**
 * Sum, mean and max nodes with fused prologues and epilogues, keyed by their last member (where the
 * kernel runs). `claimed` (nodes computed inside a chosen fused kernel) and `needed` (values a chosen
 * one reads, so they must be written) are shared with the matmul epilogues chosen before, and grow.
 */
export function reductionChains(
  graph: Graph,
  schedule: readonly GraphNode[],
  retained: ReadonlySet<ValueId>,
  readers: (id: ValueId) => readonly GraphNode[],
  maxStorageBuffers: number,
  claimed: Set<ValueId>,
  needed: Set<ValueId>,
): Map<ValueId, ReduceKernel> {
  const out = new Map<ValueId, ReduceKernel>();
  /** An elementwise node no chosen kernel computes or reads (a retained one may end an epilogue, never join a prologue). */
  const free = (n: GraphNode): n is OpNode => n.kind === 'op' && isElementwise(n.op) && !isLiteral(n) && !claimed.has(n.id) && !needed.has(n.id);
  schedule.forEach((r, at) => {
    if (r.kind !== 'op' || !REDUCE_OPS.includes(r.op) || r.type.dtype !== 'f32' || claimed.has(r.id)) return;
    const x = graph.nodes[r.inputs[0]!]!;
    // A literal input is written only for kernels that cannot inline it: leave that reduction alone.
    if (x.type.dtype !== 'f32' || isLiteral(x)) return;
    // Prologue: walking back from r, an elementwise node of the input's shape joins when every reader is inside already.
    const inside = new Set<ValueId>([r.id]);
    const prologue: GraphNode[] = [];
    for (let p = at - 1; p >= 0 && sizeOf(x.type.shape) > 0; p--) {
      const q = schedule[p]!;
      if (!free(q) || retained.has(q.id) || !sameShape(q.type.shape, x.type.shape)) continue;
      const rs = readers(q.id);
      if (!rs.length || !rs.every((m) => inside.has(m.id))) continue;
      inside.add(q.id);
      prologue.unshift(q);
    }
    // A prologue that would read a recomputed scalar is dropped whole: every value the kernel reads is written.
    const ok = (m: GraphNode) => m.inputs.every((i) => inside.has(i) || readable(graph, i));
    const pro = prologue.every(ok) ? prologue : [];
    // Epilogue: the sole-reader chain of r's result at r's output shape (none when r itself must be written).
    const chain: GraphNode[] = [];
    if (!retained.has(r.id) && !needed.has(r.id)) {
      let cur: GraphNode = r;
      for (;;) {
        const next = readers(cur.id);
        if (next.length !== 1 || (cur !== r && retained.has(cur.id))) break;
        const c = next[0]!;
        if (!free(c) || !sameShape(c.type.shape, r.type.shape) || !c.inputs.every((i) => i === cur.id || readable(graph, i))) break;
        chain.push(c);
        cur = c;
      }
    } else if (!pro.length) return;
    // The longest epilogue (with the prologue, else without it) within the binding limit.
    for (const p of pro.length ? [pro, []] : [[]]) {
      for (let len = chain.length; len >= 0; len--) {
        if (!p.length && !len) return;
        const kernel = reduceKernel(graph, r, p, chain.slice(0, len));
        if (kernel.reads.length + kernel.writes.length > maxStorageBuffers) continue;
        out.set(kernel.node.id, kernel);
        kernel.members.forEach((m) => claimed.add(m.id));
        kernel.reads.forEach((v) => needed.add(v));
        return;
      }
    }
  });
  return out;
}
