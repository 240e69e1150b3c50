/**
 * The compiled kernels (assembly/, built into kernels.wasm.ts) instantiated, and the linear memory
 * they work in: a first-fit heap that hands out 16-byte-aligned blocks for variables, planned
 * arenas and scratch. Views into memory are made on demand: growing memory detaches old ones.
 */
import type { DType } from '../../ops/types';
import { BackendError, type Data } from '../backend';
import { KERNELS_SHARED_WASM_BASE64 } from './kernels.shared.wasm';
import { KERNELS_WASM_BASE64 } from './kernels.wasm';

/** The kernels' exports (assembly/index.ts): pointers are byte offsets into `memory`. */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  pack_a(a: number, ap: number, m: number, k: number, trans: number): void;
  pack_b(b: number, bp: number, k: number, n: number, trans: number): void;
  gemm_packed(ap: number, bp: number, c: number, m: number, k: number, n: number, tile: number): void;
  gemm_part(ap: number, bp: number, c: number, m: number, k: number, n: number, tile: number, i0: number, i1: number, j0: number, j1: number): void;
  binary_f32(op: number, o: number, x: number, sx: number, y: number, sy: number, n: number): void;
  compare_f32(op: number, o: number, x: number, sx: number, y: number, sy: number, n: number): void;
  where32(o: number, c: number, sc: number, a: number, sa: number, b: number, sb: number, n: number): void;
  unary_f32(op: number, o: number, x: number, n: number, alpha: number): void;
  sum_f32(x: number, o: number, outer: number, len: number, inner: number, scale: number): void;
  max_f32(x: number, o: number, outer: number, len: number, inner: number): void;
  im2col(x: number, col: number, ...geometry: number[]): void;
  col2im(col: number, dx: number, ...geometry: number[]): void;
  max_pool(x: number, y: number, dy: number, dx: number, ...geometry: number[]): void;
  u8_to_f32(o: number, x: number, n: number): void;
  i32_to_f32(o: number, x: number, n: number): void;
}

function kernelBytes(base64 = KERNELS_WASM_BASE64): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Whether this runtime can compile the kernels (WebAssembly with SIMD; a CSP may also forbid it). */
export function unavailableReason(e: unknown): string {
  if (typeof WebAssembly === 'undefined') return 'this runtime has no WebAssembly';
  return `WebAssembly could not start: ${e instanceof Error ? e.message : String(e)}`;
}

/** Compiles and instantiates the kernels off the calling thread's critical path. */
export async function loadKernels(): Promise<KernelExports> {
  try {
    const { instance } = await WebAssembly.instantiate(kernelBytes(), {});
    return instance.exports as unknown as KernelExports;
  } catch (e) {
    throw new BackendError('unavailable', unavailableReason(e));
  }
}

/** The same, synchronously (Node, workers): for tests that run one kernel at a time. */
export function loadKernelsSync(): KernelExports {
  const module = new WebAssembly.Module(kernelBytes());
  return new WebAssembly.Instance(module, {}).exports as unknown as KernelExports;
}

/** The shared memory's maximum in pages: the shared build's --maximumMemory (scripts/build-wasm.mjs). */
const SHARED_MAXIMUM_PAGES = 32768;

/** The kernels built for threads, on a fresh shared memory: the module (for the helper threads) and this thread's instance. */
export async function loadSharedKernels(): Promise<{ module: WebAssembly.Module; kernels: KernelExports }> {
  try {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: SHARED_MAXIMUM_PAGES, shared: true });
    const module = await WebAssembly.compile(kernelBytes(KERNELS_SHARED_WASM_BASE64));
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    return { module, kernels: { ...(instance.exports as unknown as KernelExports), memory } };
  } catch (e) {
    throw new BackendError('unavailable', unavailableReason(e));
  }
}

const PAGE = 65536;
/** Bytes per element of each dtype in linear memory (bool as one byte, 0/1). */
export const BYTES: Readonly<Record<DType, number>> = { f32: 4, i32: 4, bool: 1 };
const align = (n: number) => Math.ceil(n / 16) * 16;

/** The linear memory as a heap of blocks, and typed views into it. */
export class WasmMemory {
  /** Live blocks, by offset: offset → size in bytes. */
  private readonly blocks = new Map<number, number>();
  private readonly base: number;

  constructor(readonly kernels: KernelExports) {
    // The kernels' static data lies below the initial size; everything after it is ours.
    this.base = kernels.memory.buffer.byteLength;
  }

  get buffer(): ArrayBuffer {
    return this.kernels.memory.buffer as ArrayBuffer;
  }

  /** Bytes in use by live blocks. */
  get liveBytes(): number {
    let n = 0;
    for (const size of this.blocks.values()) n += size;
    return n;
  }

  /** A fresh block of at least `bytes` (16-aligned), first fit; grows memory when none fits. */
  alloc(bytes: number): number {
    const size = align(Math.max(bytes, 16));
    let at = this.base;
    for (const [offset, s] of [...this.blocks].sort((a, b) => a[0] - b[0])) {
      if (offset - at >= size) break;
      at = Math.max(at, offset + s);
    }
    const end = at + size;
    const have = this.buffer.byteLength;
    if (end > have) {
      try {
        this.kernels.memory.grow(Math.ceil((end - have) / PAGE));
      } catch (_e) {
        throw new BackendError('oom', `WebAssembly memory cannot grow to ${(end / 2 ** 20).toFixed(0)} MiB`);
      }
    }
    this.blocks.set(at, size);
    return at;
  }

  free(offset: number): void {
    this.blocks.delete(offset);
  }

  /** A view of `length` elements of dtype at byte offset `ptr` (valid until memory next grows). */
  view(dtype: DType, ptr: number, length: number): Data {
    if (dtype === 'f32') return new Float32Array(this.buffer, ptr, length);
    if (dtype === 'i32') return new Int32Array(this.buffer, ptr, length);
    return new Uint8Array(this.buffer, ptr, length);
  }

  /** Copy `bytes` bytes from src to dst inside memory. */
  copy(dst: number, src: number, bytes: number): void {
    if (dst !== src && bytes > 0) new Uint8Array(this.buffer).copyWithin(dst, src, src + bytes);
  }
}
