/** max_pool2d and its gradient (assembly/pool.ts), and casts to f32; other pooling runs in JS. */
import { sizeOf } from '../../../ops/shape';
import type { Shape, Window2D } from '../../../ops/types';
import type { WasmKernel, WasmKernelTable } from '../kernel';

/** The max_pool arguments after the four pointers. */
function geometry(x: Shape, y: Shape, a: Window2D): number[] {
  const [n, h, w, c] = x as [number, number, number, number];
  return [n, h, w, c, y[1]!, y[2]!, a.size[0], a.size[1], a.stride[0], a.stride[1], a.padding[0], a.padding[2]];
}

export const POOL_KERNELS: WasmKernelTable = {
  max_pool2d: {
    run: (ctx, [x], a, out) => ctx.k.max_pool(x!.ptr, out.ptr, 0, 0, ...geometry(x!.shape, out.shape, a)),
  } satisfies WasmKernel<'max_pool2d'>,
  max_pool2d_grad: {
    // dx is never at offset 0 (the kernels' static data lies there), so 0 can mean "forward".
    run: (ctx, [x, dy], a, out) => ctx.k.max_pool(x!.ptr, 0, dy!.ptr, out.ptr, ...geometry(x!.shape, dy!.shape, a)),
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
