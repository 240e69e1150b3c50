/** What a WASM kernel is: code that reads its inputs and writes its output in linear memory. */
import type { Attrs, DType, Op, Shape, TensorType } from '../../ops/types';
import type { KernelExports, WasmMemory } from './runtime';
import { call, PIECES_PER_THREAD, type KernelCall, type ThreadPool } from './threads';

/** A tensor in linear memory: its first byte, and its type. Row-major and contiguous. */
export interface WasmTensor {
  readonly ptr: number;
  readonly shape: Shape;
  readonly dtype: DType;
}

/** What a kernel may use while it runs. */
export interface WasmContext {
  readonly k: KernelExports;
  readonly mem: WasmMemory;
  /** Byte offset of this kernel's scratch (as many bytes as its `scratch` asked for). */
  readonly scratch: number;
  /** Pieces a kernel may cut its work into, for the threads to share (1: one thread, run it whole). */
  readonly pieces: number;
  /** Runs the calls (at most `pieces`, writing disjoint memory) on the threads; returns when all are done. */
  parallel(calls: readonly KernelCall[]): void;
  /** TILE_BYTES of edge-tile scratch per piece, for GEMM parts run in parallel. */
  readonly tiles: number;
}

/** Bytes of one GEMM edge tile (4×8 f32). */
export const TILE_BYTES = 128;

/** Pieces a kernel may cut its work into on `pool` (several per thread, so a busy core holds up little). */
export const piecesFor = (pool?: ThreadPool) => (pool && pool.size > 1 ? pool.size * PIECES_PER_THREAD : 1);

/** The context for kernels on `mem`: parallel on `pool` when there is one (else one call after another). */
export function wasmContext(mem: WasmMemory, scratch: number, tiles: number, pool?: ThreadPool): WasmContext {
  const k = mem.kernels;
  const pieces = piecesFor(pool);
  // One call runs here: waking the helpers for it would only cost.
  if (pool && pieces > 1) return { k, mem, scratch, tiles, pieces, parallel: (calls) => (calls.length === 1 ? call(k, calls[0]!) : pool.run(calls)) };
  return { k, mem, scratch, tiles, pieces, parallel: (calls) => calls.forEach((c) => call(k, c)) };
}

/**
 * A kernel for op O: `run` writes `out` (a block that overlaps no input). Where `accepts` says no
 * (an i32 operand, grouped conv …), the JS reference kernel runs on the same memory instead.
 */
export interface WasmKernel<O extends Op> {
  /** Whether this kernel handles these types and attributes (default: every operand f32). */
  accepts?(inputs: readonly TensorType[], attrs: Attrs<O>, out: TensorType): boolean;
  /** Bytes of scratch memory it needs (default none). */
  scratch?(inputs: readonly TensorType[], attrs: Attrs<O>, out: TensorType): number;
  run(ctx: WasmContext, inputs: readonly WasmTensor[], attrs: Attrs<O>, out: WasmTensor): void;
}

export type WasmKernelTable = { readonly [O in Op]?: WasmKernel<O> };
