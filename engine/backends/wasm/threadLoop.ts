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
  /** The control block (layout in threads.ts). */
  readonly control: SharedArrayBuffer;
  /** Which helper this is (1, 2 …; the calling thread is 0): where it starts looking for work. */
  readonly slot: number;
  /** Kernel export names by the index a call's slot gives. */
  readonly names: readonly string[];
}

/**
 * Waits for a new generation, then claims ready calls (compare-and-swap of their state, so each runs
 * once, whoever takes it) and runs them, until the generation goes negative. `ready` is called
 * once the kernels are instantiated.
 */
export function threadLoop(init: ThreadInit, ready: () => void): void {
  const exports = new WebAssembly.Instance(init.module, { env: { memory: init.memory } }).exports as Record<string, unknown>;
  const fns = init.names.map((name) => exports[name] as (...args: number[]) => void);
  const ints = new Int32Array(init.control);
  const floats = new Float64Array(init.control);
  // Layout (bytes; threads.ts): generation (i32), slot count (i32), then 144 bytes per call slot:
  // state (i32: 0 empty, 1 ready, 2 taken, 3 done, 4 failed), fn (i32), argc (i32), pad, 16 args (f64).
  const slots = (init.control.byteLength - 8) / 144;
  let seen = 0;
  ready();
  for (;;) {
    Atomics.wait(ints, 0, seen);
    const generation = Atomics.load(ints, 0);
    if (generation < 0) return;
    if (generation === seen) continue;
    seen = generation;
    for (let k = 0; k < slots; k++) {
      const at = 8 + 144 * ((k + init.slot) % slots);
      if (Atomics.compareExchange(ints, at >> 2, 1, 2) !== 1) continue;
      const fn = ints[(at >> 2) + 1]!;
      const argc = ints[(at >> 2) + 2]!;
      const args: number[] = [];
      for (let i = 0; i < argc; i++) args.push(floats[(at + 16) / 8 + i]!);
      let state = 3;
      try {
        fns[fn]!(...args);
      } catch (_e) {
        state = 4; // the caller reports it (a trap: a bad pointer or size)
      }
      Atomics.store(ints, at >> 2, state);
      Atomics.notify(ints, at >> 2);
    }
  }
}
