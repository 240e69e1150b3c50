/**
 * The WASM backend's threads: helper threads that each instantiate the kernels on the same shared
 * memory, and a fork-join over them. The calling thread writes one task per helper into a control
 * block (a SharedArrayBuffer), bumps the generation and wakes them (Atomics.notify), runs its own
 * task, then sleeps (Atomics.wait) until every helper has counted itself done. Runs stay
 * synchronous, as Executable.run is: browsers allow Atomics.wait in workers, where the backend lives.
 */
import { BackendError } from '../backend';
import type { KernelExports } from './runtime';
import type { ThreadInit } from './threadLoop';

/** A kernel export's name (the memory aside). */
export type KernelName = Exclude<keyof KernelExports, 'memory'>;
/** One kernel call: its name and arguments (pointers and sizes, as numbers). */
export type KernelCall = readonly [KernelName, ...number[]];

/** Every kernel a thread may be asked to run, by the index its slot holds. */
export const KERNEL_NAMES: readonly KernelName[] = [
  'pack_a',
  'pack_b',
  'gemm_packed',
  'gemm_part',
  'binary_f32',
  'compare_f32',
  'where32',
  'unary_f32',
  'sum_f32',
  'max_f32',
  'im2col',
  'col2im',
  'max_pool',
  'u8_to_f32',
  'i32_to_f32',
];

const MAX_ARGS = 16;
const SLOT_BYTES = 8 + 8 * MAX_ARGS;

/** A started helper thread, whatever runs it (a Web Worker, a worker_threads Worker). */
export interface HelperThread {
  /** Resolves once the thread has instantiated the kernels and waits for work. */
  readonly ready: Promise<void>;
  terminate(): void;
}

/** Starts one helper thread running threadLoop(init). */
export type SpawnThread = (init: ThreadInit) => HelperThread;

/** The calling thread plus `helpers.length` helpers over one control block. */
export class ThreadPool {
  private readonly ints: Int32Array;
  private readonly floats: Float64Array;
  private disposed = false;
  /** Fork-joins so far (tests check that work was split). */
  forks = 0;

  private constructor(
    private readonly kernels: KernelExports,
    private readonly control: SharedArrayBuffer,
    private readonly helpers: readonly HelperThread[],
  ) {
    this.ints = new Int32Array(control);
    this.floats = new Float64Array(control);
  }

  /** Threads in all, the caller's included. */
  get size(): number {
    return this.helpers.length + 1;
  }

  /** Starts `threads - 1` helpers on `module` over `memory` (shared); resolves once all are ready. */
  static async start(kernels: KernelExports, module: WebAssembly.Module, threads: number, spawn: SpawnThread): Promise<ThreadPool> {
    const control = new SharedArrayBuffer(8 + SLOT_BYTES * threads);
    const helpers: HelperThread[] = [];
    try {
      for (let slot = 1; slot < threads; slot++) {
        helpers.push(spawn({ module, memory: kernels.memory, control, slot, names: KERNEL_NAMES }));
      }
      await Promise.all(helpers.map((h) => h.ready));
    } catch (e) {
      helpers.forEach((h) => h.terminate());
      throw new BackendError('unavailable', `WebAssembly threads could not start: ${e instanceof Error ? e.message : String(e)}`);
    }
    return new ThreadPool(kernels, control, helpers);
  }

  /**
   * Runs each call on its own thread, the first on this one, and returns when all are done
   * (at most `size` calls; they must write disjoint memory).
   */
  run(calls: readonly KernelCall[]): void {
    if (calls.length > this.size) throw new Error(`${calls.length} kernel calls for ${this.size} threads`);
    if (this.disposed) throw new BackendError('validation', 'the WASM backend was disposed');
    const { ints, floats } = this;
    for (let slot = 1; slot < this.size; slot++) {
      const at = 8 + SLOT_BYTES * slot;
      const call = calls[slot];
      ints[at >> 2] = call ? KERNEL_NAMES.indexOf(call[0]) : -1;
      if (!call) continue;
      ints[(at >> 2) + 1] = call.length - 1;
      for (let i = 1; i < call.length; i++) floats[(at + 8) / 8 + i - 1] = call[i] as number;
    }
    this.forks++;
    Atomics.store(ints, 1, this.helpers.length);
    Atomics.add(ints, 0, 1);
    Atomics.notify(ints, 0);
    if (calls[0]) call(this.kernels, calls[0]);
    for (let pending = Atomics.load(ints, 1); pending !== 0; pending = Atomics.load(ints, 1)) Atomics.wait(ints, 1, pending);
    for (let slot = 1; slot < calls.length; slot++) {
      if (ints[(8 + SLOT_BYTES * slot) >> 2] === -2) throw new BackendError('validation', `WASM kernel ${calls[slot]![0]} failed on thread ${slot}`);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    Atomics.store(this.ints, 0, -1);
    Atomics.notify(this.ints, 0);
    this.helpers.forEach((h) => h.terminate());
  }
}

/** Calls one kernel on this thread. */
export function call(kernels: KernelExports, [name, ...args]: KernelCall): void {
  (kernels[name] as (...a: number[]) => void)(...args);
}

/** Helper threads as module Web Workers (thread.worker.ts), bundled by Vite. */
export const spawnWebWorker: SpawnThread = (init) => {
  const worker = new Worker(new URL('./thread.worker.ts', import.meta.url), { type: 'module' });
  const ready = new Promise<void>((resolve, reject) => {
    worker.onmessage = () => resolve();
    worker.onerror = (e) => reject(new Error(e.message || 'the thread worker failed to load'));
  });
  worker.postMessage(init);
  return { ready, terminate: () => worker.terminate() };
};
