/**
 * Batched matmul: out[..., i, j] = Σ_q A'[..., i, q] · B'[..., q, j], where A' and B' are the
 * operands with their last two dims swapped when transA / transB (read in place, never copied),
 * and batch dims broadcast. The code comes from the GEMM generator (gemm.ts) in the variant the
 * options force, the tuner measured (autotune.ts), or a fixed rule picks.
 */
import { sizeOf } from '../../../ops/shape';
import type { TensorType } from '../../../ops/types';
import { broadcastStrides } from '../../cpu/kernels/strided';
import type { Dispatch, KernelArgs, KernelOptions, MatmulVariant, WgslKernelTable } from '../kernel';
import { offset, unravel } from '../wgsl';
import { defaultVariant, gemm, type GemmSpec } from './gemm';

export type { MatmulVariant };

/**
 * Work fused into the matmul's store: `expr` maps the accumulator to the stored value (e.g.
 * `max(acc + e0[col], 0.0)`); it may read `extraInputs` f32 arrays e0, e1, … bound after the two
 * operands. row / col are u32 expressions: the position within the current batch matrix.
 */
export interface MatmulEpilogue {
  readonly extraInputs: number;
  expr(acc: string, row: string, col: string): string;
}

/** M, K, N of a matmul node. */
function dims(a: TensorType, out: TensorType, transA: boolean): { m: number; k: number; n: number } {
  const r = out.shape.length;
  return { m: out.shape[r - 2]!, n: out.shape[r - 1]!, k: transA ? a.shape[a.shape.length - 2]! : a.shape[a.shape.length - 1]! };
}

/** The tuner's key of a matmul: operand shapes and transposes (the output follows from them). */
export function matmulKey(inputs: readonly TensorType[], transA: boolean, transB: boolean): string {
  const [a, b] = inputs as [TensorType, TensorType];
  return `matmul [${a.shape.join(',')}]${transA ? 'T' : ''} [${b.shape.join(',')}]${transB ? 'T' : ''}`;
}

/** The variant for a GEMM: forced by the options, else measured, else the fixed rule. */
export function chooseVariant(options: KernelOptions | undefined, key: string, m: number, n: number, k: number, batches: number): MatmulVariant {
  return options?.matmul ?? options?.tuned?.get(key) ?? defaultVariant(m, n, k, batches);
}

/** The matmul of one node as a GEMM spec. */
export function matmulSpec({ inputs, attrs: { transA, transB }, out }: KernelArgs<'matmul'>, epilogue?: MatmulEpilogue): GemmSpec {
  const [a, b] = inputs as [TensorType, TensorType];
  const { m, k, n } = dims(a, out, transA);
  const batch = out.shape.slice(0, -2);
  const aStrides = broadcastStrides(a.shape.slice(0, -2), batch).map((s) => s * m * k);
  const bStrides = broadcastStrides(b.shape.slice(0, -2), batch).map((s) => s * k * n);
  const aligned = (strides: number[]) => strides.every((s) => s % 4 === 0);
  return {
    m,
    n,
    k,
    batches: sizeOf(batch),
    batchOffsets: `${unravel('bi', batch, 'bc')}
  let aOff = ${offset('bc', aStrides)};
  let bOff = ${offset('bc', bStrides)};
  let oOff = bi * ${m * n}u;`,
    // A'(row, q) and B'(q, col), wherever the transposes put them.
    a: { dense: transA ? { sr: 1, sq: m, aligned: aligned(aStrides) } : { sr: k, sq: 1, aligned: aligned(aStrides) } },
    b: { dense: transB ? { sr: k, sq: 1, aligned: aligned(bStrides) } : { sr: 1, sq: n, aligned: aligned(bStrides) } },
    ldo: n,
    ...(epilogue ? { epilogue } : {}),
  };
}

/**
 * The dispatches of a matmul node, with `epilogue` applied to each result. Bindings: A, B, then
 * e0, e1, … (node inputs 2, 3, …), then the output; no params uniform.
 */
export function matmulDispatches(args: KernelArgs<'matmul'>, epilogue?: MatmulEpilogue): Dispatch[] {
  const spec = matmulSpec(args, epilogue);
  const variant = chooseVariant(args.options, matmulKey(args.inputs, args.attrs.transA, args.attrs.transB), spec.m, spec.n, spec.k, spec.batches);
  const { code, workgroups } = gemm(spec, variant);
  return [{ code, workgroups, inputs: Array.from({ length: 2 + (epilogue?.extraInputs ?? 0) }, (_v, i) => i) }];
}

export const MATMUL_KERNELS = {
  matmul: (args) => ({ dispatches: matmulDispatches(args) }),
} satisfies Partial<WgslKernelTable>;
