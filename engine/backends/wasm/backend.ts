/**
 * The WASM backend: tensors live in one WebAssembly memory; each prepared graph runs the shared
 * schedule's kernels in an arena planned from their values' lifetimes (executable.ts): fused
 * elementwise groups and GEMM epilogues block by block (fused.ts), and a kernel bound per other op
 * (kernels/): SIMD GEMM, im2col convolution, elementwise and reductions in WASM, the rest the JS
 * reference kernels on the same memory. On several threads where it can (threads.ts: a cross-origin isolated page, or Node
 * given a spawner), the big kernels split between them; else one. It is a CPU backend (kind 'cpu');
 * `device` says which, and how many threads.
 */
import type { Graph } from '../../compile/graph';
import { sizeOf } from '../../ops/shape';
import type { TensorType } from '../../ops/types';
import { BackendError, type Backend, type Data, type Executable, type RunSpec } from '../backend';
import { store, WasmExecutable, type WasmPlanOptions } from './executable';
import { piecesFor, TILE_BYTES } from './kernel';
import { BYTES, loadKernels, loadKernelsSync, loadSharedKernels, WasmMemory } from './runtime';
import { spawnWebWorker, ThreadPool, type SpawnThread } from './threads';

/** How many threads to run on, and how to start them. */
export interface WasmOptions extends WasmPlanOptions {
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

const planOptionsOf = ({ fuse, fusionBufferLimit }: WasmPlanOptions): WasmPlanOptions => ({
  ...(fuse !== undefined ? { fuse } : {}),
  ...(fusionBufferLimit !== undefined ? { fusionBufferLimit } : {}),
});

interface Variable {
  readonly ptr: number;
  readonly type: TensorType;
  readonly length: number;
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
    readonly planOptions: WasmPlanOptions = {},
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
        return new WasmBackend(new WasmMemory(shared.kernels), pool, undefined, planOptionsOf(options));
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        return new WasmBackend(new WasmMemory(await loadKernels()), undefined, why, planOptionsOf(options));
      }
    }
    return new WasmBackend(new WasmMemory(await loadKernels()), undefined, plan.why, planOptionsOf(options));
  }

  /** One thread, synchronously (Node and workers only: browsers' main threads refuse large sync compiles). */
  static createSync(options: WasmPlanOptions = {}): WasmBackend {
    return new WasmBackend(new WasmMemory(loadKernelsSync()), undefined, undefined, planOptionsOf(options));
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
    return new WasmExecutable(this, graph, spec, this.planOptions);
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
