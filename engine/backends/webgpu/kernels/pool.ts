/**
 * 2-D pooling over NHWC images, one thread per output element. A window covers rows
 * oy·sh - pt + [0, kh) and columns ox·sw - pl + [0, kw); only its cells inside the image take part.
 * The gradients run one thread per input cell and visit the windows that hold it, in the CPU
 * reference's order (oy, then ox), so no atomics are needed.
 */
import type { Shape, TensorType, Window2D } from '../../../ops/types';
import type { KernelPlan, WgslKernelTable } from '../kernel';
import { inputsNamed, perElement } from '../wgsl';

/** Constants and window helpers for a pooling of x (NHWC) to y. */
function helpers(x: Shape, y: Shape, a: Window2D): string {
  const [n, h, w, c] = x as [number, number, number, number];
  const g: Record<string, number> = {
    N: n,
    H: h,
    W: w,
    C: c,
    HO: y[1]!,
    WO: y[2]!,
    KH: a.size[0],
    KW: a.size[1],
    SH: a.stride[0],
    SW: a.stride[1],
    PT: a.padding[0],
    PL: a.padding[2],
  };
  return `${Object.entries(g)
    .map(([k, v]) => `const ${k} = ${v}i;`)
    .join('\n')}
/** The window of output pixel (oy, ox) clipped to the image: rows [r.x, r.y), columns [r.z, r.w). */
fn clip(oy: i32, ox: i32) -> vec4i {
  let top = oy * SH - PT;
  let left = ox * SW - PL;
  return vec4i(max(top, 0i), min(top + KH, H), max(left, 0i), min(left + KW, W));
}
/** Number of in-image cells of a clipped window. */
fn cells(r: vec4i) -> i32 { return max(r.y - r.x, 0i) * max(r.w - r.z, 0i); }
/** Output pixels whose window holds input row iy (or column): [lo, hi]. */
fn windows(iy: i32, pad: i32, k: i32, s: i32, count: i32) -> vec2i {
  let a = iy + pad - k + 1;
  return vec2i(select((a + s - 1) / s, 0i, a < 0i), min((iy + pad) / s, count - 1));
}`;
}

/** Statements naming the coordinates of flat index i in NHWC dims. */
function coords(names: readonly string[], dims: readonly string[]): string {
  return `  var q = i32(i);
  let ${names[3]} = q % ${dims[3]}; q = q / ${dims[3]};
  let ${names[2]} = q % ${dims[2]}; q = q / ${dims[2]};
  let ${names[1]} = q % ${dims[1]};
  let ${names[0]} = q / ${dims[1]};`;
}

/** The first maximum (or first NaN) of window (oy, ox) in channel c of image b, as a flat index into x, or -1 when empty. */
const ARGMAX = `
fn window_argmax(b: i32, oy: i32, ox: i32, c: i32) -> i32 {
  let r = clip(oy, ox);
  var at = -1i;
  var best = 0.0;
  for (var iy = r.x; iy < r.y; iy++) {
    for (var ix = r.z; ix < r.w; ix++) {
      let k = ((b * H + iy) * W + ix) * C + c;
      let v = x0[u32(k)];
      // Strictly greater: a later tie never displaces the first maximum. The first NaN wins (and
      // keeps) the window, as on the CPU; NaN is tested by its bits, which finite maths cannot fold.
      if (at < 0i || (!is_nan(best) && (is_nan(v) || v > best))) { best = v; at = k; }
    }
  }
  return at;
}`;

function plan(inputs: readonly TensorType[], out: TensorType, helperCode: string, body: string): KernelPlan {
  const n = out.shape.reduce((p, d) => p * d, 1);
  const bound = inputs.map((_t, k) => k);
  return { dispatches: [perElement(inputsNamed(inputs.map((t) => t.dtype)), bound, out.dtype, n, body, helperCode)] };
}

/** Loops over the windows (oy, ox) holding input cell (iy, ix); `visit` sees oy, ox and the dy offset `yAt`. */
function forWindows(visit: string): string {
  return `${coords(['b', 'iy', 'ix', 'c'], ['N', 'H', 'W', 'C'])}
  let ry = windows(iy, PT, KH, SH, HO);
  let rx = windows(ix, PL, KW, SW, WO);
  var acc = 0.0;
  for (var oy = ry.x; oy <= ry.y; oy++) {
    for (var ox = rx.x; ox <= rx.y; ox++) {
      let yAt = u32(((b * HO + oy) * WO + ox) * C + c);
${visit}
    }
  }
  out[i] = acc;`;
}

export const POOL_KERNELS = {
  /** y = the largest in-image value of each window, NaN if it holds one (0 for a window outside the image). */
  max_pool2d: ({ inputs, attrs, out }) => {
    const body = `${coords(['b', 'oy', 'ox', 'c'], ['N', 'HO', 'WO', 'C'])}
  let at = window_argmax(b, oy, ox, c);
  out[i] = select(0.0, x0[u32(max(at, 0i))], at >= 0i);`;
    return plan(inputs, out, helpers(inputs[0]!.shape, out.shape, attrs) + ARGMAX, body);
  },

  /** dx[cell] = Σ dy[window] over the windows whose first maximum is this cell. x0 = x, x1 = dy. */
  max_pool2d_grad: ({ inputs, attrs }) => {
    const [x, dy] = inputs as [TensorType, TensorType];
    const body = forWindows('      if (window_argmax(b, oy, ox, c) == i32(i)) { acc += x1[yAt]; }');
    return plan(inputs, x, helpers(x.shape, dy.shape, attrs) + ARGMAX, body);
  },

  /** y = Σ in-image cells / their count. */
  avg_pool2d: ({ inputs, attrs, out }) => {
    const body = `${coords(['b', 'oy', 'ox', 'c'], ['N', 'HO', 'WO', 'C'])}
  let r = clip(oy, ox);
  var acc = 0.0;
  for (var iy = r.x; iy < r.y; iy++) {
    for (var ix = r.z; ix < r.w; ix++) { acc += x0[u32(((b * H + iy) * W + ix) * C + c)]; }
  }
  out[i] = select(0.0, acc / f32(cells(r)), cells(r) > 0i);`;
    return plan(inputs, out, helpers(inputs[0]!.shape, out.shape, attrs), body);
  },

  /** dx[cell] = Σ dy[window] / count(window) over the windows holding the cell. x0 = dy. */
  avg_pool2d_grad: ({ inputs, attrs, out }) => {
    const body = forWindows('      acc += x0[yAt] / f32(cells(clip(oy, ox)));');
    return plan(inputs, out, helpers(attrs.inputShape, inputs[0]!.shape, attrs), body);
  },
} satisfies Partial<WgslKernelTable>;
