/** Timing helpers shared by the benchmarks: warm-up, ms per step, alternating rounds, medians. */
import os from 'node:os';
import process from 'node:process';

export { median, table } from './table';

/** One training (or inference) step; the promise settles once the step's result is really computed. */
export type Step = () => Promise<unknown>;

/** Mean milliseconds per step over `steps` consecutive awaited steps. */
export async function msPerStep(step: Step, steps: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await step();
  return (performance.now() - t0) / steps;
}

export interface RoundOptions {
  /** Untimed steps per case before the first round (JIT, caches, allocator). */
  readonly warmup: number;
  /** Timed steps per case per round. */
  readonly steps: number;
  /** Rounds; the cases alternate inside each round so machine noise hits all of them. */
  readonly rounds: number;
}

/** Warm every case up, then time them in alternating rounds. Returns ms/step per round for each case. */
export async function timeRounds<K extends string>(cases: Record<K, Step>, opts: RoundOptions): Promise<Record<K, number[]>> {
  const names = Object.keys(cases) as K[];
  for (const name of names) for (let i = 0; i < opts.warmup; i++) await cases[name]();
  const out = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  for (let r = 0; r < opts.rounds; r++) {
    // Alternate which case goes first so neither always runs right after the other's garbage.
    const order = r % 2 ? [...names].reverse() : names;
    for (const name of order) out[name].push(await msPerStep(cases[name], opts.steps));
  }
  return out;
}

/** Node version and CPU model, for the head of a benchmark's output. */
export function machineLine(): string {
  const cpus = os.cpus();
  return `Node ${process.version} · ${cpus[0]?.model ?? 'unknown CPU'} · ${cpus.length} logical cores · ${os.platform()} ${os.arch()}`;
}
