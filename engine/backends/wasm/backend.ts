/**
 * The WASM backend: tensors live in one WebAssembly memory; each prepared graph gets an arena
 * planned from its values' lifetimes (plan.ts) and a kernel bound per node (kernels/): SIMD GEMM,
 * im2col convolution, elementwise and reductions in WASM, the rest the JS reference kernels on the
 * same memory. On several threads where it can (threads.ts: a cross-origin isolated page, or Node
 * given a spawner), the big kernels split between them; else one. It is a CPU backend (kind 'cpu');
 * `device` says which, and how many threads.
 */
import type { Graph, GraphNode, ValueId } from '../../compile/graph';
import { sizeOf } from '../../ops/shape';
import type { Op, TensorType } from '../../ops/types';
import { countNonFinite, ScalarLog } from '../scalarLog';
import { BackendError, type Backend, type Data, type Executable, type RunSpec } from '../backend';
import { IndexRangeError } from '../cpu/kernels/indexing';
import { piecesFor, TILE_BYTES, wasmContext, type WasmTensor } from './kernel';
import { bindKernel, type BoundKernel } from './kernels';
import { planArena, type Lifetime } from './plan';
import { BYTES, loadKernels, loadKernelsSync, loadSharedKernels, WasmMemory } from './runtime';
import { spawnWebWorker, ThreadPool, type SpawnThread } from './threads';

/** How many threads to run on, and how to start them. */
export interface WasmOptions {
  /**
   * Threads in all (the caller's included; at most MAX_THREADS). Default: the CPU's cores where
   * threads can start, else 1. 1 runs exactly the one-thread backend.
   */
  readonly threads?: number;
  /** Starts a helper thread (Node: nodeThreads.ts). Default: a Web Worker where the page is cross-origin isolated. */
  readonly spawn?: SpawnThread;
}

/** The most threads the backend starts (more rarely pays on a training step's kernels). */
export const MAX_THREADS = 8;

/** Threads to start and how, or why only one. */
function threadPlan(options: WasmOptions): { threads: number; spawn?: SpawnThread; why?: string } {
  if (options.threads === 1) return { threads: 1 };
  const g = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number }; Worker?: unknown };
  let spawn = options.spawn;
  if (!spawn && g.crossOriginIsolated === false) return { threads: 1, why: 'page not cross-origin isolated' };
  if (!spawn && g.crossOriginIsolated === true && typeof g.Worker === 'function') spawn = spawnWebWorker;
  if (!spawn) return { threads: 1 };
  const threads = Math.min(options.threads ?? g.navigator?.hardwareConcurrency ?? 1, MAX_THREADS);
  return threads > 1 ? { threads, spawn } : { threads: 1, why: 'one CPU core' };
}

interface Variable {
  readonly ptr: number;
  readonly type: TensorType;
  readonly length: number;
}

/** Fills `view` (storage of dtype) from `data`: bool as x != 0, else the typed-array conversion. */
function store(view: Data, data: ArrayLike<number>, bool: boolean): void {
  if (bool) for (let i = 0; i < view.length; i++) view[i] = data[i] ? 1 : 0;
  else view.set(data);
}

export class WasmBackend implements Backend {
  readonly kind = 'cpu' as const;
  /** "WASM SIMD, N threads", or "WASM SIMD, 1 thread" with why not more where there is a reason. */
  readonly device: string;
  private readonly variables = new Map<string, Variable>();
  /** GEMM edge tiles, one per piece of a split product. */
  readonly tiles: number;

  private constructor(
    readonly mem: WasmMemory,
    readonly pool?: ThreadPool,
    why?: string,
  ) {
    const threads = pool?.size ?? 1;
    this.device = threads > 1 ? `WASM SIMD, ${threads} threads` : `WASM SIMD, 1 thread${why ? ` (${why})` : ''}`;
    this.tiles = mem.alloc(TILE_BYTES * piecesFor(pool));
  }

  /**
   * Compiles the kernels and starts the threads (options); rejects with BackendError 'unavailable'
   * where WebAssembly cannot run. Threads that fail to start leave one thread, the label says why.
   */
  static async create(options: WasmOptions = {}): Promise<WasmBackend> {
    const plan = threadPlan(options);
    if (plan.spawn && plan.threads > 1) {
      let shared: Awaited<ReturnType<typeof loadSharedKernels>> | undefined;
      try {
        shared = await loadSharedKernels();
        const pool = await ThreadPool.start(shared.kernels, shared.module, plan.threads, plan.spawn);
        return new WasmBackend(new WasmMemory(shared.kernels), pool);
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        return new WasmBackend(new WasmMemory(await loadKernels()), undefined, why);
      }
    }
    return new WasmBackend(new WasmMemory(await loadKernels()), undefined, plan.why);
  }

  /** One thread, synchronously (Node and workers only: browsers' main threads refuse large sync compiles). */
  static createSync(): WasmBackend {
    return new WasmBackend(new WasmMemory(loadKernelsSync()));
  }

  createVariable(name: string, type: TensorType, init: Data): void {
    const length = sizeOf(type.shape);
    if (init.length !== length) throw new BackendError('variable', `variable ${name} needs ${length} values but got ${init.length}`);
    this.deleteVariable(name);
    const v = { ptr: this.mem.alloc(length * BYTES[type.dtype]), type, length };
    this.variables.set(name, v);
    store(this.view(v), init, type.dtype === 'bool');
  }

  hasVariable(name: string): boolean {
    return this.variables.has(name);
  }

  async readVariable(name: string): Promise<Data> {
    return this.view(this.variable(name)).slice();
  }

  writeVariable(name: string, data: Data): void {
    const v = this.variable(name);
    if (data.length !== v.length) throw new BackendError('variable', `variable ${name} holds ${v.length} values, not ${data.length}`);
    store(this.view(v), data, v.type.dtype === 'bool');
  }

  deleteVariable(name: string): void {
    const v = this.variables.get(name);
    if (v) this.mem.free(v.ptr);
    this.variables.delete(name);
  }

  variableNames(): string[] {
    return [...this.variables.keys()];
  }

  async prepare(graph: Graph, spec: RunSpec): Promise<Executable> {
    return new WasmExecutable(this, graph, spec);
  }

  dispose(): void {
    for (const name of [...this.variables.keys()]) this.deleteVariable(name);
    this.pool?.dispose();
  }

  /** @internal */
  variable(name: string): Variable {
    const v = this.variables.get(name);
    if (!v) throw new BackendError('variable', `no variable named ${name}`);
    return v;
  }

  private view(v: Variable): Data {
    return this.mem.view(v.type.dtype, v.ptr, v.length);
  }
}

/** One scheduled node and what running it needs, bound at prepare time. */
type Step =
  | { readonly kind: 'variable'; readonly node: GraphNode & { kind: 'variable' } }
  | { readonly kind: 'input'; readonly node: GraphNode & { kind: 'input' }; readonly out: WasmTensor }
  | { readonly kind: 'op'; readonly node: GraphNode & { kind: 'op' }; readonly out: WasmTensor; readonly kernel: BoundKernel };

/** Runs the needed nodes in id order in a planned arena; retained values stay put until the next run. */
class WasmExecutable implements Executable {
  private readonly steps: Step[];
  /** The tensor of each value in the current run (variables resolved per run: they can be re-created). */
  private readonly tensors = new Map<ValueId, WasmTensor>();
  private readonly arena: number;
  private readonly scratch: number;
  private readonly retained: ReadonlySet<ValueId>;
  /** Retained outputs that are variables, copied at the end of a run (before updates land). */
  private snapshots = new Map<ValueId, Data>();
  private readonly log = new ScalarLog();
  private ran = false;

  constructor(
    private readonly backend: WasmBackend,
    graph: Graph,
    private readonly spec: RunSpec,
  ) {
    const roots = [...spec.outputs, ...spec.updates.map((u) => u.value), ...(spec.scalars ?? [])];
    const needed = new Uint8Array(graph.nodes.length);
    const stack = [...roots];
    while (stack.length) {
      const id = stack.pop()!;
      if (needed[id]) continue;
      needed[id] = 1;
      stack.push(...graph.nodes[id]!.inputs);
    }
    const schedule = graph.nodes.filter((n) => needed[n.id]);
    this.retained = new Set(roots);
    const lastUse = new Map<ValueId, number>();
    schedule.forEach((n, pos) => n.inputs.forEach((i) => lastUse.set(i, pos)));
    const placed = schedule.filter((n) => n.kind !== 'variable');
    const lifetimes: Lifetime[] = placed.map((n) => ({
      bytes: sizeOf(n.type.shape) * BYTES[n.type.dtype],
      from: schedule.indexOf(n),
      to: this.retained.has(n.id) ? schedule.length : (lastUse.get(n.id) ?? schedule.indexOf(n)),
    }));
    const { offsets, size } = planArena(lifetimes);
    const kernels = new Map<ValueId, BoundKernel>();
    let scratch = 0;
    for (const n of schedule) {
      if (n.kind !== 'op') continue;
      const k = bindKernel(
        n.op as Op,
        n.inputs.map((i) => graph.nodes[i]!.type),
        n.attrs,
        n.type,
      );
      kernels.set(n.id, k);
      scratch = Math.max(scratch, k.scratch);
    }
    const mem = backend.mem;
    this.arena = mem.alloc(size);
    this.scratch = mem.alloc(scratch);
    placed.forEach((n, i) => this.tensors.set(n.id, { ptr: this.arena + offsets[i]!, shape: n.type.shape, dtype: n.type.dtype }));
    this.steps = schedule.map((node): Step => {
      if (node.kind === 'variable') return { kind: 'variable', node };
      const out = this.tensors.get(node.id)!;
      if (node.kind === 'input') return { kind: 'input', node, out };
      return { kind: 'op', node, out, kernel: kernels.get(node.id)! };
    });
  }

  run(feeds: ReadonlyMap<string, Data>): void {
    const mem = this.backend.mem;
    const ctx = wasmContext(mem, this.scratch, this.backend.tiles, this.backend.pool);
    const tensors = this.tensors;
    for (const step of this.steps) {
      if (step.kind === 'variable') {
        const node = step.node;
        const v = this.backend.variable(node.name);
        tensors.set(node.id, { ptr: v.ptr, shape: v.type.shape, dtype: v.type.dtype });
      } else if (step.kind === 'input') {
        const node = step.node;
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
        store(mem.view(dtype, step.out.ptr, data.length), data, dtype === 'bool');
      } else {
        const node = step.node;
        try {
          step.kernel.run(
            ctx,
            node.inputs.map((i) => tensors.get(i)!),
            step.out,
          );
        } catch (e) {
          // Kernels do not know their node: name the document node the op came from.
          throw e instanceof IndexRangeError ? e.at(node.origin) : e;
        }
      }
    }
    this.snapshots = new Map(this.spec.outputs.filter((id) => this.isVariable(id)).map((id) => [id, this.view(id).slice()]));
    const scalars = this.spec.scalars ?? [];
    if (scalars.length) this.log.push(Float32Array.from(scalars, (id) => this.view(id)[0]!));
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
    return this.steps.some((s) => s.kind === 'variable' && s.node.id === id);
  }

  private view(id: ValueId): Data {
    const t = this.tensors.get(id)!;
    return this.backend.mem.view(t.dtype, t.ptr, sizeOf(t.shape));
  }
}
