/**
 * The CPU backend's runtime for the schedule's fused kernels: an elementwise kernel's expressions
 * are evaluated block by block with the expression table's JS maths, each value stored in a typed
 * array of its dtype (so every step rounds or wraps exactly as the op's own kernel would), and a
 * GEMM kernel is the reference matmul followed by its epilogue evaluated the same way. Fused and
 * unfused runs therefore agree bit for bit, which the fusion tests check without a GPU.
 */
import { viewStrides } from '../../compile/schedule/elementwise';
import { expressionOf } from '../../compile/schedule/expressions';
import { dtypeOf, type ElementwiseKernel, type Expr, type GemmKernel } from '../../compile/schedule/kernels';
import { sizeOf, stridesOf } from '../../ops/shape';
import type { Attrs, Shape } from '../../ops/types';
import type { CpuTensor, Data, KernelContext } from './kernel';
import { CPU_KERNELS } from './kernels';
import { toDtype } from './kernels/storage';
import { RowWalker } from './kernels/strided';

/** Elements evaluated at a time: every expression's block stays in cache. */
const BLOCK = 1024;

type Scalar = (x: number, y: number, z: number) => number;

/** A tensor an expression list reads (a load's buffer, or a GEMM's accumulator) and the strides it is read at over the domain. */
interface Source {
  readonly data: Data;
  readonly strides: readonly number[];
}

/**
 * Evaluate `exprs` over `domain` and store `stores` into fresh outputs. `source(e)` gives the data a
 * load (or the accumulator) reads.
 */
function evaluate(
  domain: Shape, exprs: readonly Expr[], stores: readonly { readonly expr: number; readonly shape: Shape }[],
  source: (e: Expr) => Source, ctx: KernelContext,
): Data[] {
  const outputs = stores.map((s) => ctx.alloc(dtypeOf(exprs[s.expr]!), sizeOf(s.shape)));
  if (sizeOf(domain) === 0) return outputs;
  // Views walked together: every load (and accumulator), then every store.
  const loads = exprs.flatMap((e, k) => (e.kind === 'load' || e.kind === 'acc' ? [k] : []));
  const sources = loads.map((k) => source(exprs[k]!));
  const w = new RowWalker(domain, [...sources.map((s) => s.strides), ...stores.map((s) => viewStrides(s.shape, domain))]);
  const block = Math.min(BLOCK, w.length);
  const temps = exprs.map((e) => ctx.alloc(dtypeOf(e), block));
  const fns: (Scalar | undefined)[] = exprs.map((e) => (e.kind === 'op' ? expressionOf(e.op).js(e.attrs as Attrs<never>, e.types) : undefined));
  exprs.forEach((e, k) => {
    if (e.kind === 'literal') temps[k]!.fill(toDtype(e.value, e.dtype));
  });
  const slot = new Map(loads.map((k, v) => [k, v]));
  for (let r = 0; r < w.count; r++, w.next()) {
    for (let j0 = 0; j0 < w.length; j0 += block) {
      const n = Math.min(block, w.length - j0);
      for (let k = 0; k < exprs.length; k++) {
        const e = exprs[k]!;
        const t = temps[k]!;
        if (e.kind === 'op') {
          const [a, b, c] = e.args.map((i) => temps[i]!) as [Data, Data?, Data?];
          const f = fns[k]!;
          if (!b) for (let j = 0; j < n; j++) t[j] = f(a[j]!, 0, 0);
          else if (!c) for (let j = 0; j < n; j++) t[j] = f(a[j]!, b[j]!, 0);
          else for (let j = 0; j < n; j++) t[j] = f(a[j]!, b[j]!, c[j]!);
        } else if (e.kind !== 'literal') {
          const v = slot.get(k)!;
          const src = sources[v]!.data;
          const step = w.step[v]!;
          const base = w.base[v]! + j0 * step;
          for (let j = 0; j < n; j++) t[j] = src[base + j * step]!;
        }
      }
      stores.forEach((s, q) => {
        const v = loads.length + q;
        const out = outputs[q]!;
        const t = temps[s.expr]!;
        const step = w.step[v]!;
        const base = w.base[v]! + j0 * step;
        for (let j = 0; j < n; j++) out[base + j * step] = t[j]!;
      });
    }
  }
  return outputs;
}

/** Run an elementwise kernel on the tensors it reads (in kernel.reads order). */
export function runElementwise(kernel: ElementwiseKernel, reads: readonly CpuTensor[], ctx: KernelContext): Data[] {
  return evaluate(kernel.domain, kernel.exprs, kernel.stores, (e) => {
    if (e.kind !== 'load') throw new Error('an elementwise kernel has no accumulator');
    return { data: reads[e.read]!.data, strides: viewStrides(e.shape, kernel.domain) };
  }, ctx);
}

/** Run a GEMM kernel: the reference matmul, then its epilogue over the [m, n] result. */
export function runGemm(kernel: GemmKernel, reads: readonly CpuTensor[], ctx: KernelContext): Data {
  const mm = kernel.matmul;
  const acc = CPU_KERNELS.matmul([reads[0]!, reads[1]!], mm.attrs as Attrs<'matmul'>, mm.type, ctx);
  const domain = mm.type.shape;
  const { exprs, result } = kernel.epilogue;
  return evaluate(domain, exprs, [{ expr: result, shape: domain }], (e) => {
    if (e.kind === 'acc') return { data: acc, strides: stridesOf(domain) };
    if (e.kind !== 'load') throw new Error('only loads and the accumulator read memory');
    return { data: reads[e.read]!.data, strides: viewStrides(e.shape, domain) };
  }, ctx)[0]!;
}
