/**
 * Elementwise chains folded into the matmul's store (kernels/matmul.ts's epilogue hook): a bias
 * add and/or an activation cost no dispatch and no round trip through memory. The epilogue is one
 * expression, so only ops that need no helper function qualify (elementwise.ts's plainExpr), on
 * a matmul without batch dims whose chain keeps its shape.
 */
import type { Graph, GraphNode, ValueId } from '../../compile/graph';
import { sizeOf } from '../../ops/shape';
import type { Attrs, Op } from '../../ops/types';
import { broadcastStrides } from '../cpu/kernels/strided';
import type { EpilogueFusion } from './fuse';
import type { Dispatch, KernelOptions } from './kernel';
import { plainExpr } from './kernels/elementwise';
import { matmulDispatches } from './kernels/matmul';
import { lit, u } from './wgsl';

/** Longest epilogue expression tried: each unary repeats its operand, so long chains grow fast. */
const MAX_EXPR = 2000;

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** The epilogue fusion for a backend whose kernels read `options` (its matmul variants). */
export function matmulEpilogue(options: KernelOptions): EpilogueFusion {
  return {
    accepts: (node) => node.kind === 'op' && node.type.dtype === 'f32' && plainExpr(node.op, node.attrs, 'f32', ['x', 'x']) !== undefined,
    fuse: (graph, mm, chain, extras) => fuseEpilogue(graph, mm, chain, extras, options),
  };
}

function fuseEpilogue(graph: Graph, mm: GraphNode, chain: readonly GraphNode[], extras: readonly ValueId[], options: KernelOptions): readonly Dispatch[] | undefined {
  if (mm.kind !== 'op') return undefined;
  const shape = mm.type.shape;
  if (sizeOf(shape.slice(0, -2)) !== 1 || chain.some((c) => !sameShape(c.type.shape, shape))) return undefined;
  if (extras.some((e) => graph.nodes[e]!.type.dtype !== 'f32')) return undefined;
  const inChain = new Map(chain.map((c) => [c.id, c]));
  const mn = shape.slice(-2);

  /** Value `id` at (row, col) of the output as an expression, or undefined when it cannot be one. */
  const valueAt = (id: ValueId, acc: string, row: string, col: string): string | undefined => {
    if (id === mm.id) return `(${acc})`;
    const node = graph.nodes[id]!;
    const member = inChain.get(id);
    if (member && member.kind === 'op') {
      const args = member.inputs.map((i) => valueAt(i, acc, row, col));
      if (args.some((a) => a === undefined)) return undefined;
      const expr = plainExpr(member.op as Op, member.attrs, 'f32', args as string[]);
      return expr === undefined ? undefined : `(${expr})`;
    }
    if (node.kind === 'op' && node.op === 'full') {
      const { value, dtype } = node.attrs as Attrs<'full'>;
      return dtype === 'f32' && Number.isFinite(value) ? lit(value, 'f32') : undefined; // non-finite literals need the prelude
    }
    const k = extras.indexOf(id);
    if (k < 0) return undefined;
    const [sr, sc] = broadcastStrides(node.type.shape, mn).slice(-2) as [number, number];
    const terms = [sr ? `${row} * ${u(sr)}` : '', sc ? `${col}${sc === 1 ? '' : ` * ${u(sc)}`}` : ''].filter(Boolean);
    return `e${k}[${terms.join(' + ') || '0u'}]`;
  };

  const end = chain[chain.length - 1]!.id;
  const probe = valueAt(end, 'acc', 'row', 'col');
  if (probe === undefined || probe.length > MAX_EXPR) return undefined;
  return matmulDispatches(
    { inputs: mm.inputs.map((i) => graph.nodes[i]!.type), attrs: mm.attrs as Attrs<'matmul'>, out: mm.type, options },
    { extraInputs: extras.length, expr: (acc, row, col) => valueAt(end, acc, row, col)! },
  );
}
