/**
 * What each helper thread of the WASM backend runs: it instantiates the kernels on the shared
 * memory, then waits for work (threads.ts writes it into the control block) and runs it, forever.
 *
 * Self-contained on purpose (no imports, no inner functions): Node runs it from its source text in
 * a worker_threads Worker (nodeThreads.ts), browsers from thread.worker.ts.
 */

/** What a thread is sent once, before it starts. */
export interface ThreadInit {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  /** The control block (threads.ts: CONTROL layout). */
  readonly control: SharedArrayBuffer;
  /** This thread's slot (0 is the calling thread's, so helpers start at 1). */
  readonly slot: number;
  /** Kernel export names by the index a slot gives. */
  readonly names: readonly string[];
}

/** Runs tasks from slot `init.slot` until the generation goes negative; `ready` is called once instantiated. */
export function threadLoop(init: ThreadInit, ready: () => void): void {
  const exports = new WebAssembly.Instance(init.module, { env: { memory: init.memory } }).exports as Record<string, unknown>;
  const fns = init.names.map((name) => exports[name] as (...args: number[]) => void);
  const ints = new Int32Array(init.control);
  const floats = new Float64Array(init.control);
  // Layout (bytes): generation (i32), pending (i32), then 136 bytes per slot: fn (i32), argc (i32), 16 args (f64).
  const at = 8 + 136 * init.slot;
  let seen = 0;
  ready();
  for (;;) {
    Atomics.wait(ints, 0, seen);
    const generation = Atomics.load(ints, 0);
    if (generation < 0) return;
    if (generation === seen) continue;
    seen = generation;
    const fn = ints[at >> 2]!;
    if (fn >= 0) {
      const argc = ints[(at >> 2) + 1]!;
      const args: number[] = [];
      for (let i = 0; i < argc; i++) args.push(floats[(at + 8) / 8 + i]!);
      try {
        fns[fn]!(...args);
      } catch (_e) {
        ints[at >> 2] = -2; // the caller reports it (a trap: a bad pointer or size)
      }
    }
    if (Atomics.sub(ints, 1, 1) === 1) Atomics.notify(ints, 1);
  }
}
