/**
 * Test support: run one op through the WASM backend's kernel binding (the same one its executables
 * use) on CPU-style tensors, synchronously, so the CPU kernel suites can run on it too.
 */
import { sizeOf } from '../../ops/shape';
import type { Attrs, Op, TensorType } from '../../ops/types';
import type { CpuTensor, Data } from '../cpu/kernel';
import type { WasmBackend } from './backend';
import { TILE_BYTES, wasmContext, type WasmTensor } from './kernel';
import { bindKernel } from './kernels';
import { BYTES, loadKernelsSync, WasmMemory } from './runtime';

let shared: WasmMemory | undefined;

/**
 * op on `inputs` with output type `out`, computed in WASM memory (`on`: a backend's, with its
 * threads; default one thread of its own); the result copied out.
 */
export function runWasmOp<O extends Op>(op: O, inputs: readonly CpuTensor[], attrs: Attrs<O>, out: TensorType, on?: WasmBackend): Data {
  const mem = on?.mem ?? (shared ??= new WasmMemory(loadKernelsSync()));
  const kernel = bindKernel(op, inputs, attrs, out);
  const blocks: number[] = [];
  const place = (t: TensorType): WasmTensor => {
    const ptr = mem.alloc(sizeOf(t.shape) * BYTES[t.dtype]);
    blocks.push(ptr);
    return { ptr, shape: t.shape, dtype: t.dtype };
  };
  try {
    const ins = inputs.map((t) => {
      const w = place(t);
      const view = mem.view(t.dtype, w.ptr, t.data.length);
      if (t.dtype === 'bool') for (let i = 0; i < view.length; i++) view[i] = t.data[i] ? 1 : 0;
      else view.set(t.data);
      return w;
    });
    const o = place(out);
    const scratch = mem.alloc(kernel.scratch);
    const tiles = on?.tiles ?? mem.alloc(TILE_BYTES);
    blocks.push(scratch);
    if (!on) blocks.push(tiles);
    // Dirty the output first: a kernel must write every element, not rely on fresh zeroed memory.
    new Uint8Array(mem.buffer, o.ptr, sizeOf(out.shape) * BYTES[out.dtype]).fill(0xff);
    kernel.run(wasmContext(mem, scratch, tiles, on?.pool), ins, o);
    return mem.view(out.dtype, o.ptr, sizeOf(out.shape)).slice();
  } finally {
    blocks.forEach((b) => mem.free(b));
  }
}
