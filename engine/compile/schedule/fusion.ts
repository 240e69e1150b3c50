/**
 * Kernel fusion: a pass over the schedule that turns connected elementwise ops into one kernel
 * each (several outputs allowed), folds a bias add / activation into the matmul that feeds it and,
 * when asked, elementwise prologues and epilogues into a sum/mean/max (reduction.ts).
 * It returns the kernels of a run in order.
 *
 * Legality: a group runs where its LAST member was scheduled, so no node outside the group may
 * read a member before that point. Walking the schedule in order, a group is closed as soon as
 * any non-member reads one of its members, and only open groups grow — so a fused kernel never
 * runs after a reader of its results nor before one of its inputs.
 */
import type { Graph, GraphNode, ValueId } from '../graph';
import { sizeOf } from '../../ops/shape';
import type { Shape } from '../../ops/types';
import { elementwiseKernel, gemmKernel, type Inlining } from './elementwise';
import { expressionOf, isElementwise } from './expressions';
import { OP_FAMILY, type Kernel } from './kernels';
import { reductionChains } from './reduction';

export interface FusionOptions {
  /** Storage buffers one kernel may bind (reads + writes; WebGPU's maxStorageBuffersPerShaderStage). */
  readonly maxStorageBuffers: number;
  /** Fold elementwise chains into matmul epilogues (default true). */
  readonly epilogues?: boolean;
  /** Fuse sum/mean/max with their elementwise prologues and epilogues (reduction.ts; default false). */
  readonly reductions?: boolean;
}

/** A fused elementwise group while the pass runs. */
interface Group {
  members: GraphNode[];
  /**
   * The shape its kernel runs over (one thread per element): its largest members have it (or its
   * element count, for a reshape); the others broadcast to it and are recomputed by the threads
   * that share their element.
   */
  shape: Shape;
  open: boolean;
}

/** True for a literal the fused code writes inline instead of reading a buffer. */
function isLiteral(node: GraphNode): boolean {
  return node.kind === 'op' && node.op === 'full';
}

const fusible = (n: GraphNode) => n.kind === 'op' && isElementwise(n.op);

/** True when `s` broadcasts to `domain` (NumPy rules) without growing it. */
export function fitsIn(s: Shape, domain: Shape): boolean {
  if (sizeOf(s) === sizeOf(domain) && sizeOf(s) !== 0) {
    // Same element count: fits when equal up to leading ones (the same row-major layout).
    const strip = (x: Shape) => x.slice(x.findIndex((d) => d !== 1) >>> 0);
    const [a, b] = [strip(s), strip(domain)];
    if (a.length === b.length && a.every((d, i) => d === b[i])) return true;
  }
  if (s.length > domain.length && s.slice(0, s.length - domain.length).some((d) => d !== 1)) return false;
  const lead = domain.length - s.length;
  return s.every((d, i) => i + lead < 0 || d === 1 || d === domain[i + lead]);
}

/** A node computed alone by its backend's kernel for its op. */
export function opKernel(node: GraphNode): Kernel {
  if (node.kind !== 'op') throw new Error(`node ${node.id} is a ${node.kind}, not an op`);
  const base = { node, members: [node], reads: node.inputs, writes: [node.id] };
  return node.op === 'constant' ? { kind: 'constant', ...base } : { kind: 'op', family: OP_FAMILY[node.op], ...base };
}

/** Each node computed by its own kernel, in schedule order (fusion off). */
export function unfused(schedule: readonly GraphNode[]): Kernel[] {
  return schedule.filter((n) => n.kind === 'op').map(opKernel);
}

/**
 * The kernels of a run with fusion: `schedule` is topologically ordered; `retained` values (outputs,
 * update sources, logged scalars) are always written to memory.
 */
export function planFusion(graph: Graph, schedule: readonly GraphNode[], retained: ReadonlySet<ValueId>, options: FusionOptions): Kernel[] {
  const consumers = new Map<ValueId, GraphNode[]>();
  for (const n of schedule) for (const i of new Set(n.inputs)) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  const readers = (id: ValueId) => consumers.get(id) ?? [];

  // Chains must not overlap: a node in a chosen chain is computed there (only the chain's end is
  // written), and a value a chosen chain reads must be written by its own kernel, so it heads no chain.
  const claimed = new Set<ValueId>();
  const needed = new Set<ValueId>();
  const chains: Map<ValueId, Kernel> =
    options.epilogues !== false ? epilogueChains(graph, schedule, retained, readers, options, claimed, needed) : new Map<ValueId, Kernel>();
  if (options.reductions)
    for (const [end, k] of reductionChains(graph, schedule, retained, readers, options.maxStorageBuffers, claimed, needed)) chains.set(end, k);
  const inChain = new Set<ValueId>();
  for (const w of chains.values()) w.members.forEach((m) => inChain.add(m.id));

  // Scalar chains are recomputed by each kernel that reads them rather than joining groups: a
  // scalar shared by every parameter's update (the NaN latch) would otherwise weld them into one.
  // A scalar chain is recomputed only while the buffers it reads (through other recomputed scalars)
  // leave room in a kernel: a long chain (a sum of many per-parameter scalars) is stored instead.
  const firstOfName = new Map<string, ValueId>();
  for (const n of schedule) if (n.kind === 'variable' && !firstOfName.has(n.name)) firstOfName.set(n.name, n.id);
  const canonOf = (id: ValueId): ValueId => {
    const n = graph.nodes[id]!;
    return n.kind === 'variable' ? firstOfName.get(n.name)! : id;
  };
  const inlineMemo = new Map<ValueId, ReadonlySet<ValueId> | undefined>();
  /** The buffers an inlined scalar reads, or undefined when it is not inlined. */
  const inlinedReads = (n: GraphNode): ReadonlySet<ValueId> | undefined => {
    if (inlineMemo.has(n.id)) return inlineMemo.get(n.id);
    let reads: Set<ValueId> | undefined;
    if (fusible(n) && sizeOf(n.type.shape) === 1 && !inChain.has(n.id)) {
      reads = new Set();
      for (const i of n.inputs) {
        const input = graph.nodes[i]!;
        if (isLiteral(input)) continue;
        const through = inlinedReads(input);
        if (through) through.forEach((r) => reads!.add(r));
        else reads.add(canonOf(i));
      }
      // At most a few, so a kernel reading it (and its own inputs) still fits the binding limit.
      if (reads.size > Math.floor(options.maxStorageBuffers / 2) - 1) reads = undefined;
    }
    inlineMemo.set(n.id, reads);
    return reads;
  };
  const inlinable = (n: GraphNode) => inlinedReads(n) !== undefined;
  const ctx: Inlining = { inline: (id) => inlinable(graph.nodes[id]!), canon: canonOf };

  const groupOf = new Map<ValueId, Group>();
  for (const n of schedule) {
    if (inlinable(n)) continue; // reads no group member: its inputs are single elements too
    const inputGroups = new Set(n.inputs.map((i) => groupOf.get(i)).filter((g): g is Group => g !== undefined));
    if (n.kind === 'op' && fusible(n) && !inChain.has(n.id)) {
      // The domain grows to the largest shape that the others broadcast to; a group that fits neither way stays apart.
      // A reshape reads its input by element count, which a group of another shape cannot provide: it joins none.
      let shape = n.type.shape;
      const merged: Group[] = [];
      for (const g of n.op === 'reshape' ? [] : inputGroups) {
        if (!g.open) continue;
        if (fitsIn(g.shape, shape)) merged.push(g);
        else if (fitsIn(shape, g.shape)) {
          shape = g.shape;
          merged.push(g);
        }
      }
      const group: Group = { members: [n], shape, open: true };
      for (const g of merged) {
        group.members.push(...g.members);
        g.open = false;
        for (const m of g.members) groupOf.set(m.id, group);
      }
      groupOf.set(n.id, group);
      for (const g of inputGroups) if (!merged.includes(g)) g.open = false;
    } else {
      for (const g of inputGroups) g.open = false;
    }
  }

  // A member is written when something outside its group (or a caller) needs it.
  const groups = [...new Set(groupOf.values())];
  const lastOf = new Map<ValueId, Kernel[]>();
  const order = new Map(schedule.map((n, pos) => [n.id, pos]));
  for (const g of groups) {
    g.members.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    const last = g.members[g.members.length - 1]!;
    lastOf.set(last.id, splitGroup(graph, g, retained, readers, options.maxStorageBuffers, ctx));
  }

  const recomputes = (n: GraphNode) => groupOf.has(n.id) || inlinable(n);
  const fused = (n: GraphNode) => recomputes(n) || inChain.has(n.id);
  const kernels: Kernel[] = [];
  for (const n of schedule) {
    if (n.kind !== 'op') continue;
    const chainKernel = chains.get(n.id);
    if (chainKernel) kernels.push(chainKernel);
    else if (inChain.has(n.id)) continue;
    else if (groupOf.has(n.id)) kernels.push(...(lastOf.get(n.id) ?? []));
    else if (isLiteral(n) && !retained.has(n.id) && readers(n.id).every(fused))
      continue; // inlined everywhere
    else if (inlinable(n)) {
      if (!retained.has(n.id) && readers(n.id).every(recomputes)) continue; // recomputed wherever it is read
      const { reads } = boundary(graph, [n], retained, readers, ctx);
      kernels.push(elementwiseKernel(graph, [n], reads, [n.id], n.type.shape, ctx));
    } else kernels.push(opKernel(n));
  }
  return kernels;
}

/** What a set of members reads from outside (literals excluded, recomputed scalars looked through) and which members it must write. */
function boundary(graph: Graph, members: readonly GraphNode[], retained: ReadonlySet<ValueId>, readers: (id: ValueId) => readonly GraphNode[], ctx: Inlining) {
  const inside = new Set(members.map((m) => m.id));
  const reads: ValueId[] = [];
  const seen = new Set<ValueId>();
  const visit = (i: ValueId): void => {
    if (inside.has(i) || seen.has(i) || isLiteral(graph.nodes[i]!)) return;
    seen.add(i);
    if (ctx.inline(i)) graph.nodes[i]!.inputs.forEach(visit);
    else if (!reads.includes(ctx.canon(i))) reads.push(ctx.canon(i));
  };
  for (const m of members) m.inputs.forEach(visit);
  const writes = members.filter((m) => retained.has(m.id) || readers(m.id).some((r) => !inside.has(r.id))).map((m) => m.id);
  return { reads, writes };
}

/** A group as one kernel, or several in order when one would bind more storage buffers than allowed. */
function splitGroup(
  graph: Graph,
  g: Group,
  retained: ReadonlySet<ValueId>,
  readers: (id: ValueId) => readonly GraphNode[],
  maxBuffers: number,
  ctx: Inlining,
): Kernel[] {
  const chunks: GraphNode[][] = [[]];
  for (const m of g.members) {
    const chunk = chunks[chunks.length - 1]!;
    const { reads, writes } = boundary(graph, [...chunk, m], retained, readers, ctx);
    if (chunk.length && reads.length + writes.length > maxBuffers) chunks.push([m]);
    else chunk.push(m);
  }
  return chunks.map((members) => {
    const { reads, writes } = boundary(graph, members, retained, readers, ctx);
    return elementwiseKernel(graph, members, reads, writes, g.shape, ctx);
  });
}

/**
 * Matmuls whose only reader starts a chain of elementwise ops of the same size, each the only
 * reader of the previous one: the chain rides in the matmul's epilogue and only its end is
 * written. Keyed by the chain's last node (where the fused kernel runs).
 */
function epilogueChains(
  graph: Graph,
  schedule: readonly GraphNode[],
  retained: ReadonlySet<ValueId>,
  readers: (id: ValueId) => readonly GraphNode[],
  options: FusionOptions,
  claimed: Set<ValueId>,
  needed: Set<ValueId>,
): Map<ValueId, Kernel> {
  const out = new Map<ValueId, Kernel>();
  for (const mm of schedule) {
    if (mm.kind !== 'op' || mm.op !== 'matmul' || retained.has(mm.id) || needed.has(mm.id)) continue;
    const size = sizeOf(mm.type.shape);
    const chain: GraphNode[] = [];
    const extras: ValueId[] = [];
    let cur: GraphNode = mm;
    for (;;) {
      const next = readers(cur.id);
      if (next.length !== 1 || (cur !== mm && retained.has(cur.id))) break;
      const c = next[0]!;
      if (claimed.has(c.id) || needed.has(c.id)) break;
      if (c.kind !== 'op' || !isElementwise(c.op) || c.type.dtype !== 'f32' || !expressionOf(c.op).epilogue || sizeOf(c.type.shape) !== size) break;
      if (c.inputs.filter((i) => i === cur.id).length !== 1) break;
      const more = c.inputs.filter((i) => i !== cur.id && !isLiteral(graph.nodes[i]!) && !extras.includes(i));
      if (2 + extras.length + more.length + 1 > options.maxStorageBuffers) break;
      chain.push(c);
      extras.push(...more);
      cur = c;
    }
    // The longest prefix of the chain the epilogue can compute.
    for (let len = chain.length; len > 0; len--) {
      const part = chain.slice(0, len);
      const inside = new Set([mm.id, ...part.map((c) => c.id)]);
      const used = extras.filter((e) => part.some((c) => (c.inputs as readonly ValueId[]).includes(e) && !inside.has(e)));
      const kernel = gemmKernel(graph, mm, part, used);
      if (!kernel) continue;
      out.set(part[len - 1]!.id, kernel);
      [mm, ...part].forEach((m) => claimed.add(m.id));
      [...mm.inputs, ...used].forEach((v) => needed.add(v));
      break;
    }
  }
  return out;
}
