/**
 * conv2d and its two gradients as direct loops (no im2col), NHWC images and HWIO filters:
 *   y[n,oy,ox,g·cog+co] = Σ_{ky,kx,ci} x[n, oy·sh + ky·dh - pt, ox·sw + kx·dw - pl, g·cig+ci] · w[ky,kx,ci,g·cog+co]
 * with cells outside the image reading as zero. The three kernels walk the same (pixel, tap)
 * pairs (forEachTap); the innermost loop always runs over output channels, contiguous in w and y.
 */
import type { ConvAttrs, Shape } from '../../../ops/types';
import type { CpuKernelTable } from '../kernel';
import { asFloat64, storeAs } from './storage';
import { windowGeometry, type WindowGeometry } from './window';

/** Sizes of one convolution, from the input, filter and output shapes. */
interface Geometry extends WindowGeometry {
  kh: number;
  kw: number;
  cig: number;
  co: number;
  cog: number;
  groups: number;
  dh: number;
  dw: number;
}

function geometry(x: Shape, f: Shape, y: Shape, a: ConvAttrs): Geometry {
  const [kh, kw, cig, co] = f as [number, number, number, number];
  return { ...windowGeometry(x, y, a), kh, kw, cig, co, cog: co / a.groups, groups: a.groups, dh: a.dilation[0], dw: a.dilation[1] };
}

/**
 * Calls visit(xr, fr, yr) for every output pixel, in-image filter tap and group, with the offsets
 * of the group's first input channel in x, of its filter block in w (row ci = 0, column g·cog),
 * and of its first output channel in y. The three kernels differ only in what they do there.
 */
function forEachTap(g: Geometry, visit: (xr: number, fr: number, yr: number) => void): void {
  const { n, h, w, c, kh, kw, cig, co, cog, groups, ho, wo, sh, sw, dh, dw, pt, pl } = g;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++) {
        const yBase = ((b * ho + oy) * wo + ox) * co;
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh + ky * dh - pt;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * sw + kx * dw - pl;
            if (ix < 0 || ix >= w) continue;
            const xBase = ((b * h + iy) * w + ix) * c;
            const fBase = (ky * kw + kx) * cig * co;
            for (let gr = 0; gr < groups; gr++) visit(xBase + gr * cig, fBase + gr * cog, yBase + gr * cog);
          }
        }
      }
    }
  }
}

// Each tap handles four input channels per pass where it can, so each load of a y (or dy) row
// feeds four multiply-adds; the single-channel loop takes the remainder.

/** y = conv2d(x, w): y[yr + o] += Σ_ci x[xr + ci] · w[fr + ci·co + o]. */
function conv2d(x: Float64Array, f: Float64Array, g: Geometry): Float64Array {
  const { cig, co, cog } = g;
  const y = new Float64Array(g.n * g.ho * g.wo * co);
  forEachTap(g, (xr, fr, yr) => {
    let ci = 0;
    for (; ci + 3 < cig; ci += 4) {
      const v0 = x[xr + ci]!,
        v1 = x[xr + ci + 1]!,
        v2 = x[xr + ci + 2]!,
        v3 = x[xr + ci + 3]!;
      const f0 = fr + ci * co,
        f1 = f0 + co,
        f2 = f1 + co,
        f3 = f2 + co;
      for (let o = 0; o < cog; o++) y[yr + o]! += v0 * f[f0 + o]! + v1 * f[f1 + o]! + v2 * f[f2 + o]! + v3 * f[f3 + o]!;
    }
    for (; ci < cig; ci++) {
      const v = x[xr + ci]!;
      const f0 = fr + ci * co;
      for (let o = 0; o < cog; o++) y[yr + o]! += v * f[f0 + o]!;
    }
  });
  return y;
}

/** dx = conv2d_grad_input(dy, w): dx[xr + ci] += Σ_o dy[yr + o] · w[fr + ci·co + o]. */
function gradInput(dy: Float64Array, f: Float64Array, g: Geometry): Float64Array {
  const { cig, co, cog } = g;
  const dx = new Float64Array(g.n * g.h * g.w * g.c);
  forEachTap(g, (xr, fr, yr) => {
    let ci = 0;
    for (; ci + 3 < cig; ci += 4) {
      const f0 = fr + ci * co,
        f1 = f0 + co,
        f2 = f1 + co,
        f3 = f2 + co;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      for (let o = 0; o < cog; o++) {
        const d = dy[yr + o]!;
        s0 += d * f[f0 + o]!;
        s1 += d * f[f1 + o]!;
        s2 += d * f[f2 + o]!;
        s3 += d * f[f3 + o]!;
      }
      dx[xr + ci]! += s0;
      dx[xr + ci + 1]! += s1;
      dx[xr + ci + 2]! += s2;
      dx[xr + ci + 3]! += s3;
    }
    for (; ci < cig; ci++) {
      const f0 = fr + ci * co;
      let s = 0;
      for (let o = 0; o < cog; o++) s += dy[yr + o]! * f[f0 + o]!;
      dx[xr + ci]! += s;
    }
  });
  return dx;
}

/** dw = conv2d_grad_filter(x, dy): dw[fr + ci·co + o] += x[xr + ci] · dy[yr + o]. */
function gradFilter(x: Float64Array, dy: Float64Array, g: Geometry): Float64Array {
  const { cig, co, cog } = g;
  const df = new Float64Array(g.kh * g.kw * cig * co);
  forEachTap(g, (xr, fr, yr) => {
    let ci = 0;
    for (; ci + 3 < cig; ci += 4) {
      const v0 = x[xr + ci]!,
        v1 = x[xr + ci + 1]!,
        v2 = x[xr + ci + 2]!,
        v3 = x[xr + ci + 3]!;
      const f0 = fr + ci * co,
        f1 = f0 + co,
        f2 = f1 + co,
        f3 = f2 + co;
      for (let o = 0; o < cog; o++) {
        const d = dy[yr + o]!;
        df[f0 + o]! += v0 * d;
        df[f1 + o]! += v1 * d;
        df[f2 + o]! += v2 * d;
        df[f3 + o]! += v3 * d;
      }
    }
    for (; ci < cig; ci++) {
      const v = x[xr + ci]!;
      const f0 = fr + ci * co;
      for (let o = 0; o < cog; o++) df[f0 + o]! += v * dy[yr + o]!;
    }
  });
  return df;
}

export const CONV_KERNELS = {
  conv2d: (inputs, attrs, out, ctx) => {
    const [x, f] = inputs as [(typeof inputs)[0], (typeof inputs)[0]];
    return storeAs(ctx, out.dtype, conv2d(asFloat64(x.data), asFloat64(f.data), geometry(x.shape, f.shape, out.shape, attrs)));
  },
  conv2d_grad_input: (inputs, attrs, out, ctx) => {
    const [dy, f] = inputs as [(typeof inputs)[0], (typeof inputs)[0]];
    const g = geometry(attrs.inputShape, f.shape, dy.shape, attrs);
    return storeAs(ctx, out.dtype, gradInput(asFloat64(dy.data), asFloat64(f.data), g));
  },
  conv2d_grad_filter: (inputs, attrs, out, ctx) => {
    const [x, dy] = inputs as [(typeof inputs)[0], (typeof inputs)[0]];
    const g = geometry(x.shape, attrs.filterShape, dy.shape, attrs);
    return storeAs(ctx, out.dtype, gradFilter(asFloat64(x.data), asFloat64(dy.data), g));
  },
} satisfies Partial<CpuKernelTable>;
