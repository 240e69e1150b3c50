/**
 * The WASM backend's threads: helper threads that each instantiate the kernels on the same shared
 * memory, and a fork-join over them. The calling thread writes a kernel's pieces into call slots of
 * a control block (a SharedArrayBuffer), marks them ready, bumps the generation and wakes the
 * helpers (Atomics.notify). Every thread, the caller included, then claims ready pieces one at a
 * time (compare-and-swap) and runs them; the caller sleeps (Atomics.wait) only on pieces a helper
 * is still running. A helper that wakes late (a busy core) finds the pieces already done, so the
 * caller never waits on a thread that has not started. Runs stay synchronous, as Executable.run
 * is: browsers allow Atomics.wait in workers, where the backend lives.
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
/** Per call slot: state, fn, argc (i32) and padding, then the arguments (f64). */
const SLOT_BYTES = 16 + 8 * MAX_ARGS;
/** Pieces one fork-join may hand out. */
export const MAX_CALLS = 64;
/** Pieces a kernel cuts its work into per thread: small enough that a thread slowed by a busy core holds up little. */
export const PIECES_PER_THREAD = 4;
const [READY, TAKEN, DONE, FAILED] = [1, 2, 3, 4];

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
    control: SharedArrayBuffer,
    private readonly helpers: readonly HelperThread[],
  ) {
    this.ints = new Int32Array(control);
    this.floats = new Float64Array(control);
  }

  /** Threads in all, the caller's included. */
  get size(): number {
    return this.helpers.length + 1;
  }

  /** Starts `threads - 1` helpers on `module` over the kernels' (shared) memory; resolves once all are ready. */
  static async start(kernels: KernelExports, module: WebAssembly.Module, threads: number, spawn: SpawnThread): Promise<ThreadPool> {
    const control = new SharedArrayBuffer(8 + SLOT_BYTES * MAX_CALLS);
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
   * Runs every call (at most MAX_CALLS; they must write disjoint memory) on whichever thread takes
   * it first, this one included, and returns when all are done.
   */
  run(calls: readonly KernelCall[]): void {
    if (calls.length > MAX_CALLS) throw new Error(`${calls.length} kernel calls for one fork-join (at most ${MAX_CALLS})`);
    if (this.disposed) throw new BackendError('validation', 'the WASM backend was disposed');
    const { ints, floats } = this;
    const at = (i: number) => 8 + SLOT_BYTES * i;
    calls.forEach((call, i) => {
      const o = at(i);
      ints[(o >> 2) + 1] = KERNEL_NAMES.indexOf(call[0]);
      ints[(o >> 2) + 2] = call.length - 1;
      for (let j = 1; j < call.length; j++) floats[(o + 16) / 8 + j - 1] = call[j] as number;
    });
    for (let i = 0; i < calls.length; i++) Atomics.store(ints, at(i) >> 2, READY);
    this.forks++;
    Atomics.add(ints, 0, 1);
    Atomics.notify(ints, 0);
    // Take pieces until none is left, then wait for the ones the helpers took.
    for (let i = 0; i < calls.length; i++) {
      const s = at(i) >> 2;
      if (Atomics.compareExchange(ints, s, READY, TAKEN) !== READY) continue;
      call(this.kernels, calls[i]!);
      Atomics.store(ints, s, DONE);
    }
    let failed = -1;
    for (let i = 0; i < calls.length; i++) {
      const s = at(i) >> 2;
      for (let state = Atomics.load(ints, s); state === TAKEN; state = Atomics.load(ints, s)) Atomics.wait(ints, s, TAKEN);
      if (ints[s] === FAILED) failed = i;
      ints[s] = 0;
    }
    if (failed >= 0) throw new BackendError('validation', `WASM kernel ${calls[failed]![0]} failed on a helper thread`);
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
