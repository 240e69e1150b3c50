/**
 * WGSL for a fused elementwise group: one thread per element of the group's domain shape; each
 * external input is read once (broadcast to the domain), every member is one `let`, and the
 * members that must be kept are stored. A member smaller than the domain (a bias, a per-row
 * statistic, a scalar chain such as Adam's bias corrections) is recomputed by every thread that
 * shares its element and stored by the one whose broadcast coordinates are all zero.
 */
import type { Graph, GraphNode, ValueId } from '../../compile/graph';
import { sizeOf } from '../../ops/shape';
import type { Attrs, Op, Shape } from '../../ops/types';
import { broadcastStrides } from '../cpu/kernels/strided';
import type { Inlining } from './fuse';
import type { Dispatch } from './kernel';
import { elementwiseExpr } from './kernels/elementwise';
import { lit, offset, shaderWithOutputs, u, unravel, WG } from './wgsl';

/** The one dispatch computing `members` (in schedule order) over `size` elements. */
export function fusedElementwise(graph: Graph, members: readonly GraphNode[], reads: readonly ValueId[], writes: readonly ValueId[], domain: Shape, ctx: Inlining): Dispatch {
  const inside = new Set(members.map((m) => m.id));
  const size = sizeOf(domain);
  const lines: string[] = [`  let i = wid * ${u(WG)} + li;`, `  if (i >= ${u(size)}) { return; }`];
  const loaded = new Map<string, string>(); // "value@index" → identifier
  const helpers = new Set<string>();
  let coords = false;

  /** Node m's maths on operand identifiers `args`. */
  const compute = (m: GraphNode, args: string[]): string => {
    if (m.kind !== 'op') throw new Error(`fused kernels compute ops only, not ${m.kind} ${m.id}`);
    const { expr, helpers: h } = elementwiseExpr(m.op as Op, m.attrs, m.inputs.map((id) => graph.nodes[id]!.type), m.type, args);
    if (h) helpers.add(h);
    return expr;
  };

  /** Where element (broadcast to the domain) of a tensor of `shape` lives for this thread: i, 0 or from the domain coordinates. */
  const indexOf = (shape: Shape): string => {
    const n = sizeOf(shape);
    if (n === size) return 'i';
    if (n === 1) return '0u';
    if (!coords) {
      lines.push(unravel('i', domain, 'c'));
      coords = true;
    }
    return `(${offset('c', broadcastStrides(shape, domain))})`;
  };

  /** An identifier holding input `id` as member `m` reads it at this thread's element. */
  const operand = (m: GraphNode, id: ValueId): string => {
    if (inside.has(id)) return `v${id}`;
    const src = graph.nodes[id]!;
    if (src.kind === 'op' && src.op !== 'full' && ctx.inline(id)) {
      // A recomputed scalar chain: one `let` per node, emitted before its first use.
      const name = `s${id}`;
      if (!loaded.has(name)) {
        const args = src.inputs.map((i) => operand(src, i));
        lines.push(`  let ${name} = ${compute(src, args)};`);
        loaded.set(name, name);
      }
      return name;
    }
    if (src.kind === 'op' && src.op === 'full') {
      const name = `k${id}`;
      if (!loaded.has(name)) {
        const { value, dtype } = src.attrs as Attrs<'full'>;
        lines.push(`  let ${name} = ${lit(value, dtype)};`);
        loaded.set(name, name);
      }
      return name;
    }
    // A reshape reads its input at the flat index of its own output's element.
    const at = indexOf(m.kind === 'op' && m.op === 'reshape' ? m.type.shape : src.type.shape);
    const key = `${ctx.canon(id)}@${at}`;
    let name = loaded.get(key);
    if (!name) {
      name = `r${loaded.size}`;
      lines.push(`  let ${name} = x${reads.indexOf(ctx.canon(id))}[${at}];`);
      loaded.set(key, name);
    }
    return name;
  };

  for (const m of members) {
    const args = m.inputs.map((id) => operand(m, id));
    lines.push(`  let v${m.id} = ${compute(m, args)};`);
  }
  writes.forEach((id, k) => {
    const shape = graph.nodes[id]!.type.shape;
    const at = indexOf(shape);
    if (at === 'i') lines.push(`  y${k}[i] = v${id};`);
    else if (at === '0u') lines.push(`  if (i == 0u) { y${k}[0] = v${id}; }`);
    else {
      // Only the thread at coordinate 0 of every broadcast dim stores.
      const strides = broadcastStrides(shape, domain);
      const first = domain.flatMap((d, j) => (strides[j] === 0 && d > 1 ? [`c${j} == 0u`] : [])).join(' && ');
      lines.push(`  if (${first}) { y${k}[${at}] = v${id}; }`);
    }
  });
  const inputs = reads.map((id, k) => ({ name: `x${k}`, dtype: graph.nodes[id]!.type.dtype }));
  const outputs = writes.map((id, k) => ({ name: `y${k}`, dtype: graph.nodes[id]!.type.dtype }));
  const code = shaderWithOutputs(inputs, outputs, WG, lines.join('\n'), [...helpers].join('\n'));
  return { code, inputs: reads.map((_r, k) => k), workgroups: Math.ceil(size / WG) };
}
