/**
 * A prepared graph on the WASM backend: it runs the shared schedule's kernels (engine/compile/schedule)
 * in one arena planned from their values' lifetimes (plan.ts). Fused elementwise groups and GEMM
 * epilogues are evaluated block by block (fused.ts); GEMMs through the packed SIMD kernel; every
 * other op through its bound kernel (kernels/); constants are written once. Retained values stay
 * put until the next run.
 */
import type { Graph, GraphNode, ValueId } from '../../compile/graph';
import type { Kernel } from '../../compile/schedule/kernels';
import { schedule, type Schedule } from '../../compile/schedule/schedule';
import { sizeOf } from '../../ops/shape';
import type { Op } from '../../ops/types';
import { countNonFinite, ScalarLog } from '../scalarLog';
import { BackendError, type Data, type Executable, type RunSpec } from '../backend';
import { IndexRangeError } from '../cpu/kernels/indexing';
import type { WasmBackend } from './backend';
import { FusedProgram, programScratch, type Program } from './fused';
import { wasmContext, type WasmContext, type WasmTensor } from './kernel';
import { bindKernel, type BoundKernel } from './kernels';
import { planArena, type Lifetime } from './plan';
import { BYTES } from './runtime';

/** Fills `view` (storage of dtype) from `data`: bool as x != 0, else the typed-array conversion. */
export function store(view: Data, data: ArrayLike<number>, bool: boolean): void {
  if (bool) for (let i = 0; i < view.length; i++) view[i] = data[i] ? 1 : 0;
  else view.set(data);
}

/** A schedule kernel and what running it needs, bound at prepare time. */
type Step =
  | { readonly kind: 'fused'; readonly kernel: Kernel & { kind: 'elementwise' }; readonly program: FusedProgram }
  | { readonly kind: 'gemm'; readonly kernel: Kernel & { kind: 'gemm' }; readonly matmul: BoundKernel; readonly epilogue?: FusedProgram }
  | { readonly kind: 'op'; readonly node: Extract<GraphNode, { kind: 'op' }>; readonly bound: BoundKernel };

export interface WasmPlanOptions {
  /** Run the schedule's fused kernels (default true); false: one kernel per op. */
  readonly fuse?: boolean;
  /** Buffers one fused kernel may read and write (default: the schedule's, as the other backends plan). */
  readonly fusionBufferLimit?: number;
}

export class WasmExecutable implements Executable {
  readonly plan: Schedule;
  private readonly steps: Step[];
  /** The tensor of each value in the current run (variables resolved per run: they can be re-created). */
  private readonly tensors = new Map<ValueId, WasmTensor>();
  private readonly arena: number;
  private readonly scratch: number = 0;
  /** Constant kernels, run once (their values own their place in the arena). */
  private constants: Step[];
  /** Retained outputs that are variables, copied at the end of a run (before updates land). */
  private snapshots = new Map<ValueId, Data>();
  private readonly log = new ScalarLog();
  private ran = false;

  constructor(
    private readonly backend: WasmBackend,
    graph: Graph,
    private readonly spec: RunSpec,
    options: WasmPlanOptions = {},
  ) {
    const { fuse, fusionBufferLimit } = options;
    this.plan = schedule(graph, spec, { fuse: fuse !== false, ...(fusionBufferLimit ? { maxStorageBuffers: fusionBufferLimit } : {}) });
    const { nodes, kernels, retained } = this.plan;
    // Lifetimes in kernel positions: inputs are written before the first kernel (-1); retained
    // values and constants live to the end. A kernel's writes never share memory with its reads.
    const end = kernels.length;
    const lastUse = new Map<ValueId, number>();
    const readsOf = (k: Kernel) => (k.kind === 'op' || k.kind === 'constant' ? k.node.inputs : k.reads);
    kernels.forEach((k, at) => readsOf(k).forEach((i) => lastUse.set(i, at)));
    const placed: { id: ValueId; node: GraphNode; life: Lifetime }[] = [];
    const bytesOf = (n: GraphNode) => sizeOf(n.type.shape) * BYTES[n.type.dtype];
    for (const n of nodes) {
      if (n.kind === 'input')
        placed.push({ id: n.id, node: n, life: { bytes: bytesOf(n), from: -1, to: retained.has(n.id) ? end : (lastUse.get(n.id) ?? -1) } });
    }
    kernels.forEach((k, at) => {
      for (const id of k.writes) {
        const node = k.members.find((m) => m.id === id)!;
        const to = retained.has(id) || k.kind === 'constant' ? end : (lastUse.get(id) ?? at);
        placed.push({ id, node, life: { bytes: bytesOf(node), from: k.kind === 'constant' ? -1 : at, to } });
      }
    });
    const { offsets, size } = planArena(placed.map((p) => p.life));
    const mem = backend.mem;
    this.arena = mem.alloc(size);
    placed.forEach((p, i) => this.tensors.set(p.id, { ptr: this.arena + offsets[i]!, shape: p.node.type.shape, dtype: p.node.type.dtype }));
    let scratch = 0;
    const bind = (node: Extract<GraphNode, { kind: 'op' }>): BoundKernel => {
      const b = bindKernel(
        node.op as Op,
        node.inputs.map((i) => graph.nodes[i]!.type),
        node.attrs,
        node.type,
      );
      scratch = Math.max(scratch, b.scratch);
      return b;
    };
    const programs = kernels.map((kernel): Program | undefined => {
      if (kernel.kind === 'elementwise') return kernel;
      if (kernel.kind !== 'gemm' || (kernel.epilogue.exprs.length === 1 && kernel.epilogue.result === 0)) return undefined;
      const domain = kernel.matmul.type.shape;
      return { domain, exprs: kernel.epilogue.exprs, stores: [{ expr: kernel.epilogue.result, shape: domain }] };
    });
    for (const p of programs) if (p) scratch = Math.max(scratch, programScratch(p));
    const matmuls = kernels.map((kernel) =>
      kernel.kind === 'gemm' ? bind(kernel.matmul) : kernel.kind === 'op' || kernel.kind === 'constant' ? bind(kernel.node) : undefined,
    );
    this.scratch = mem.alloc(scratch);
    const steps = kernels.map((kernel, i): Step => {
      const program = programs[i] && new FusedProgram(programs[i], this.scratch);
      if (kernel.kind === 'elementwise') return { kind: 'fused', kernel, program: program! };
      if (kernel.kind === 'gemm') return { kind: 'gemm', kernel, matmul: matmuls[i]!, ...(program ? { epilogue: program } : {}) };
      // Reductions with fused work (the schedule's fuseReductions, not asked for here) are not rendered.
      if (kernel.kind !== 'op' && kernel.kind !== 'constant') throw new Error(`the WASM backend does not run ${(kernel as Kernel).kind} kernels`);
      return { kind: 'op', node: kernel.node, bound: matmuls[i]! };
    });
    this.constants = steps.filter((_s, i) => kernels[i]!.kind === 'constant');
    this.steps = steps.filter((_s, i) => kernels[i]!.kind !== 'constant');
  }

  run(feeds: ReadonlyMap<string, Data>): void {
    const mem = this.backend.mem;
    const ctx = wasmContext(mem, this.scratch, this.backend.tiles, this.backend.pool);
    const tensors = this.tensors;
    for (const node of this.plan.nodes) {
      if (node.kind === 'variable') {
        const v = this.backend.variable(node.name);
        tensors.set(node.id, { ptr: v.ptr, shape: v.type.shape, dtype: v.type.dtype });
      } else if (node.kind === 'input') {
        const data = feeds.get(node.name);
        const { shape, dtype } = node.type;
        if (!data) throw new BackendError('feed', `no data fed for input "${node.name}"`, node.origin);
        if (data.length !== sizeOf(shape)) {
          throw new BackendError(
            'feed',
            `input "${node.name}" expects ${sizeOf(shape)} values for shape [${shape.join(', ')}] but got ${data.length}`,
            node.origin,
          );
        }
        store(mem.view(dtype, tensors.get(node.id)!.ptr, data.length), data, dtype === 'bool');
      }
    }
    for (const step of this.constants) this.runStep(step, ctx);
    this.constants = [];
    for (const step of this.steps) this.runStep(step, ctx);
    this.snapshots = new Map(this.plan.snapshots.filter((id) => this.spec.outputs.includes(id)).map((id) => [id, this.view(id).slice()]));
    const scalars = this.plan.scalars;
    if (scalars.length) this.log.push(Float32Array.from(scalars, ({ value }) => this.view(value)[0]!));
    // Updates read old values only: a variable that is also an update's source is copied first.
    const sources = this.spec.updates.map((u) => (this.isVariable(u.value) ? this.view(u.value).slice() : tensors.get(u.value)!));
    this.spec.updates.forEach((u, i) => {
      const v = this.backend.variable(u.name);
      const src = sources[i]!;
      if ('ptr' in src) mem.copy(v.ptr, src.ptr, v.length * BYTES[v.type.dtype]);
      else mem.view(v.type.dtype, v.ptr, v.length).set(src);
    });
    this.ran = true;
  }

  private runStep(step: Step, ctx: WasmContext): void {
    const tensors = this.tensors;
    const at = (id: ValueId) => tensors.get(id)!;
    if (step.kind === 'fused') {
      const { kernel } = step;
      step.program.run(
        ctx,
        (e) => (e.kind === 'load' ? at(kernel.reads[e.read]!).ptr : -1),
        kernel.writes.map((id) => at(id).ptr),
      );
    } else if (step.kind === 'gemm') {
      const { kernel } = step;
      const out = at(kernel.writes[0]!);
      // The product lands in the output, and the epilogue runs over it in place (element by element).
      step.matmul.run(ctx, [at(kernel.reads[0]!), at(kernel.reads[1]!)], out);
      step.epilogue?.run(ctx, (e) => (e.kind === 'acc' ? out.ptr : e.kind === 'load' ? at(kernel.reads[e.read]!).ptr : -1), [out.ptr]);
    } else {
      const { node } = step;
      try {
        step.bound.run(ctx, node.inputs.map(at), at(node.id));
      } catch (e) {
        // Kernels do not know their node: name the document node the op came from.
        throw e instanceof IndexRangeError ? e.at(node.origin) : e;
      }
    }
  }

  async drainScalars(): Promise<Float32Array[]> {
    return this.log.drain();
  }

  async settled(): Promise<void> {}

  countNonFinite(values: readonly ValueId[]): Promise<number[]> {
    return countNonFinite(values, (id) => this.read(id));
  }

  async read(value: ValueId): Promise<Data> {
    if (!this.ran || !this.spec.outputs.includes(value)) throw new BackendError('validation', `value ${value} was not kept by the last run`);
    return this.snapshots.get(value) ?? this.view(value).slice();
  }

  dispose(): void {
    this.backend.mem.free(this.arena);
    this.backend.mem.free(this.scratch);
    this.log.clear();
    this.snapshots.clear();
  }

  private isVariable(id: ValueId): boolean {
    return this.plan.nodes.some((n) => n.kind === 'variable' && n.id === id);
  }

  private view(id: ValueId): Data {
    const t = this.tensors.get(id)!;
    return this.backend.mem.view(t.dtype, t.ptr, sizeOf(t.shape));
  }
}
