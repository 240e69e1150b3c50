/**
 * The WASM backend's kernel for each op: a native SIMD kernel where one exists and accepts the
 * operands, else the JS reference kernel (engine/backends/cpu) run on views of the same memory.
 */
import { sizeOf } from '../../../ops/shape';
import type { Attrs, DType, Op, TensorType } from '../../../ops/types';
import type { CpuKernel, CpuTensor, Data, KernelContext } from '../../cpu/kernel';
import { CPU_KERNELS } from '../../cpu/kernels';
import type { WasmContext, WasmKernel, WasmKernelTable, WasmTensor } from '../kernel';
import { BYTES } from '../runtime';
import { CONV_KERNELS } from './conv';
import { ELEMENTWISE_KERNELS } from './elementwise';
import { GEMM_KERNELS } from './gemm';
import { POOL_KERNELS } from './pool';
import { REDUCE_KERNELS } from './reduce';

/** An exact copy of the input's bytes. */
const copy: WasmKernel<Op> = {
  accepts: () => true,
  run: (ctx, [x], _attrs, out) => ctx.mem.copy(out.ptr, x!.ptr, sizeOf(out.shape) * BYTES[out.dtype]),
};

export const WASM_KERNELS: WasmKernelTable = {
  ...GEMM_KERNELS,
  ...ELEMENTWISE_KERNELS,
  ...REDUCE_KERNELS,
  ...CONV_KERNELS,
  ...POOL_KERNELS,
  reshape: copy,
  stop_gradient: copy,
};

/** JS kernels' own storage: f32 in Float32Array, as the WASM memory holds it. */
const JS_CONTEXT: KernelContext = {
  alloc: (dtype: DType, size: number): Data => (dtype === 'f32' ? new Float32Array(size) : dtype === 'i32' ? new Int32Array(size) : new Uint8Array(size)),
};

/** A kernel bound to one node's types and attributes. */
export interface BoundKernel {
  /** 'wasm' when a SIMD kernel runs, 'js' when the reference kernel does. */
  readonly via: 'wasm' | 'js';
  readonly scratch: number;
  run(ctx: WasmContext, inputs: readonly WasmTensor[], out: WasmTensor): void;
}

/** The kernel that computes op on these operand types. */
export function bindKernel<O extends Op>(op: O, inputs: readonly TensorType[], attrs: Attrs<O>, out: TensorType): BoundKernel {
  const native = WASM_KERNELS[op] as WasmKernel<O> | undefined;
  const accepts = native?.accepts ?? ((ins: readonly TensorType[], _a: Attrs<O>, o: TensorType) => [...ins, o].every((t) => t.dtype === 'f32'));
  if (native && accepts(inputs, attrs, out)) {
    return { via: 'wasm', scratch: native.scratch?.(inputs, attrs, out) ?? 0, run: (ctx, ins, o) => native.run(ctx, ins, attrs, o) };
  }
  const js = CPU_KERNELS[op] as CpuKernel<O>;
  return {
    via: 'js',
    scratch: 0,
    run(ctx, ins, o) {
      const views: CpuTensor[] = ins.map((t) => ({ data: ctx.mem.view(t.dtype, t.ptr, sizeOf(t.shape)), shape: t.shape, dtype: t.dtype }));
      const data = js(views, attrs, out, JS_CONTEXT);
      ctx.mem.view(o.dtype, o.ptr, sizeOf(o.shape)).set(data);
    },
  };
}
