/**
 * The schedule of a prepared graph, planned once and shared by every backend (DESIGN.md: planning
 * is shared; backends render): the nodes a run needs, the kernels that compute them in order
 * (fused elementwise groups, GEMMs with epilogues, reductions with prologues and epilogues, single ops), where each written value lives and
 * when it dies, which variables are snapshotted before the updates land, and the scalar log's slots.
 * Pure data: no device, testable in milliseconds.
 */
import { ancestors, type Graph, type GraphNode, type ValueId } from '../graph';
import type { DType } from '../../ops/types';
import { planFusion, unfused } from './fusion';
import type { Kernel } from './kernels';
import { planMemory, type MemoryPlan } from './memory';

/** Storage buffers per kernel every WebGPU device supports (the spec's default limit). */
export const SAFE_STORAGE_BUFFERS = 8;

/** What a run computes besides its kernels (the Backend's RunSpec). */
export interface ScheduleSpec {
  readonly outputs: readonly ValueId[];
  readonly updates: readonly { readonly name: string; readonly value: ValueId }[];
  readonly scalars?: readonly ValueId[];
}

export interface ScheduleOptions {
  /** Fuse elementwise chains and matmul epilogues (default true); false: one kernel per op (the reference). */
  readonly fuse?: boolean;
  /**
   * Also fuse sum/mean/max with the elementwise work before and after them (default false: a backend
   * that renders `reduce` kernels turns it on; with `fuse: false` it does nothing).
   */
  readonly fuseReductions?: boolean;
  /** Buffers (reads + writes) one fused kernel may bind (default 8, what every WebGPU device supports). */
  readonly maxStorageBuffers?: number;
}

/** A prepared graph's plan. */
export interface Schedule {
  /** Every node a run needs, in topological (id) order: inputs, variables and ops. */
  readonly nodes: readonly GraphNode[];
  /** The kernels of a run, in order. */
  readonly kernels: readonly Kernel[];
  /** Values kept after a run: outputs, update sources and logged scalars. */
  readonly retained: ReadonlySet<ValueId>;
  readonly memory: MemoryPlan;
  /** Retained variable values: copied after the kernels and before the updates, so they keep the old values. */
  readonly snapshots: readonly ValueId[];
  /** The scalar log: slot j of each run's record holds `scalars[j]`. */
  readonly scalars: readonly { readonly value: ValueId; readonly dtype: DType }[];
}

/** Plan a run of `graph` computing `spec`. */
export function schedule(graph: Graph, spec: ScheduleSpec, options: ScheduleOptions = {}): Schedule {
  const scalars = spec.scalars ?? [];
  const roots = [...spec.outputs, ...spec.updates.map((u) => u.value), ...scalars];
  const retained = new Set(roots);
  const nodes = ancestors(graph, roots).map((id) => graph.nodes[id]!);
  const kernels =
    options.fuse === false
      ? unfused(nodes)
      : planFusion(graph, nodes, retained, {
          maxStorageBuffers: options.maxStorageBuffers ?? SAFE_STORAGE_BUFFERS,
          reductions: options.fuseReductions === true,
        });
  return {
    nodes,
    kernels,
    retained,
    memory: planMemory(graph, kernels, retained),
    snapshots: [...retained].filter((id) => graph.nodes[id]!.kind === 'variable'),
    scalars: scalars.map((value) => ({ value, dtype: graph.nodes[value]!.type.dtype })),
  };
}
