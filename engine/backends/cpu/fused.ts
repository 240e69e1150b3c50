/**
 * The CPU backend's runtime for the schedule's fused kernels: an elementwise kernel's expressions
 * are evaluated block by block with the expression table's JS maths, each value stored in a typed
 * array of its dtype (so every step rounds or wraps exactly as the op's own kernel would), and a
 * GEMM kernel is the reference matmul followed by its epilogue evaluated the same way, and a
 * reduce kernel its prologue, the reference reduction and its epilogue in turn. Fused and
 * unfused runs therefore agree bit for bit, which the fusion tests check without a GPU.
 */
import { viewStrides } from '../../compile/schedule/elementwise';
import { expressionOf } from '../../compile/schedule/expressions';
import { dtypeOf, type ElementwiseKernel, type Expr, type GemmKernel, type ReduceKernel } from '../../compile/schedule/kernels';
import { sizeOf, stridesOf } from '../../ops/shape';
import type { Attrs, Shape } from '../../ops/types';
import type { CpuKernel, CpuTensor, Data, KernelContext } from './kernel';
import { CPU_KERNELS } from './kernels';
import { toDtype } from './kernels/storage';
import { RowWalker } from './kernels/strided';

/** Elements evaluated at a time: every expression's block stays in cache. */
const BLOCK = 4096;

type Scalar = (x: number, y: number, z: number) => number;

/** A tensor an expression list reads (a load's buffer, or a GEMM's accumulator) and the strides it is read at over the domain. */
interface Source {
  readonly data: Data;
  readonly strides: readonly number[];
}

/** Per expression, what a block evaluation does (prepared once per run of a kernel). */
interface Step {
  readonly temp: Data;
  /** The table's maths and its operands' blocks (ops); `block` when the entry has a written-out f32 loop. */
  readonly f?: Scalar;
  readonly block?: (o: Data, a: Data, b: Data, n: number) => void;
  readonly a?: Data;
  readonly b?: Data;
  readonly c?: Data;
  /** The walker view and data a load copies from. */
  readonly view?: number;
  readonly src?: Data;
}

/**
 * Evaluate `exprs` over `domain` and store `stores` into fresh outputs. `source(e)` gives the data a
 * load (or the accumulator) reads. Values the same at every element (literals, single-element loads
 * and ops on those only: Adam's bias corrections) are computed once, not per element.
 */
function evaluate(
  domain: Shape,
  exprs: readonly Expr[],
  stores: readonly { readonly expr: number; readonly shape: Shape }[],
  source: (e: Expr) => Source,
  ctx: KernelContext,
): Data[] {
  const outputs = stores.map((s) => ctx.alloc(dtypeOf(exprs[s.expr]!), sizeOf(s.shape)));
  if (sizeOf(domain) === 0) return outputs;
  const loads = exprs.flatMap((e, k) => (e.kind === 'load' || e.kind === 'acc' ? [k] : []));
  const sources = loads.map((k) => source(exprs[k]!));
  const uniform = exprs.map(() => false);
  exprs.forEach((e, k) => {
    if (e.kind === 'literal') uniform[k] = true;
    else if (e.kind === 'op') uniform[k] = e.args.every((i) => uniform[i]);
    else uniform[k] = sources[loads.indexOf(k)]!.strides.every((s) => s === 0);
  });
  // Views walked together: every load (and accumulator) that varies, then every store.
  const walked = loads.filter((k) => !uniform[k]);
  const w = new RowWalker(domain, [...walked.map((k) => sources[loads.indexOf(k)]!.strides), ...stores.map((s) => viewStrides(s.shape, domain))]);
  const block = Math.min(BLOCK, w.length);
  // Scratch blocks, not tensors: made directly (ctx.alloc counts tensor storage), in the backend's float type.
  const Float = ctx.alloc('f32', 0).constructor as new (n: number) => Data;
  const scratch = (e: Expr, n: number): Data => {
    const t = dtypeOf(e);
    return t === 'f32' ? new Float(n) : t === 'i32' ? new Int32Array(n) : new Uint8Array(n);
  };
  const temps = exprs.map((e) => scratch(e, block));
  const one = exprs.map((e) => scratch(e, 1));
  const fnOf = (e: Expr): Scalar | undefined => (e.kind === 'op' ? expressionOf(e.op).js(e.attrs as Attrs<never>, e.types) : undefined);
  // The uniform values, once (each stored in its dtype, as the per-op kernels would), then spread over a block.
  exprs.forEach((e, k) => {
    if (!uniform[k]) return;
    let v: number;
    if (e.kind === 'literal') v = toDtype(e.value, e.dtype);
    else if (e.kind === 'op') v = fnOf(e)!(one[e.args[0]!]![0]!, one[e.args[1] ?? 0]![0]!, one[e.args[2] ?? 0]![0]!);
    else v = sources[loads.indexOf(k)]!.data[0]!;
    one[k]![0] = v;
    temps[k]!.fill(one[k]![0]!);
  });
  const steps: Step[] = [];
  exprs.forEach((e, k) => {
    if (uniform[k] || e.kind === 'literal') return;
    const temp = temps[k]!;
    if (e.kind === 'op') {
      const [a, b, c] = e.args.map((i) => temps[i]!);
      const block = e.types.input === 'f32' && e.types.out === 'f32' ? expressionOf(e.op).block : undefined;
      steps.push({ temp, f: fnOf(e)!, a: a!, ...(b ? { b } : {}), ...(c ? { c } : {}), ...(block ? { block } : {}) });
    } else steps.push({ temp, view: walked.indexOf(k), src: sources[loads.indexOf(k)]!.data });
  });
  const outs = stores.map((s, q) => ({ out: outputs[q]!, temp: temps[s.expr]!, view: walked.length + q }));
  for (let r = 0; r < w.count; r++, w.next()) {
    for (let j0 = 0; j0 < w.length; j0 += block) {
      const n = Math.min(block, w.length - j0);
      for (const { temp: t, f, block: blk, a, b, c, view, src } of steps) {
        if (blk) blk(t, a!, b!, n);
        else if (f) {
          if (!b) for (let j = 0; j < n; j++) t[j] = f(a![j]!, 0, 0);
          else if (!c) for (let j = 0; j < n; j++) t[j] = f(a![j]!, b[j]!, 0);
          else for (let j = 0; j < n; j++) t[j] = f(a![j]!, b[j]!, c[j]!);
        } else {
          const step = w.step[view!]!;
          const base = w.base[view!]! + j0 * step;
          if (step === 1) t.set(src!.subarray(base, base + n));
          else if (step === 0) t.fill(src![base]!, 0, n);
          else for (let j = 0; j < n; j++) t[j] = src![base + j * step]!;
        }
      }
      for (const { out, temp, view } of outs) {
        const step = w.step[view]!;
        const base = w.base[view]! + j0 * step;
        if (step === 1) out.set(temp.subarray(0, n), base);
        else if (step === 0) out[base] = temp[n - 1]!;
        else for (let j = 0; j < n; j++) out[base + j * step] = temp[j]!;
      }
    }
  }
  return outputs;
}

/** Run an elementwise kernel on the tensors it reads (in kernel.reads order). */
export function runElementwise(kernel: ElementwiseKernel, reads: readonly CpuTensor[], ctx: KernelContext): Data[] {
  return evaluate(
    kernel.domain,
    kernel.exprs,
    kernel.stores,
    (e) => {
      if (e.kind !== 'load') throw new Error('an elementwise kernel has no accumulator');
      return { data: reads[e.read]!.data, strides: viewStrides(e.shape, kernel.domain) };
    },
    ctx,
  );
}

/** Run a GEMM kernel: the reference matmul, then its epilogue over the [m, n] result. */
export function runGemm(kernel: GemmKernel, reads: readonly CpuTensor[], ctx: KernelContext): Data {
  const mm = kernel.matmul;
  const acc = CPU_KERNELS.matmul([reads[0]!, reads[1]!], mm.attrs as Attrs<'matmul'>, mm.type, ctx);
  const domain = mm.type.shape;
  const { exprs, result } = kernel.epilogue;
  return evaluate(
    domain,
    exprs,
    [{ expr: result, shape: domain }],
    (e) => {
      if (e.kind === 'acc') return { data: acc, strides: stridesOf(domain) };
      if (e.kind !== 'load') throw new Error('only loads and the accumulator read memory');
      return { data: reads[e.read]!.data, strides: viewStrides(e.shape, domain) };
    },
    ctx,
  )[0]!;
}

/** Run a reduce kernel: its prologue over the input's elements, the reference reduction, then its epilogue over the result. */
export function runReduce(kernel: ReduceKernel, reads: readonly CpuTensor[], ctx: KernelContext): Data {
  const r = kernel.reduction;
  const loads = (domain: Shape, acc?: Data) => (e: Expr) => {
    if (e.kind === 'acc') return { data: acc!, strides: stridesOf(domain) };
    if (e.kind !== 'load') throw new Error('only loads and the accumulator read memory');
    return { data: reads[e.read]!.data, strides: viewStrides(e.shape, domain) };
  };
  const pro = kernel.prologue;
  const only = pro.exprs[pro.result]!;
  const input: CpuTensor =
    only.kind === 'load'
      ? reads[only.read]!
      : {
          data: evaluate(kernel.input, pro.exprs, [{ expr: pro.result, shape: kernel.input }], loads(kernel.input), ctx)[0]!,
          shape: kernel.input,
          dtype: dtypeOf(only),
        };
  const reduce = CPU_KERNELS[kernel.op] as CpuKernel<'sum'>;
  const acc = reduce([input], r.attrs as Attrs<'sum'>, r.type, ctx);
  const { exprs, result } = kernel.epilogue;
  if (exprs[result]!.kind === 'acc') return acc;
  const domain = r.type.shape;
  return evaluate(domain, exprs, [{ expr: result, shape: domain }], loads(domain, acc), ctx)[0]!;
}
