/**
 * Elementwise kernel descriptions from graph nodes: a fused group (or one op) becomes an SSA list
 * of expressions over its domain, and a matmul's epilogue chain an SSA list over the accumulator.
 */
import type { Graph, GraphNode, ValueId } from '../graph';
import { sizeOf, stridesOf } from '../../ops/shape';
import type { Attrs, Shape } from '../../ops/types';
import { broadcastStrides } from '../../backends/cpu/kernels/strided';
import { expressionOf, isElementwise } from './expressions';
import type { ElementwiseKernel, Expr, GemmKernel } from './kernels';

/**
 * How fused code sees values outside its members: which single-element values it recomputes
 * itself (scalar chains: Adam's bias corrections, a NaN latch) and which value id stands for a
 * buffer (variable nodes of one name share one).
 */
export interface Inlining {
  /** True for a scalar elementwise op that every fused kernel reading it recomputes instead of reading. */
  inline(id: ValueId): boolean;
  /** The id whose buffer holds `id` (the first variable node of its name; the id itself otherwise). */
  canon(id: ValueId): ValueId;
}

/**
 * Strides (over the domain's dims) at which a tensor viewed with `shape` is read for each domain
 * element: a view of the domain's size is read at the flat index (it moves no element), a
 * single element at 0, anything else NumPy-broadcast. Every backend indexes loads and stores so.
 */
export function viewStrides(shape: Shape, domain: Shape): number[] {
  const n = sizeOf(shape);
  if (n === sizeOf(domain)) return stridesOf(domain);
  if (n === 1) return domain.map(() => 0);
  return broadcastStrides(shape, domain);
}

/** A key for how a view is indexed (equal keys read the same element). */
function viewKey(shape: Shape, domain: Shape): string {
  const n = sizeOf(shape);
  return n === sizeOf(domain) ? 'i' : n === 1 ? '0' : broadcastStrides(shape, domain).join(',');
}

const isFull = (n: GraphNode) => n.kind === 'op' && n.op === 'full';

/** The elementwise kernel computing `members` (schedule order) over `domain`, reading `reads` and storing `writes`. */
export function elementwiseKernel(
  graph: Graph,
  members: readonly GraphNode[],
  reads: readonly ValueId[],
  writes: readonly ValueId[],
  domain: Shape,
  ctx: Inlining,
): ElementwiseKernel {
  const exprs: Expr[] = [];
  const at = new Map<string, number>(); // "m<id>" member, "s<id>" recomputed scalar, "k<id>" literal, "<buffer>@<view>" load
  const push = (key: string, e: Expr): number => {
    exprs.push(e);
    at.set(key, exprs.length - 1);
    return exprs.length - 1;
  };
  const compute = (m: GraphNode, args: number[]): Expr => {
    if (m.kind !== 'op' || !isElementwise(m.op)) throw new Error(`an elementwise kernel computes elementwise ops only, not node ${m.id}`);
    return { kind: 'op', op: m.op, attrs: m.attrs, args, types: { input: graph.nodes[m.inputs[0]!]!.type.dtype, out: m.type.dtype } };
  };
  /** The expression holding input `id` as member `m` reads it. */
  const operand = (m: GraphNode, id: ValueId): number => {
    const member = at.get(`m${id}`);
    if (member !== undefined) return member;
    const src = graph.nodes[id]!;
    if (src.kind === 'op' && !isFull(src) && ctx.inline(id)) {
      // A recomputed scalar chain: one expression per node, before its first use.
      const done = at.get(`s${id}`);
      return (
        done ??
        push(
          `s${id}`,
          compute(
            src,
            src.inputs.map((i) => operand(src, i)),
          ),
        )
      );
    }
    if (isFull(src)) {
      const { value, dtype } = (src as Extract<GraphNode, { kind: 'op' }>).attrs as Attrs<'full'>;
      return at.get(`k${id}`) ?? push(`k${id}`, { kind: 'literal', value, dtype });
    }
    // A reshape reads its input at the flat index of its own output's element.
    const shape = m.kind === 'op' && m.op === 'reshape' ? m.type.shape : src.type.shape;
    const buffer = ctx.canon(id);
    const key = `${buffer}@${viewKey(shape, domain)}`;
    return at.get(key) ?? push(key, { kind: 'load', read: reads.indexOf(buffer), shape, dtype: src.type.dtype });
  };
  for (const m of members) {
    const args = m.inputs.map((id) => operand(m, id));
    push(`m${m.id}`, compute(m, args));
  }
  const stores = writes.map((id) => ({ expr: at.get(`m${id}`)!, shape: graph.nodes[id]!.type.shape }));
  return { kind: 'elementwise', node: members[members.length - 1]!, members, reads, writes, domain, exprs, stores };
}

/** Longest epilogue tried, as WGSL renders it nested: each unary repeats its operand, so long chains grow fast. */
const MAX_EPILOGUE_CHARS = 2000;

const sameShape = (a: Shape, b: Shape) => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * `matmul` with `chain` (each reading the previous value) in its epilogue, reading `extras` after
 * the two operands; undefined when the chain cannot ride there: a batched matmul, a chain that
 * changes shape, a non-f32 operand, a non-finite literal, or an expression too long to inline.
 */
export function gemmKernel(graph: Graph, mm: GraphNode, chain: readonly GraphNode[], extras: readonly ValueId[]): GemmKernel | undefined {
  if (mm.kind !== 'op' || mm.op !== 'matmul') return undefined;
  const shape = mm.type.shape;
  if (sizeOf(shape.slice(0, -2)) !== 1 || chain.some((c) => !sameShape(c.type.shape, shape))) return undefined;
  if (extras.some((e) => graph.nodes[e]!.type.dtype !== 'f32')) return undefined;
  const inChain = new Map(chain.map((c) => [c.id, c]));
  const exprs: Expr[] = [{ kind: 'acc' }];
  const done = new Map<ValueId, number>([[mm.id, 0]]);
  let chars = 0;
  /** Value `id` as an expression index (and its nested rendering's length), or undefined when it cannot be one. */
  const valueOf = (id: ValueId): { at: number; length: number } | undefined => {
    const node = graph.nodes[id]!;
    const member = inChain.get(id);
    let e: Expr;
    let length: number;
    if (id === mm.id) return { at: 0, length: 5 };
    if (member && member.kind === 'op' && isElementwise(member.op)) {
      const args = member.inputs.map(valueOf);
      if (args.some((a) => a === undefined)) return undefined;
      const entry = expressionOf(member.op);
      if (!entry.epilogue) return undefined;
      length =
        entry.epilogue(
          args.map((a) => 'x'.repeat(a!.length)),
          member.attrs,
        ).length + 2;
      e = { kind: 'op', op: member.op, attrs: member.attrs, args: args.map((a) => a!.at), types: { input: 'f32', out: 'f32' } };
    } else if (node.kind === 'op' && node.op === 'full') {
      const { value, dtype } = node.attrs as Attrs<'full'>;
      if (dtype !== 'f32' || !Number.isFinite(value)) return undefined; // a non-finite literal needs the shader prelude
      e = { kind: 'literal', value, dtype };
      length = 12;
    } else {
      const k = extras.indexOf(id);
      if (k < 0) return undefined;
      e = { kind: 'load', read: 2 + k, shape: node.type.shape, dtype: 'f32' };
      length = 20;
    }
    const seen = done.get(id);
    if (seen !== undefined) return { at: seen, length };
    exprs.push(e);
    done.set(id, exprs.length - 1);
    chars = Math.max(chars, length);
    return { at: exprs.length - 1, length };
  };
  const end = valueOf(chain[chain.length - 1]!.id);
  if (!end || chars > MAX_EPILOGUE_CHARS) return undefined;
  return {
    kind: 'gemm',
    node: chain[chain.length - 1]!,
    members: [mm, ...chain],
    matmul: mm,
    reads: [mm.inputs[0]!, mm.inputs[1]!, ...extras],
    writes: [chain[chain.length - 1]!.id],
    epilogue: { exprs, result: end.at },
  };
}
