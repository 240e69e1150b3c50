// im2col and col2im for NHWC images and HWIO filters with one group: conv2d becomes
// col[N·Ho·Wo, kh·kw·C] · w[kh·kw·C, Co], and its gradients two more GEMMs.

/**
 * col[((b·ho + oy)·wo + ox)·K + (ky·kw + kx)·c + ci] = x[b, oy·sh + ky·dh - pt, ox·sw + kx·dw - pl, ci],
 * zero where that cell lies outside the image (K = kh·kw·c).
 */
export function im2col(x: usize, col: usize, n: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, ho: i32, wo: i32, sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32): void {
  const run = <usize>c << 2;
  let dst = col;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++) {
        const left = ox * sw - pl;
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh + ky * dh - pt;
          if (iy < 0 || iy >= h) {
            memory.fill(dst, 0, run * kw);
            dst += run * kw;
            continue;
          }
          const row = x + ((<usize>(b * h + iy) * w * c) << 2);
          if (dw == 1) {
            // Undilated: the in-image taps of this filter row are one contiguous run of x.
            const k0 = min(max(0, -left), kw);
            const k1 = max(min(kw, w - left), k0);
            if (k0 > 0) memory.fill(dst, 0, run * k0);
            if (k1 > k0) memory.copy(dst + run * k0, row + ((<usize>(left + k0) * c) << 2), run * (k1 - k0));
            if (k1 < kw) memory.fill(dst + run * k1, 0, run * (kw - k1));
            dst += run * kw;
            continue;
          }
          for (let kx = 0; kx < kw; kx++) {
            const ix = left + kx * dw;
            if (ix < 0 || ix >= w) memory.fill(dst, 0, run);
            else memory.copy(dst, row + ((<usize>ix * c) << 2), run);
            dst += run;
          }
        }
      }
    }
  }
}

/** The adjoint of im2col: dx (zeroed here first) gets every col entry added back to its image cell. */
export function col2im(col: usize, dx: usize, n: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, ho: i32, wo: i32, sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32): void {
  memory.fill(dx, 0, <usize>n * h * w * c * 4);
  const run = <usize>c << 2;
  let src = col;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++) {
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh + ky * dh - pt;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * sw + kx * dw - pl;
            if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
              const dst = dx + ((<usize>((b * h + iy) * w + ix) * c) << 2);
              let ci = 0;
              for (; ci + 4 <= c; ci += 4) {
                const off = <usize>ci << 2;
                v128.store(dst + off, f32x4.add(v128.load(dst + off), v128.load(src + off)));
              }
              for (; ci < c; ci++) {
                const off = <usize>ci << 2;
                store<f32>(dst + off, load<f32>(dst + off) + load<f32>(src + off));
              }
            }
            src += run;
          }
        }
      }
    }
  }
}
