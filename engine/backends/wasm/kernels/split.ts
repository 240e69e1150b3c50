/** Splitting a kernel's work between threads. */
import type { WasmContext } from '../kernel';
import type { KernelCall, KernelName } from '../threads';

/** [from, to) ranges that cover 0..count in at most `parts` nearly equal, non-empty pieces, in order. */
export function splitEvenly(count: number, parts: number): [number, number][] {
  const n = Math.max(1, Math.min(parts, count));
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) out.push([Math.floor((i * count) / n), Math.floor(((i + 1) * count) / n)]);
  return out;
}

/** Elements of work below which a kernel runs on one thread (waking the others costs more). */
export const PARALLEL_ELEMENTS = 1 << 16;

/**
 * Calls of kernel `name` (its pointers, then the image count, then `rest`) over a batch of n images
 * split into bands for the threads to share, where `elements` of work make it worth it: each pointer moves
 * on by its bytes per image (a 0 pointer, meaning none, stays 0).
 */
export function byImage(
  ctx: WasmContext,
  name: KernelName,
  pointers: readonly (readonly [number, number])[],
  n: number,
  rest: readonly number[],
  elements: number,
): KernelCall[] {
  const parts = ctx.pieces > 1 && elements >= PARALLEL_ELEMENTS ? ctx.pieces : 1;
  return splitEvenly(n, parts).map(([from, to]) => [name, ...pointers.map(([ptr, bytes]) => (ptr === 0 ? 0 : ptr + from * bytes)), to - from, ...rest]);
}
