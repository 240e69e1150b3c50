/**
 * What the CPU-side backends (cpu/, wasm/) share in their executables: the log of each run's
 * scalars (RunSpec.scalars), drained in batches, and counting the non-finite values of an output.
 */
import type { ValueId } from '../compile/graph';
import type { Data } from './backend';

/** The logged scalars of every run since the last drain, oldest first (Executable.drainScalars). */
export class ScalarLog {
  private runs: Float32Array[] = [];

  /** One run's scalars, in RunSpec.scalars order. */
  push(run: Float32Array): void {
    this.runs.push(run);
  }

  /** Every run logged since the previous drain; the log starts empty again. */
  drain(): Float32Array[] {
    const out = this.runs;
    this.runs = [];
    return out;
  }

  clear(): void {
    this.runs = [];
  }
}

/** How many NaN/±Inf elements each value holds (Executable.countNonFinite), reading each with `read`. */
export function countNonFinite(values: readonly ValueId[], read: (id: ValueId) => Promise<Data>): Promise<number[]> {
  return Promise.all(
    values.map(async (id) => {
      let n = 0;
      for (const v of await read(id)) if (!Number.isFinite(v)) n++;
      return n;
    }),
  );
}
