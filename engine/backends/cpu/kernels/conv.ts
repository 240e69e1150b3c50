/**
 * conv2d and its two gradients as direct loops (no im2col), NHWC images and HWIO filters:
 *   y[n,oy,ox,g·cog+co] = Σ_{ky,kx,ci} x[n, oy·sh + ky·dh - pt, ox·sw + kx·dw - pl, g·cig+ci] · w[ky,kx,ci,g·cog+co]
 * with cells outside the image reading as zero. The three kernels walk the same (pixel, tap)
 * pairs; the innermost loop always runs over output channels, contiguous in w and y.
 */
import type { ConvAttrs, Shape } from '../../../ops/types';
import type { CpuKernelTable } from '../kernel';
import { asFloat64, storeAs } from './storage';

/** Sizes of one convolution, from the input, filter and output shapes. */
interface Geometry {
  n: number; h: number; w: number; c: number;
  kh: number; kw: number; cig: number; co: number; cog: number; groups: number;
  ho: number; wo: number; sh: number; sw: number; dh: number; dw: number; pt: number; pl: number;
}

function geometry(x: Shape, f: Shape, y: Shape, a: ConvAttrs): Geometry {
  const [n, h, w, c] = x as [number, number, number, number];
  const [kh, kw, cig, co] = f as [number, number, number, number];
  return {
    n, h, w, c, kh, kw, cig, co, cog: co / a.groups, groups: a.groups, ho: y[1]!, wo: y[2]!,
    sh: a.stride[0], sw: a.stride[1], dh: a.dilation[0], dw: a.dilation[1], pt: a.padding[0], pl: a.padding[2],
  };
}

/** y = conv2d(x, w). */
function conv2d(x: Float64Array, f: Float64Array, g: Geometry): Float64Array {
  const y = new Float64Array(g.n * g.ho * g.wo * g.co);
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.ho; oy++) {
      for (let ox = 0; ox < g.wo; ox++) {
        const yBase = ((b * g.ho + oy) * g.wo + ox) * g.co;
        for (let ky = 0; ky < g.kh; ky++) {
          const iy = oy * g.sh + ky * g.dh - g.pt;
          if (iy < 0 || iy >= g.h) continue;
          for (let kx = 0; kx < g.kw; kx++) {
            const ix = ox * g.sw + kx * g.dw - g.pl;
            if (ix < 0 || ix >= g.w) continue;
            const xBase = ((b * g.h + iy) * g.w + ix) * g.c;
            const fBase = (ky * g.kw + kx) * g.cig * g.co;
            for (let gr = 0; gr < g.groups; gr++) {
              const yr = yBase + gr * g.cog;
              for (let ci = 0; ci < g.cig; ci++) {
                const v = x[xBase + gr * g.cig + ci]!;
                const fr = fBase + ci * g.co + gr * g.cog;
                for (let co = 0; co < g.cog; co++) y[yr + co]! += v * f[fr + co]!;
              }
            }
          }
        }
      }
    }
  }
  return y;
}

/** dx[n,iy,ix,g·cig+ci] = Σ over the (pixel, tap) pairs reading it of Σ_co dy[n,oy,ox,g·cog+co] · w[ky,kx,ci,g·cog+co]. */
function gradInput(dy: Float64Array, f: Float64Array, g: Geometry): Float64Array {
  const dx = new Float64Array(g.n * g.h * g.w * g.c);
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.ho; oy++) {
      for (let ox = 0; ox < g.wo; ox++) {
        const yBase = ((b * g.ho + oy) * g.wo + ox) * g.co;
        for (let ky = 0; ky < g.kh; ky++) {
          const iy = oy * g.sh + ky * g.dh - g.pt;
          if (iy < 0 || iy >= g.h) continue;
          for (let kx = 0; kx < g.kw; kx++) {
            const ix = ox * g.sw + kx * g.dw - g.pl;
            if (ix < 0 || ix >= g.w) continue;
            const xBase = ((b * g.h + iy) * g.w + ix) * g.c;
            const fBase = (ky * g.kw + kx) * g.cig * g.co;
            for (let gr = 0; gr < g.groups; gr++) {
              const yr = yBase + gr * g.cog;
              for (let ci = 0; ci < g.cig; ci++) {
                const fr = fBase + ci * g.co + gr * g.cog;
                let s = 0;
                for (let co = 0; co < g.cog; co++) s += dy[yr + co]! * f[fr + co]!;
                dx[xBase + gr * g.cig + ci]! += s;
              }
            }
          }
        }
      }
    }
  }
  return dx;
}

/** dw[ky,kx,ci,g·cog+co] = Σ_{n,oy,ox} x[n,iy,ix,g·cig+ci] · dy[n,oy,ox,g·cog+co] over in-image taps. */
function gradFilter(x: Float64Array, dy: Float64Array, g: Geometry): Float64Array {
  const df = new Float64Array(g.kh * g.kw * g.cig * g.co);
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.ho; oy++) {
      for (let ox = 0; ox < g.wo; ox++) {
        const yBase = ((b * g.ho + oy) * g.wo + ox) * g.co;
        for (let ky = 0; ky < g.kh; ky++) {
          const iy = oy * g.sh + ky * g.dh - g.pt;
          if (iy < 0 || iy >= g.h) continue;
          for (let kx = 0; kx < g.kw; kx++) {
            const ix = ox * g.sw + kx * g.dw - g.pl;
            if (ix < 0 || ix >= g.w) continue;
            const xBase = ((b * g.h + iy) * g.w + ix) * g.c;
            const fBase = (ky * g.kw + kx) * g.cig * g.co;
            for (let gr = 0; gr < g.groups; gr++) {
              const yr = yBase + gr * g.cog;
              for (let ci = 0; ci < g.cig; ci++) {
                const v = x[xBase + gr * g.cig + ci]!;
                const fr = fBase + ci * g.co + gr * g.cog;
                for (let co = 0; co < g.cog; co++) df[fr + co]! += v * dy[yr + co]!;
              }
            }
          }
        }
      }
    }
  }
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
