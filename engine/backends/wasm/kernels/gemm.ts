/** GEMM through the packed SIMD kernel, and batched matmul over it. */
import { broadcastStrides, RowWalker } from '../../cpu/kernels/strided';
import { TILE_BYTES, type WasmContext, type WasmKernelTable } from '../kernel';
import { splitEvenly } from './split';

const up = (n: number, to: number) => Math.ceil(n / to) * to;
/** Scratch bytes for one m×k·k×n product: packed A (rows to 4), packed B (columns to 8), an edge tile. */
export const gemmScratch = (m: number, k: number, n: number) => 4 * (up(m, 4) * k + k * up(n, 8)) + 128 + 32;

/**
 * c (m×n) = op(a)·op(b) for f32 matrices at byte offsets a, b, c; `scratch` holds gemmScratch bytes.
 * packA / packB false reuse what the previous call packed (a broadcast operand).
 */
export function gemm(
  ctx: WasmContext,
  a: number,
  b: number,
  c: number,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  scratch = ctx.scratch,
  packA = true,
  packB = true,
): void {
  const ap = scratch;
  const bp = ap + 4 * up(m, 4) * k;
  const tile = bp + 4 * k * up(n, 8);
  const threaded = ctx.pieces > 1 && k > 0 && m * k * n >= PARALLEL_MACS;
  if (threaded && packA && packB) {
    ctx.parallel([
      ['pack_a', a, ap, m, k, transA ? 1 : 0],
      ['pack_b', b, bp, k, n, transB ? 1 : 0],
    ]);
  } else {
    if (packA) ctx.k.pack_a(a, ap, m, k, transA ? 1 : 0);
    if (packB) ctx.k.pack_b(b, bp, k, n, transB ? 1 : 0);
  }
  if (!threaded) return ctx.k.gemm_packed(ap, bp, c, m, k, n, tile);
  // Split C into bands of whole register tiles along its longer side (in tiles), for the threads to share.
  const rowTiles = Math.ceil(m / 4);
  const colTiles = Math.ceil(n / 8);
  const byRows = rowTiles >= colTiles;
  const bands = splitEvenly(byRows ? rowTiles : colTiles, ctx.pieces);
  ctx.parallel(
    bands.map(([from, to], t) => {
      const [i0, i1, j0, j1] = byRows ? [4 * from, 4 * to, 0, 8 * colTiles] : [0, 4 * rowTiles, 8 * from, 8 * to];
      return ['gemm_part', ap, bp, c, m, k, n, ctx.tiles + TILE_BYTES * t, i0, i1, j0, j1];
    }),
  );
}

/** Multiply-adds below which a product runs on one thread (waking the others costs more). */
const PARALLEL_MACS = 1 << 16;

/** m, k, n of a matmul from its operand shapes. */
function dims(a: readonly number[], b: readonly number[], transA: boolean, transB: boolean) {
  const [aRows, aCols] = [a[a.length - 2]!, a[a.length - 1]!];
  const [bRows, bCols] = [b[b.length - 2]!, b[b.length - 1]!];
  return { m: transA ? aCols : aRows, k: transA ? aRows : aCols, n: transB ? bRows : bCols };
}

export const GEMM_KERNELS: WasmKernelTable = {
  matmul: {
    scratch: ([a, b], { transA, transB }) => {
      const { m, k, n } = dims(a!.shape, b!.shape, transA, transB);
      return gemmScratch(m, k, n);
    },
    run(ctx, [a, b], { transA, transB }, out) {
      const { m, k, n } = dims(a!.shape, b!.shape, transA, transB);
      const batch = out.shape.slice(0, -2);
      const w = new RowWalker(batch, [
        broadcastStrides(a!.shape.slice(0, -2), batch).map((s) => s * m * k),
        broadcastStrides(b!.shape.slice(0, -2), batch).map((s) => s * k * n),
      ]);
      let packedA = -1; // element offset of the operand last packed: a broadcast operand is packed once
      let packedB = -1;
      for (let r = 0, o = 0; r < w.count; r++, w.next()) {
        for (let t = 0; t < w.length; t++, o += m * n) {
          const offA = w.base[0]! + t * w.step[0]!;
          const offB = w.base[1]! + t * w.step[1]!;
          gemm(ctx, a!.ptr + 4 * offA, b!.ptr + 4 * offB, out.ptr + 4 * o, m, k, n, transA, transB, ctx.scratch, offA !== packedA, offB !== packedB);
          packedA = offA;
          packedB = offB;
        }
      }
    },
  },
};
