/**
 * conv2d and its gradients for one group as im2col + GEMM (NHWC images, HWIO filters, so the filter
 * is already the [kh·kw·C, Co] matrix):
 *   y = col(x)·w,   dw = col(x)ᵀ·dy,   dx = col2im(dy·wᵀ).
 * Grouped convolutions fall back to the JS reference.
 */
import type { ConvAttrs, Shape } from '../../../ops/types';
import type { WasmContext, WasmKernel, WasmKernelTable } from '../kernel';
import { gemm, gemmScratch } from './gemm';
import { byImage } from './split';

/** The im2col / col2im arguments after the image pointer, and the GEMM sizes. */
function geometry(x: Shape, f: Shape, y: Shape, a: ConvAttrs) {
  const [n, h, w, c] = x as [number, number, number, number];
  const [kh, kw, , co] = f as [number, number, number, number];
  const [ho, wo] = [y[1]!, y[2]!];
  const rest = [h, w, c, kh, kw, ho, wo, a.stride[0], a.stride[1], a.dilation[0], a.dilation[1], a.padding[0], a.padding[2]];
  return { n, rest, imageBytes: 4 * h * w * c, colBytes: 4 * ho * wo * kh * kw * c, rows: n * ho * wo, depth: kh * kw * c, co };
}

type Geometry = ReturnType<typeof geometry>;

/** im2col of images x into col, the batch split between threads. */
function im2col(ctx: WasmContext, g: Geometry, x: number, col: number): void {
  ctx.parallel(
    byImage(
      ctx,
      'im2col',
      [
        [x, g.imageBytes],
        [col, g.colBytes],
      ],
      g.n,
      g.rest,
      g.rows * g.depth,
    ),
  );
}
/** Scratch: the column matrix, then GEMM's packing space. */
const scratchFor = (g: Geometry, m: number, k: number, n: number) => 4 * g.rows * g.depth + gemmScratch(m, k, n);
const oneGroup = (_inputs: unknown, a: ConvAttrs) => a.groups === 1;

function colGemm(ctx: WasmContext, g: Geometry): { col: number; gemmAt: number } {
  return { col: ctx.scratch, gemmAt: ctx.scratch + 4 * g.rows * g.depth };
}

export const CONV_KERNELS: WasmKernelTable = {
  conv2d: {
    accepts: oneGroup,
    scratch: ([x, f], a, out) => {
      const g = geometry(x!.shape, f!.shape, out.shape, a);
      return scratchFor(g, g.rows, g.depth, g.co);
    },
    run(ctx, [x, f], a, out) {
      const g = geometry(x!.shape, f!.shape, out.shape, a);
      const { col, gemmAt } = colGemm(ctx, g);
      im2col(ctx, g, x!.ptr, col);
      gemm(ctx, col, f!.ptr, out.ptr, g.rows, g.depth, g.co, false, false, gemmAt);
    },
  } satisfies WasmKernel<'conv2d'>,
  conv2d_grad_input: {
    accepts: oneGroup,
    scratch: ([dy, f], a) => {
      const g = geometry(a.inputShape, f!.shape, dy!.shape, a);
      return scratchFor(g, g.rows, g.co, g.depth);
    },
    run(ctx, [dy, f], a, out) {
      const g = geometry(a.inputShape, f!.shape, dy!.shape, a);
      const { col, gemmAt } = colGemm(ctx, g);
      gemm(ctx, dy!.ptr, f!.ptr, col, g.rows, g.co, g.depth, false, true, gemmAt);
      ctx.parallel(
        byImage(
          ctx,
          'col2im',
          [
            [col, g.colBytes],
            [out.ptr, g.imageBytes],
          ],
          g.n,
          g.rest,
          g.rows * g.depth,
        ),
      );
    },
  } satisfies WasmKernel<'conv2d_grad_input'>,
  conv2d_grad_filter: {
    accepts: oneGroup,
    scratch: ([x, dy], a) => {
      const g = geometry(x!.shape, a.filterShape, dy!.shape, a);
      return scratchFor(g, g.depth, g.rows, g.co);
    },
    run(ctx, [x, dy], a, out) {
      const g = geometry(x!.shape, a.filterShape, dy!.shape, a);
      const { col, gemmAt } = colGemm(ctx, g);
      im2col(ctx, g, x!.ptr, col);
      gemm(ctx, col, dy!.ptr, out.ptr, g.depth, g.rows, g.co, true, false, gemmAt);
    },
  } satisfies WasmKernel<'conv2d_grad_filter'>,
};
