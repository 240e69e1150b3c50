/**
 * WGSL for an elementwise kernel of the schedule (engine/compile/schedule): one thread per element
 * of its domain; each load reads its buffer once (broadcast to the domain), every expression is one
 * `let` rendered from the expression table, and the stored values are written. A stored value
 * smaller than the domain (a bias, a per-row statistic, a scalar) is computed by every thread that
 * shares its element and stored by the one whose broadcast coordinates are all zero.
 */
import { viewStrides } from '../../compile/schedule/elementwise';
import { dtypeOf, type ElementwiseKernel } from '../../compile/schedule/kernels';
import { sizeOf } from '../../ops/shape';
import type { DType } from '../../ops/types';
import type { Dispatch } from './kernel';
import { pushExprLines } from './exprLines';
import { shaderWithOutputs, u, WG } from './wgsl';

/** The one dispatch computing `kernel` (bindings: x0… for its reads, then y0… for its writes). */
export function fusedElementwise(kernel: ElementwiseKernel, readTypes: readonly { readonly dtype: DType }[]): Dispatch {
  const { domain } = kernel;
  const size = sizeOf(domain);
  const lines: string[] = [`  let i = wid * ${u(WG)} + li;`, `  if (i >= ${u(size)}) { return; }`];
  const helpers = new Set<string>();
  const indexOf = pushExprLines(kernel.exprs, domain, 'i', lines, helpers);
  kernel.stores.forEach(({ expr, shape }, k) => {
    const at = indexOf(shape);
    if (at === 'i') lines.push(`  y${k}[i] = v${expr};`);
    else if (at === '0u') lines.push(`  if (i == 0u) { y${k}[0] = v${expr}; }`);
    else {
      // Only the thread at coordinate 0 of every broadcast dim stores.
      const strides = viewStrides(shape, domain);
      const first = domain.flatMap((d, j) => (strides[j] === 0 && d > 1 ? [`c${j} == 0u`] : [])).join(' && ');
      lines.push(`  if (${first}) { y${k}[${at}] = v${expr}; }`);
    }
  });
  const inputs = readTypes.map((t, k) => ({ name: `x${k}`, dtype: t.dtype }));
  const outputs = kernel.stores.map((s, k) => ({ name: `y${k}`, dtype: dtypeOf(kernel.exprs[s.expr]!) }));
  const code = shaderWithOutputs(inputs, outputs, WG, lines.join('\n'), [...helpers].join('\n'));
  return { code, inputs: kernel.reads.map((_r, k) => k), workgroups: Math.ceil(size / WG) };
}
