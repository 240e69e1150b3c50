// max_pool2d and its gradient on NHWC images: each window's first maximum (row-major within the
// window; a NaN wins and keeps it), over the window's cells inside the image (padding ignored).

/**
 * With dx == 0: y[o] = the window's first maximum (0 for a window outside the image).
 * Otherwise the gradient: dx (zeroed here first) gets dy[o] added at that first maximum.
 */
export function max_pool(x: usize, y: usize, dy: usize, dx: usize, n: i32, h: i32, w: i32, c: i32, ho: i32, wo: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32): void {
  const grad = dx != 0;
  if (grad) memory.fill(dx, 0, <usize>n * h * w * c * 4);
  let o: usize = 0;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < ho; oy++) {
      const top = oy * sh - pt;
      const y0 = max(top, 0), y1 = min(top + kh, h);
      for (let ox = 0; ox < wo; ox++) {
        const left = ox * sw - pl;
        const x0 = max(left, 0), x1 = min(left + kw, w);
        for (let ch = 0; ch < c; ch++) {
          let best: f32 = 0;
          let at: isize = -1;
          for (let iy = y0; iy < y1; iy++) {
            for (let ix = x0; ix < x1; ix++) {
              const off = <isize>(((b * h + iy) * w + ix) * c + ch);
              const v = load<f32>(x + (<usize>off << 2));
              if (at < 0 || v > best || (v != v && best == best)) {
                best = v;
                at = off;
              }
            }
          }
          if (grad) {
            if (at >= 0) {
              const d = dx + (<usize>at << 2);
              store<f32>(d, load<f32>(d) + load<f32>(dy + (o << 2)));
            }
          } else {
            store<f32>(y + (o << 2), at >= 0 ? best : 0);
          }
          o++;
        }
      }
    }
  }
}

/** o[i] = x[i] as f32, for 0/1 bytes (bool). */
export function u8_to_f32(o: usize, x: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(x + i)));
    v128.store(o + (<usize>i << 2), f32x4.convert_i32x4_u(v));
  }
  for (; i < n; i++) store<f32>(o + (<usize>i << 2), <f32>load<u8>(x + i));
}

/** o[i] = x[i] as f32, for i32. */
export function i32_to_f32(o: usize, x: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f32>(o + (<usize>i << 2), <f32>load<i32>(x + (<usize>i << 2)));
}
