/**
 * Batched matmul: out[..., i, j] = Σ_p A'[..., i, p] · B'[..., p, j], where A' and B' are the
 * operands with their last two dims swapped when transA / transB, and batch dims broadcast.
 */
import { sizeOf } from '../../../ops/shape';
import type { CpuKernelTable, Data } from '../kernel';
import { broadcastStrides, RowWalker } from './strided';

/** Block sizes: a KB×NB panel of B (256 KiB of doubles at most) stays in L2 while every row of A streams past it. */
const KB = 128;
const NB = 256;

/**
 * c[m×n] += a[m×k] · b[k×n], row-major Float64Arrays. Loop order j-block, k-block, i, p, j: the
 * innermost loop runs along contiguous rows of b and c. Two rows of a and four values of p per
 * pass, so each load of c feeds eight multiply-adds.
 */
export function gemm(a: Float64Array, b: Float64Array, c: Float64Array, m: number, k: number, n: number): void {
  for (let j0 = 0; j0 < n; j0 += NB) {
    const j1 = Math.min(n, j0 + NB);
    for (let k0 = 0; k0 < k; k0 += KB) {
      const k1 = Math.min(k, k0 + KB);
      let i = 0;
      for (; i + 1 < m; i += 2) {
        const c0 = i * n;
        const c1 = c0 + n;
        const r0 = i * k;
        const r1 = r0 + k;
        let p = k0;
        for (; p + 3 < k1; p += 4) {
          const a00 = a[r0 + p]!,
            a01 = a[r0 + p + 1]!,
            a02 = a[r0 + p + 2]!,
            a03 = a[r0 + p + 3]!;
          const a10 = a[r1 + p]!,
            a11 = a[r1 + p + 1]!,
            a12 = a[r1 + p + 2]!,
            a13 = a[r1 + p + 3]!;
          const b0 = p * n;
          const b1 = b0 + n;
          const b2 = b1 + n;
          const b3 = b2 + n;
          for (let j = j0; j < j1; j++) {
            const x0 = b[b0 + j]!,
              x1 = b[b1 + j]!,
              x2 = b[b2 + j]!,
              x3 = b[b3 + j]!;
            c[c0 + j]! += a00 * x0 + a01 * x1 + a02 * x2 + a03 * x3;
            c[c1 + j]! += a10 * x0 + a11 * x1 + a12 * x2 + a13 * x3;
          }
        }
        for (; p < k1; p++) {
          const a0 = a[r0 + p]!;
          const a1 = a[r1 + p]!;
          const bp = p * n;
          for (let j = j0; j < j1; j++) {
            const x = b[bp + j]!;
            c[c0 + j]! += a0 * x;
            c[c1 + j]! += a1 * x;
          }
        }
      }
      if (i < m) {
        // The odd last row.
        const ci = i * n;
        for (let p = k0; p < k1; p++) {
          const aip = a[i * k + p]!;
          const bp = p * n;
          for (let j = j0; j < j1; j++) c[ci + j]! += aip * b[bp + j]!;
        }
      }
    }
  }
}

/**
 * The [rows, cols] matrix at `offset` of src, or its transpose, as a row-major Float64Array
 * (a view when no copy is needed, else written into `scratch`).
 */
function operand(src: Data, offset: number, rows: number, cols: number, transpose: boolean, scratch: Float64Array): Float64Array {
  const size = rows * cols;
  if (!transpose) {
    if (src instanceof Float64Array) return src.subarray(offset, offset + size);
    scratch.set(src.subarray(offset, offset + size));
    return scratch;
  }
  for (let i = 0; i < rows; i++) {
    const s = offset + i * cols;
    for (let j = 0; j < cols; j++) scratch[j * rows + i] = src[s + j]!;
  }
  return scratch;
}

export const MATMUL_KERNELS = {
  matmul: (inputs, { transA, transB }, out, ctx) => {
    const [a, b] = inputs as [(typeof inputs)[0], (typeof inputs)[0]];
    const ra = a.shape.length;
    const rb = b.shape.length;
    const [aRows, aCols] = [a.shape[ra - 2]!, a.shape[ra - 1]!];
    const [bRows, bCols] = [b.shape[rb - 2]!, b.shape[rb - 1]!];
    const [m, k] = transA ? [aCols, aRows] : [aRows, aCols];
    const n = transB ? bRows : bCols;
    const batch = out.shape.slice(0, -2);
    const w = new RowWalker(batch, [
      broadcastStrides(a.shape.slice(0, -2), batch).map((s) => s * m * k),
      broadcastStrides(b.shape.slice(0, -2), batch).map((s) => s * k * n),
    ]);
    const o = ctx.alloc(out.dtype, sizeOf(out.shape));
    const aScratch = new Float64Array(m * k);
    const bScratch = new Float64Array(k * n);
    const c = new Float64Array(m * n);
    let am: Float64Array = aScratch;
    let bm: Float64Array = bScratch;
    let packedA = -1; // offset of the operand already in am / bm: a broadcast operand is packed once
    let packedB = -1;
    for (let r = 0, out0 = 0; r < w.count; r++, w.next()) {
      for (let t = 0; t < w.length; t++, out0 += m * n) {
        const offA = w.base[0]! + t * w.step[0]!;
        const offB = w.base[1]! + t * w.step[1]!;
        if (offA !== packedA) am = operand(a.data, offA, aRows, aCols, transA, aScratch);
        if (offB !== packedB) bm = operand(b.data, offB, bRows, bCols, transB, bScratch);
        packedA = offA;
        packedB = offB;
        c.fill(0);
        gemm(am, bm, c, m, k, n);
        o.set(c, out0);
      }
    }
    return o;
  },
} satisfies Partial<CpuKernelTable>;
