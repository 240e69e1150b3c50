/** max_pool2d and its gradient (assembly/pool.ts), and casts to f32; other pooling runs in JS. */
import { sizeOf } from '../../../ops/shape';
import type { Shape, Window2D } from '../../../ops/types';
import type { WasmContext, WasmKernel, WasmKernelTable } from '../kernel';
import { byImage } from './split';

/**
 * max_pool(x, y, dy, dx, n, …) over the batch split between threads: the forward pass (dy = dx = 0)
 * or the gradient (y = 0). x and dx hold images of shape x, y and dy of shape y.
 */
function maxPool(ctx: WasmContext, x: Shape, y: Shape, a: Window2D, ptrs: readonly [number, number, number, number]): void {
  const [n, h, w, c] = x as [number, number, number, number];
  const rest = [h, w, c, y[1]!, y[2]!, a.size[0], a.size[1], a.stride[0], a.stride[1], a.padding[0], a.padding[2]];
  const [inBytes, outBytes] = [4 * h * w * c, 4 * y[1]! * y[2]! * c];
  const pointers = ptrs.map((p, i) => [p, i === 0 || i === 3 ? inBytes : outBytes] as const);
  ctx.parallel(byImage(ctx, 'max_pool', pointers, n, rest, sizeOf(x)));
}

export const POOL_KERNELS: WasmKernelTable = {
  max_pool2d: {
    run: (ctx, [x], a, out) => maxPool(ctx, x!.shape, out.shape, a, [x!.ptr, out.ptr, 0, 0]),
  } satisfies WasmKernel<'max_pool2d'>,
  max_pool2d_grad: {
    // dx is never at offset 0 (the kernels' static data lies there), so 0 can mean "forward".
    run: (ctx, [x, dy], a, out) => maxPool(ctx, x!.shape, dy!.shape, a, [x!.ptr, 0, dy!.ptr, out.ptr]),
  } satisfies WasmKernel<'max_pool2d_grad'>,
  cast: {
    accepts: ([x], _a, out) => out.dtype === 'f32' && x!.dtype !== 'f32',
    run(ctx, [x], _a, out) {
      const n = sizeOf(out.shape);
      if (x!.dtype === 'bool') ctx.k.u8_to_f32(out.ptr, x!.ptr, n);
      else ctx.k.i32_to_f32(out.ptr, x!.ptr, n);
    },
  } satisfies WasmKernel<'cast'>,
};
