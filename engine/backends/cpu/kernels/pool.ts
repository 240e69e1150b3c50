/**
 * 2-D pooling over NHWC images. A window covers rows oy·sh - pt + [0, kh) and columns
 * ox·sw - pl + [0, kw); only its cells inside the image take part (padding is ignored, not zero).
 * A window with no cell inside the image gives 0 and receives no gradient.
 */
import type { Shape, Window2D } from '../../../ops/types';
import type { CpuKernelTable, Data } from '../kernel';
import { storeAs } from './storage';
import { windowGeometry, type WindowGeometry } from './window';

/** Sizes of one pooling, from the input and output shapes. */
interface Geometry extends WindowGeometry {
  kh: number;
  kw: number;
}

const geometry = (x: Shape, y: Shape, a: Window2D): Geometry => ({ ...windowGeometry(x, y, a), kh: a.size[0], kw: a.size[1] });

/** The window of output pixel (oy, ox) clipped to the image: [y0, y1) × [x0, x1). */
function clip(g: Geometry, oy: number, ox: number): [number, number, number, number] {
  const top = oy * g.sh - g.pt;
  const left = ox * g.sw - g.pl;
  return [Math.max(top, 0), Math.min(top + g.kh, g.h), Math.max(left, 0), Math.min(left + g.kw, g.w)];
}

/**
 * For every output pixel and channel, the offset in x of the first maximum of its window
 * (row-major order within the window), or -1 for a window outside the image.
 */
function argmaxWindows(x: Data, g: Geometry): Int32Array {
  const at = new Int32Array(g.n * g.ho * g.wo * g.c).fill(-1);
  const best = new Float64Array(g.c);
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.ho; oy++) {
      for (let ox = 0; ox < g.wo; ox++) {
        const yBase = ((b * g.ho + oy) * g.wo + ox) * g.c;
        const [y0, y1, x0, x1] = clip(g, oy, ox);
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const xBase = ((b * g.h + iy) * g.w + ix) * g.c;
            for (let c = 0; c < g.c; c++) {
              const v = x[xBase + c]!;
              // Strictly greater: a later tie never displaces the first maximum. A NaN wins (and
              // keeps) the window, so a NaN is not hidden, as in max.
              if (at[yBase + c]! < 0 || v > best[c]! || (v !== v && best[c] === best[c])) {
                best[c] = v;
                at[yBase + c] = xBase + c;
              }
            }
          }
        }
      }
    }
  }
  return at;
}

/** Calls visit(first output offset, first input offset, count) for each (output pixel, in-image cell) pair. */
function forEachCell(g: Geometry, visit: (yBase: number, xBase: number, count: number) => void): void {
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.ho; oy++) {
      for (let ox = 0; ox < g.wo; ox++) {
        const yBase = ((b * g.ho + oy) * g.wo + ox) * g.c;
        const [y0, y1, x0, x1] = clip(g, oy, ox);
        const count = Math.max(y1 - y0, 0) * Math.max(x1 - x0, 0);
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) visit(yBase, ((b * g.h + iy) * g.w + ix) * g.c, count);
        }
      }
    }
  }
}

export const POOL_KERNELS = {
  /** y = the largest in-image value of each window. */
  max_pool2d: (inputs, attrs, out, ctx) => {
    const x = inputs[0]!;
    const at = argmaxWindows(x.data, geometry(x.shape, out.shape, attrs));
    const o = ctx.alloc(out.dtype, at.length);
    for (let i = 0; i < at.length; i++) if (at[i]! >= 0) o[i] = x.data[at[i]!]!;
    return o;
  },

  /** dx[first max of window] += dy[window], summing where windows overlap. */
  max_pool2d_grad: (inputs, attrs, out, ctx) => {
    const [x, dy] = inputs as [(typeof inputs)[0], (typeof inputs)[0]];
    const at = argmaxWindows(x.data, geometry(x.shape, dy.shape, attrs));
    const dx = new Float64Array(x.data.length);
    for (let i = 0; i < at.length; i++) if (at[i]! >= 0) dx[at[i]!]! += dy.data[i]!;
    return storeAs(ctx, out.dtype, dx);
  },

  /** y = Σ in-image cells / their count. */
  avg_pool2d: (inputs, attrs, out, ctx) => {
    const x = inputs[0]!;
    const g = geometry(x.shape, out.shape, attrs);
    const y = new Float64Array(g.n * g.ho * g.wo * g.c);
    forEachCell(g, (yBase, xBase, count) => {
      for (let c = 0; c < g.c; c++) y[yBase + c]! += x.data[xBase + c]! / count;
    });
    return storeAs(ctx, out.dtype, y);
  },

  /** dx[cell] += dy[window] / count, for every window holding the cell. */
  avg_pool2d_grad: (inputs, attrs, out, ctx) => {
    const dy = inputs[0]!;
    const g = geometry(attrs.inputShape, dy.shape, attrs);
    const dx = new Float64Array(g.n * g.h * g.w * g.c);
    forEachCell(g, (yBase, xBase, count) => {
      for (let c = 0; c < g.c; c++) dx[xBase + c]! += dy.data[yBase + c]! / count;
    });
    return storeAs(ctx, out.dtype, dx);
  },
} satisfies Partial<CpuKernelTable>;
