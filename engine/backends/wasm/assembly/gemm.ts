// GEMM, C = op(A)·op(B), f32, row-major. Both operands are packed first (which also applies
// the transposes), then a 4×8 register tile (eight f32x4 accumulators) runs down the shared dim.

/** Rows of C per register tile. */
const MR = 4;
/** Columns of C per register tile (two f32x4). */
const NR = 8;
/** Depth of one packed block: a 4×KC panel of A and a KC×8 panel of B stay in L1 (KC·48 bytes). */
const KC = 256;

/**
 * Packs op(A) (m×k) into 4-row panels, one per depth block: for block k0 of depth kc, panel ib holds
 * ap[k0·mp + (ib·kc + p)·4 + r] = A'(ib·4 + r, k0 + p), rows past m zero (mp: m rounded up to 4).
 * A'(i, p) is a[p·m + i] when trans, else a[i·k + p].
 */
export function pack_a(a: usize, ap: usize, m: i32, k: i32, trans: i32): void {
  const mp = (m + MR - 1) & ~(MR - 1);
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = min(KC, k - k0);
    for (let ib = 0; ib < mp; ib += MR) {
      let dst = ap + ((<usize>k0 * mp + <usize>ib * kc) << 2);
      for (let p = k0; p < k0 + kc; p++) {
        for (let r = 0; r < MR; r++) {
          const i = ib + r;
          let v: f32 = 0;
          if (i < m) v = trans ? load<f32>(a + ((<usize>p * m + i) << 2)) : load<f32>(a + ((<usize>i * k + p) << 2));
          store<f32>(dst, v);
          dst += 4;
        }
      }
    }
  }
}

/**
 * Packs op(B) (k×n) into 8-column panels, one per depth block: for block k0 of depth kc, panel jb
 * holds bp[k0·np + (jb·kc + p)·8 + c] = B'(k0 + p, jb·8 + c), columns past n zero (np: n rounded up
 * to 8). B'(p, j) is b[j·k + p] when trans, else b[p·n + j].
 */
export function pack_b(b: usize, bp: usize, k: i32, n: i32, trans: i32): void {
  const np = (n + NR - 1) & ~(NR - 1);
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = min(KC, k - k0);
    for (let jb = 0; jb < np; jb += NR) {
      let dst = bp + ((<usize>k0 * np + <usize>jb * kc) << 2);
      if (!trans && jb + NR <= n) {
        // A full row of 8 is contiguous in b: copy it as two vectors.
        for (let p = k0; p < k0 + kc; p++) {
          const src = b + ((<usize>p * n + jb) << 2);
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
          dst += 32;
        }
        continue;
      }
      for (let p = k0; p < k0 + kc; p++) {
        for (let c = 0; c < NR; c++) {
          const j = jb + c;
          let v: f32 = 0;
          if (j < n) v = trans ? load<f32>(b + ((<usize>j * k + p) << 2)) : load<f32>(b + ((<usize>p * n + j) << 2));
          store<f32>(dst, v);
          dst += 4;
        }
      }
    }
  }
}

/**
 * C (m×n) = packed A · packed B. `tile` is 128 bytes of scratch for the edge tiles (rows past m or
 * columns past n are computed there and only the valid part copied out). The first depth block
 * writes C, later ones add to it.
 */
export function gemm_packed(ap: usize, bp: usize, c: usize, m: i32, k: i32, n: i32, tile: usize): void {
  if (k == 0) {
    memory.fill(c, 0, <usize>m * n * 4);
    return;
  }
  gemm_part(ap, bp, c, m, k, n, tile, 0, (m + MR - 1) & ~(MR - 1), 0, (n + NR - 1) & ~(NR - 1));
}

/**
 * The part of gemm_packed that writes rows [i0, i1) and columns [j0, j1) of C (i0, i1 multiples of
 * 4, j0, j1 of 8, within m and n rounded up; k > 0). Each element is summed in the same order as the
 * whole product, so threads that each run a part compute exactly what one thread does.
 */
export function gemm_part(ap: usize, bp: usize, c: usize, m: i32, k: i32, n: i32, tile: usize, i0: i32, i1: i32, j0: i32, j1: i32): void {
  const mp = (m + MR - 1) & ~(MR - 1);
  const np = (n + NR - 1) & ~(NR - 1);
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = min(KC, k - k0);
    const first = k0 == 0;
    for (let jb = j0; jb < j1; jb += NR) {
      const bPanel = bp + ((<usize>k0 * np + <usize>jb * kc) << 2);
      for (let ib = i0; ib < i1; ib += MR) {
        const aPanel = ap + ((<usize>k0 * mp + <usize>ib * kc) << 2);
        const full = ib + MR <= m && jb + NR <= n;
        const out = full ? c + ((<usize>ib * n + jb) << 2) : tile;
        const ld: usize = full ? <usize>n << 2 : NR << 2;
        if (!full && !first) {
          // Bring the edge tile's partial sums into the scratch tile.
          for (let r = 0; r < MR; r++) {
            for (let q = 0; q < NR; q++) {
              const i = ib + r, j = jb + q;
              store<f32>(tile + ((<usize>r * NR + q) << 2), i < m && j < n ? load<f32>(c + ((<usize>i * n + j) << 2)) : 0);
            }
          }
        }
        micro(aPanel, bPanel, kc, out, ld, first);
        if (!full) {
          for (let r = 0; r < MR; r++) {
            for (let q = 0; q < NR; q++) {
              const i = ib + r, j = jb + q;
              if (i < m && j < n) store<f32>(c + ((<usize>i * n + j) << 2), load<f32>(tile + ((<usize>r * NR + q) << 2)));
            }
          }
        }
      }
    }
  }
}

/** One 4×8 tile: out[r][0..8) (row stride ld bytes) = (first ? 0 : out) + Σ_p a[p][r] · b[p][0..8). */
// @ts-ignore: decorator
@inline
function micro(a: usize, b: usize, kc: i32, out: usize, ld: usize, first: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    const a0 = v128.load32_splat(a);
    const a1 = v128.load32_splat(a, 4);
    const a2 = v128.load32_splat(a, 8);
    const a3 = v128.load32_splat(a, 12);
    c00 = f32x4.add(c00, f32x4.mul(a0, b0)); c01 = f32x4.add(c01, f32x4.mul(a0, b1));
    c10 = f32x4.add(c10, f32x4.mul(a1, b0)); c11 = f32x4.add(c11, f32x4.mul(a1, b1));
    c20 = f32x4.add(c20, f32x4.mul(a2, b0)); c21 = f32x4.add(c21, f32x4.mul(a2, b1));
    c30 = f32x4.add(c30, f32x4.mul(a3, b0)); c31 = f32x4.add(c31, f32x4.mul(a3, b1));
    a += 16;
    b += 32;
  }
  const o0 = out, o1 = out + ld, o2 = o1 + ld, o3 = o2 + ld;
  if (!first) {
    c00 = f32x4.add(c00, v128.load(o0)); c01 = f32x4.add(c01, v128.load(o0, 16));
    c10 = f32x4.add(c10, v128.load(o1)); c11 = f32x4.add(c11, v128.load(o1, 16));
    c20 = f32x4.add(c20, v128.load(o2)); c21 = f32x4.add(c21, v128.load(o2, 16));
    c30 = f32x4.add(c30, v128.load(o3)); c31 = f32x4.add(c31, v128.load(o3, 16));
  }
  v128.store(o0, c00); v128.store(o0, c01, 16);
  v128.store(o1, c10); v128.store(o1, c11, 16);
  v128.store(o2, c20); v128.store(o2, c21, 16);
  v128.store(o3, c30); v128.store(o3, c31, 16);
}
