// Reductions over the middle dim of [outer, len, inner], f32 in and out. Sums accumulate in f64
// (as the JS reference does), so a long sum rounds once, at the end.

/** o[p·inner + i] = Σ_r x[(p·len + r)·inner + i], times `scale` (1, or 1/len for a mean). */
export function sum_f32(x: usize, o: usize, outer: i32, len: i32, inner: i32, scale: f64): void {
  for (let p = 0; p < outer; p++) {
    const base = x + ((<usize>p * len * inner) << 2);
    const dst = o + ((<usize>p * inner) << 2);
    if (inner == 1) {
      let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0;
      let r = 0;
      for (; r + 4 <= len; r += 4) {
        const at = base + (<usize>r << 2);
        s0 += <f64>load<f32>(at); s1 += <f64>load<f32>(at, 4); s2 += <f64>load<f32>(at, 8); s3 += <f64>load<f32>(at, 12);
      }
      for (; r < len; r++) s0 += <f64>load<f32>(base + (<usize>r << 2));
      store<f32>(dst, <f32>(((s0 + s1) + (s2 + s3)) * scale));
      continue;
    }
    let i = 0;
    const vs = f64x2.splat(scale);
    for (; i + 4 <= inner; i += 4) {
      let lo = f64x2.splat(0), hi = f64x2.splat(0);
      for (let r = 0; r < len; r++) {
        const v = v128.load(base + ((<usize>r * inner + i) << 2));
        lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
        hi = f64x2.add(hi, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)));
      }
      lo = f64x2.mul(lo, vs);
      hi = f64x2.mul(hi, vs);
      const l = f32x4.demote_f64x2_zero(lo);
      const h = f32x4.demote_f64x2_zero(hi);
      v128.store(dst + (<usize>i << 2), i32x4.shuffle(l, h, 0, 1, 4, 5));
    }
    for (; i < inner; i++) {
      let s: f64 = 0;
      for (let r = 0; r < len; r++) s += <f64>load<f32>(base + ((<usize>r * inner + i) << 2));
      store<f32>(dst + (<usize>i << 2), <f32>(s * scale));
    }
  }
}

/** o[p·inner + i] = max_r x[(p·len + r)·inner + i]; NaN propagates (wasm's max); -inf for len 0. */
export function max_f32(x: usize, o: usize, outer: i32, len: i32, inner: i32): void {
  for (let p = 0; p < outer; p++) {
    const base = x + ((<usize>p * len * inner) << 2);
    const dst = o + ((<usize>p * inner) << 2);
    let i = 0;
    for (; i + 4 <= inner; i += 4) {
      let m = f32x4.splat(-Infinity);
      for (let r = 0; r < len; r++) m = f32x4.max(m, v128.load(base + ((<usize>r * inner + i) << 2)));
      v128.store(dst + (<usize>i << 2), m);
    }
    for (; i < inner; i++) {
      let m: f32 = -Infinity;
      for (let r = 0; r < len; r++) m = max(m, load<f32>(base + ((<usize>r * inner + i) << 2)));
      store<f32>(dst + (<usize>i << 2), m);
    }
  }
}
