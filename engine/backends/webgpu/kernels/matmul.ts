/**
 * Batched matmul: out[..., i, j] = Σ_q A'[..., i, q] · B'[..., q, j], where A' and B' are the
 * operands with their last two dims swapped when transA / transB (read in place, never copied),
 * and batch dims broadcast. M, K, N come in a uniform, so every 2-D matmul with the same
 * transposes shares one pipeline (batched ones bake their batch strides into the code).
 *
 * Two variants (DESIGN.md: a software adapter and a discrete GPU want opposite things):
 * - 'workgroup': T×T threads own a T×T block of out; each T-wide slice of the inner dim is staged
 *   in workgroup memory, so an element is loaded once per workgroup instead of once per thread.
 * - 'register': 8×8 threads each own a 4×4 block (a 32×32 tile) held in registers, with no
 *   workgroup memory and no barriers (fastest on SwiftShader, where barriers are costly).
 * Both sum over q in order, like the CPU reference. TODO: choose per adapter by measuring.
 */
import { sizeOf } from '../../../ops/shape';
import type { TensorType } from '../../../ops/types';
import { broadcastStrides } from '../../cpu/kernels/strided';
import type { Dispatch, KernelArgs, KernelOptions, WgslKernelTable } from '../kernel';
import { inputsNamed, offset, shader, u, unravel } from '../wgsl';

/** Which matmul kernel a backend uses. */
export type MatmulVariant = NonNullable<KernelOptions['matmul']>;

/** Workgroup variant: tile edge (T×T threads, T×T blocks of A' and B' in workgroup memory). */
const T = 16;
/** Register variant: R×R outputs per thread, G×G threads per workgroup. */
const R = 4;
const G = 8;

const PARAMS = ['m', 'k', 'n', 'tilesN', 'tiles', 'batches'];

/** Statements common to both variants: which batch and output tile this workgroup owns, and the operands' batch offsets. */
function preamble(a: TensorType, b: TensorType, batch: readonly number[], m: number, k: number, n: number): string {
  return `
  if (wid >= p.batches * p.tiles) { return; }
  let bi = wid / p.tiles;
  let tm = (wid % p.tiles) / p.tilesN;
  let tn = wid % p.tilesN;
${unravel('bi', batch, 'c')}
  let aOff = ${offset('c', broadcastStrides(a.shape.slice(0, -2), batch).map((s) => s * m * k))};
  let bOff = ${offset('c', broadcastStrides(b.shape.slice(0, -2), batch).map((s) => s * k * n))};`;
}

/** Index of A'(row, q) and B'(q, col) in the operands' storage, read in place whatever the transposes. */
function operandIndex(transA: boolean, transB: boolean): { aAt: (row: string, q: string) => string; bAt: (q: string, col: string) => string } {
  return {
    aAt: (row, q) => (transA ? `aOff + ${q} * p.m + ${row}` : `aOff + ${row} * p.k + ${q}`),
    bAt: (q, col) => (transB ? `bOff + ${col} * p.k + ${q}` : `bOff + ${q} * p.n + ${col}`),
  };
}

function workgroupBody(transA: boolean, transB: boolean): string {
  const { aAt, bAt } = operandIndex(transA, transB);
  return `
  let ly = li / ${u(T)};
  let lx = li % ${u(T)};
  let outRow = tm * ${u(T)} + ly;
  let outCol = tn * ${u(T)} + lx;
  var acc = 0.0;
  for (var k0 = 0u; k0 < p.k; k0 += ${u(T)}) {
    // Thread (ly, lx) stages A'[outRow, k0 + lx] and B'[k0 + ly, outCol]; edges read zeros.
    let qa = k0 + lx;
    let qb = k0 + ly;
    var va = 0.0;
    var vb = 0.0;
    if (outRow < p.m && qa < p.k) { va = x0[${aAt('outRow', 'qa')}]; }
    if (outCol < p.n && qb < p.k) { vb = x1[${bAt('qb', 'outCol')}]; }
    tileA[ly * ${u(T)} + lx] = va;
    tileB[ly * ${u(T)} + lx] = vb;
    workgroupBarrier();
    for (var t = 0u; t < ${u(T)}; t++) { acc += tileA[ly * ${u(T)} + t] * tileB[t * ${u(T)} + lx]; }
    workgroupBarrier();
  }
  if (outRow < p.m && outCol < p.n) { out[(bi * p.m + outRow) * p.n + outCol] = acc; }`;
}

function registerBody(transA: boolean, transB: boolean): string {
  const { aAt, bAt } = operandIndex(transA, transB);
  const rows = [0, 1, 2, 3].map((i) => `min(row0 + ${i}u, p.m - 1u)`);
  const cols = [0, 1, 2, 3].map((j) => `min(col0 + ${j}u, p.n - 1u)`);
  return `
  let row0 = tm * ${u(R * G)} + (li / ${u(G)}) * ${u(R)};
  let col0 = tn * ${u(R * G)} + (li % ${u(G)}) * ${u(R)};
  // acc[i][j] = out[row0 + i, col0 + j]; edge rows and columns re-read the last one and are not written.
  var acc = array<vec4f, ${R}>(vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0));
  for (var q = 0u; q < p.k; q++) {
    let bq = vec4f(${cols.map((c) => `x1[${bAt('q', c)}]`).join(', ')});
${rows.map((r, i) => `    acc[${i}] += x0[${aAt(r, 'q')}] * bq;`).join('\n')}
  }
  for (var i = 0u; i < ${u(R)}; i++) {
    let row = row0 + i;
    if (row >= p.m) { break; }
    for (var j = 0u; j < ${u(R)}; j++) {
      if (col0 + j < p.n) { out[(bi * p.m + row) * p.n + col0 + j] = acc[i][j]; }
    }
  }`;
}

/** The matmul dispatch for one node with the chosen kernel variant. */
export function matmulDispatch({ inputs, attrs: { transA, transB }, out }: KernelArgs<'matmul'>, variant: MatmulVariant): Dispatch {
  const [a, b] = inputs as [TensorType, TensorType];
  const r = out.shape.length;
  const [m, n] = [out.shape[r - 2]!, out.shape[r - 1]!];
  const k = transA ? a.shape[a.shape.length - 2]! : a.shape[a.shape.length - 1]!;
  const batch = out.shape.slice(0, -2);
  const batches = sizeOf(batch);
  const tile = variant === 'workgroup' ? T : R * G;
  const [tilesM, tilesN] = [Math.ceil(m / tile), Math.ceil(n / tile)];
  const tiles = tilesM * tilesN;
  const head = preamble(a, b, batch, m, k, n);
  const code = variant === 'workgroup'
    ? shader(inputsNamed([a.dtype, b.dtype]), out.dtype, T * T, head + workgroupBody(transA, transB),
      `var<workgroup> tileA: array<f32, ${T * T}>;\nvar<workgroup> tileB: array<f32, ${T * T}>;`, PARAMS)
    : shader(inputsNamed([a.dtype, b.dtype]), out.dtype, G * G, head + registerBody(transA, transB), '', PARAMS);
  return { code, inputs: [0, 1], workgroups: batches * tiles, params: [m, k, n, tilesN, tiles, batches] };
}

export const MATMUL_KERNELS = {
  matmul: (args) => ({ dispatches: [matmulDispatch(args, args.options?.matmul ?? 'register')] }),
} satisfies Partial<WgslKernelTable>;
