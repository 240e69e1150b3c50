/**
 * Buffer lifetimes and reuse: each value a kernel writes gets a slot (a buffer of 4-byte elements);
 * a value's slot is released after the last kernel that reads it, and a later value of the same
 * size takes it. Retained values (outputs, update sources, logged scalars) and constants keep their
 * own slot. A kernel never writes a slot it reads: its reads are released only after its writes are placed.
 */
import type { Graph, ValueId } from '../graph';
import { sizeOf } from '../../ops/shape';
import type { Kernel } from './kernels';

/** Where every kernel-written value lives. */
export interface MemoryPlan {
  /** Each slot's size in elements (at least 1: a binding cannot be empty), in order of first use. */
  readonly slots: readonly number[];
  /** The slot of each value a kernel writes. */
  readonly slotOf: ReadonlyMap<ValueId, number>;
  /** Per kernel: the values read for the last time by it (a backend may free them after it runs). */
  readonly lastReads: readonly (readonly ValueId[])[];
}

/** Elements a value's slot holds. */
export function slotSize(graph: Graph, id: ValueId): number {
  return Math.max(1, sizeOf(graph.nodes[id]!.type.shape));
}

/** Slots for the values `kernels` write, reusing released ones of the same size (last released first). */
export function planMemory(graph: Graph, kernels: readonly Kernel[], retained: ReadonlySet<ValueId>): MemoryPlan {
  const lastUse = new Map<ValueId, number>();
  kernels.forEach((k, at) => k.reads.forEach((i) => lastUse.set(i, at)));
  const slots: number[] = [];
  const slotOf = new Map<ValueId, number>();
  const free = new Map<number, number[]>(); // released slots by size
  const pooled = new Set<ValueId>();
  const fresh = (size: number) => slots.push(size) - 1;
  const lastReads = kernels.map((k, at) => {
    for (const id of k.writes) {
      const size = slotSize(graph, id);
      const own = k.kind === 'constant' || retained.has(id);
      slotOf.set(id, (own ? undefined : free.get(size)?.pop()) ?? fresh(size));
      if (!own) pooled.add(id);
    }
    const last = [...new Set(k.reads)].filter((i) => lastUse.get(i) === at);
    for (const i of last) {
      if (!pooled.has(i)) continue;
      const size = slotSize(graph, i);
      free.set(size, [...(free.get(size) ?? []), slotOf.get(i)!]);
    }
    return last;
  });
  return { slots, slotOf, lastReads };
}
