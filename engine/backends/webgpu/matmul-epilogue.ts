/**
 * WGSL for a GEMM kernel of the schedule: the matmul with its epilogue (a bias add and/or an
 * activation, engine/compile/schedule decides which) folded into the store (kernels/matmul.ts's
 * epilogue hook), so they cost no dispatch and no round trip through memory. The epilogue is one
 * nested expression of the expression table's `epilogue` forms (no prelude, no helper functions).
 */
import { expressionOf } from '../../compile/schedule/expressions';
import type { GemmKernel } from '../../compile/schedule/kernels';
import type { Graph } from '../../compile/graph';
import type { Attrs } from '../../ops/types';
import { broadcastStrides } from '../cpu/kernels/strided';
import type { Dispatch, KernelOptions } from './kernel';
import { matmulDispatches } from './kernels/matmul';
import { lit, u } from './wgsl';

/** The dispatches of `kernel` (bindings: A, B, the epilogue's extra reads e0…, then the output). */
export function gemmDispatches(graph: Graph, kernel: GemmKernel, options: KernelOptions): readonly Dispatch[] {
  const mm = kernel.matmul;
  const mn = mm.type.shape.slice(-2);
  const { exprs, result } = kernel.epilogue;
  /** Expression k at (row, col) of the output, nested. */
  const valueAt = (k: number, acc: string, row: string, col: string): string => {
    const e = exprs[k]!;
    if (e.kind === 'acc') return `(${acc})`;
    if (e.kind === 'literal') return lit(e.value, 'f32');
    if (e.kind === 'load') {
      const [sr, sc] = broadcastStrides(e.shape, mn).slice(-2) as [number, number];
      const terms = [sr ? `${row} * ${u(sr)}` : '', sc ? `${col}${sc === 1 ? '' : ` * ${u(sc)}`}` : ''].filter(Boolean);
      return `e${e.read - 2}[${terms.join(' + ') || '0u'}]`;
    }
    const render = expressionOf(e.op).epilogue;
    if (!render) throw new Error(`${e.op} cannot ride in a GEMM epilogue`);
    return `(${render(
      e.args.map((a) => valueAt(a, acc, row, col)),
      e.attrs,
    )})`;
  };
  const epilogue =
    result === 0 ? undefined : { extraInputs: kernel.reads.length - 2, expr: (acc: string, row: string, col: string) => valueAt(result, acc, row, col) };
  return matmulDispatches({ inputs: mm.inputs.map((i) => graph.nodes[i]!.type), attrs: mm.attrs as Attrs<'matmul'>, out: mm.type, options }, epilogue);
}
