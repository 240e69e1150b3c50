/**
 * Per-adapter matmul autotuning: at compile time each distinct matmul (shape, transposes) of a
 * graph is timed with every candidate kernel variant on the adapter in hand, and the fastest is
 * remembered per adapter and shape (in memory, and through an optional key-value store).
 * First version: the entry point only; measuring lands next.
 */
import type { GraphNode } from '../../compile/graph';
import type { WebGpuBackend } from './backend';

/** Measure (or recall) the best kernel variant of every matmul among `nodes`; kernels then read it through `backend.options`. */
export async function tuneMatmuls(backend: WebGpuBackend, nodes: readonly GraphNode[]): Promise<void> {
  void backend;
  void nodes;
}
