/**
 * The WGSL lines of a schedule expression list (engine/compile/schedule/kernels.ts), shared by the
 * fused elementwise kernel and the reduction's prologue and epilogue: one `let v<k>` per expression,
 * rendered from the expression table, each load read once at its view of the domain (viewStrides, the
 * one indexing rule every backend follows).
 */
import { viewStrides } from '../../compile/schedule/elementwise';
import { expressionOf } from '../../compile/schedule/expressions';
import type { Expr } from '../../compile/schedule/kernels';
import { sizeOf } from '../../ops/shape';
import type { Shape } from '../../ops/types';
import { lit, offset, unravel } from './wgsl';

/**
 * Pushes `exprs` onto `lines` for the thread at flat index `index` of `domain`, adding the table's
 * helper functions to `helpers`; `acc` names the accumulator an epilogue reads (an expression list
 * without one must not read it). Returns the indexer: where a value of `shape`, broadcast to the
 * domain, lives for this thread (`index`, `0u`, or an offset from the coordinates `c0…`, which it
 * unravels into `lines` once, when first needed).
 */
export function pushExprLines(
  exprs: readonly Expr[],
  domain: Shape,
  index: string,
  lines: string[],
  helpers: Set<string>,
  acc?: string,
): (shape: Shape) => string {
  const size = sizeOf(domain);
  let coords = false;
  const indexOf = (shape: Shape): string => {
    const n = sizeOf(shape);
    if (n === size) return index;
    if (n === 1) return '0u';
    if (!coords) {
      lines.push(unravel(index, domain, 'c'));
      coords = true;
    }
    return `(${offset('c', viewStrides(shape, domain))})`;
  };
  exprs.forEach((e, k) => {
    let value: string;
    if (e.kind === 'load') value = `x${e.read}[${indexOf(e.shape)}]`;
    else if (e.kind === 'literal') value = lit(e.value, e.dtype);
    else if (e.kind === 'acc') {
      if (acc === undefined) throw new Error('this expression list has no accumulator to read');
      value = acc;
    } else {
      const entry = expressionOf(e.op);
      if (entry.helpers) helpers.add(entry.helpers);
      value = entry.wgsl(
        e.args.map((a) => `v${a}`),
        e.attrs,
        e.types,
      );
    }
    lines.push(`  let v${k} = ${value};`);
  });
  return indexOf;
}
