/** bench:scale's options, read from the page's URL query (scripts/bench-scale.mjs passes CLI flags through). */
import { argvOrEnv } from '../lib/options';
import { FULL_GRID, QUICK_GRID, type Family } from './workloads';

/** The implementations bench:scale compares, in the order each cell runs them. */
export const SCALE_IMPLS = ['wiregrad-webgpu', 'tfjs-wasm', 'wiregrad-cpu', 'tfjs-webgpu'] as const;
export type ScaleImpl = (typeof SCALE_IMPLS)[number];

export interface ScaleOptions {
  readonly gridName: 'full' | 'quick';
  readonly grid: Readonly<Record<Family, readonly number[]>>;
  readonly impls: readonly ScaleImpl[];
  /** Milliseconds of timed steps per cell and implementation (fewer steps for slower cells, at least one). */
  readonly cellBudgetMs: number;
  /** A cell whose first step, or whose predicted step, takes longer than this is skipped (over budget). */
  readonly maxStepMs: number;
  /** A cell still running after this long (compile included) is cut off and reported skipped (over budget). */
  readonly maxCellMs: number;
  /** The run's time: each family gets an equal share (unused time passes on), and the cells left past it are skipped (over budget). */
  readonly totalBudgetMs: number;
  /** wiregrad-cpu runs only cells of at most this many flops per step (the small sizes). */
  readonly cpuMaxFlops: number;
  /** Largest relative difference of first-step losses counted as agreeing with the reference. */
  readonly lossTolerance: number;
  readonly seed: number;
}

export const SCALE_HELP = `npm run bench:scale -- [options]   (or env BENCH_<NAME>)
  --quick 1                 the small grid: width ${QUICK_GRID.width.join(',')} · batch ${QUICK_GRID.batch.join(',')} · depth ${QUICK_GRID.depth.join(',')}
                            (default, full: width ${FULL_GRID.width.join(',')} · batch ${FULL_GRID.batch.join(',')} · depth ${FULL_GRID.depth.join(',')})
  --impls ${SCALE_IMPLS.join(',')}
  --cell-budget 2000        ms of timed steps per cell and implementation
  --max-step 15000          ms: a first (or predicted) step slower than this skips the cell
  --max-cell 120000         ms: a cell still running then is cut off (compile included)
  --total-budget 540000     ms for the run, shared equally by the families; cells left past a family's share are skipped
  --cpu-max-mflop 250       wiregrad-cpu runs cells up to this many MFLOP per step
  --loss-tolerance 0.001    relative first-loss difference that still agrees
  --seed 1`;

/** The options' names (--name value). */
export const SCALE_OPTION_NAMES = ['quick', 'impls', 'cell-budget', 'max-step', 'max-cell', 'total-budget', 'cpu-max-mflop', 'loss-tolerance', 'seed'] as const;

/** Options from command-line pairs (--name value or --name=value), else BENCH_<NAME> in `env`; an unknown name throws with the help. */
export const scaleOptionsFromArgv = (argv: readonly string[], env: Readonly<Record<string, string | undefined>>) =>
  argvOrEnv(argv, env, SCALE_OPTION_NAMES, SCALE_HELP);

const number = (raw: string | undefined, fallback: number, name: string, min: number): number => {
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < min) throw new Error(`--${name} must be a number ≥ ${min}, not "${raw}"`);
  return v;
};

/** Parse from `get(name)`; a bad value throws naming its option. */
export function parseScaleOptions(get: (name: string) => string | undefined): ScaleOptions {
  const quick = get('quick');
  if (quick !== undefined && !['', '0', '1', 'true', 'false'].includes(quick)) throw new Error(`--quick takes 1 or 0, not "${quick}"`);
  const isQuick = quick === '' || quick === '1' || quick === 'true';
  const rawImpls = get('impls');
  const impls = rawImpls
    ? rawImpls
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [...SCALE_IMPLS];
  for (const i of impls) if (!SCALE_IMPLS.includes(i as ScaleImpl)) throw new Error(`--impls: unknown "${i}"; choose from ${SCALE_IMPLS.join(', ')}`);
  return {
    gridName: isQuick ? 'quick' : 'full',
    grid: isQuick ? QUICK_GRID : FULL_GRID,
    impls: SCALE_IMPLS.filter((i) => impls.includes(i)),
    cellBudgetMs: number(get('cell-budget'), 2000, 'cell-budget', 1),
    maxStepMs: number(get('max-step'), 15_000, 'max-step', 1),
    maxCellMs: number(get('max-cell'), 120_000, 'max-cell', 1),
    totalBudgetMs: number(get('total-budget'), 540_000, 'total-budget', 1),
    cpuMaxFlops: number(get('cpu-max-mflop'), 250, 'cpu-max-mflop', 0) * 1e6,
    lossTolerance: number(get('loss-tolerance'), 1e-3, 'loss-tolerance', 0),
    seed: number(get('seed'), 1, 'seed', 0),
  };
}
