/** The benchmark's options, read the same way from CLI arguments, environment variables or a URL query. */
import { IMPLS, type Impl } from './cases';
import { DEFAULT_MATMULS, MATMULS, matmulKey, type ModelName } from './models';

export interface BenchOptions {
  readonly models: readonly ModelName[];
  /** Implementations timed on the MLP and the CNN. */
  readonly impls: readonly Impl[];
  /** Matmul shapes ("m x k x n" keys) to measure. */
  readonly matmuls: readonly string[];
  /** Implementations timed on the matmuls. */
  readonly matmulImpls: readonly Impl[];
  /** Timed steps per round, or 'auto': as many as fit the time budget (at least 2 per round). */
  readonly steps: number | 'auto';
  /** With steps 'auto': milliseconds of timed steps per training row (all rounds together). */
  readonly budgetMs: number;
  /** With steps 'auto': a row whose first step takes longer than this reports that one step only. */
  readonly maxStepMs: number;
  /** A training row still running after this long is reported failed and its backend disposed. */
  readonly maxRowMs: number;
  /** The same, per matmul measurement. */
  readonly matmulBudgetMs: number;
  /** Rounds per measurement; the median is reported. */
  readonly rounds: number;
  /** Untimed steps before the first round (the first one also gives the initial loss). */
  readonly warmup: number;
  readonly seed: number;
  /** CPU implementations skip matmuls with more multiply-adds than this (1024³ takes seconds there). */
  readonly cpuMaxMatmul: number;
}

export const OPTION_HELP = `options (CLI --name value, env BENCH_NAME, or URL ?name=value):
  --models mlp,cnn,gpt        workloads to train
  --impls ${IMPLS.join(',')}
  --matmul ${DEFAULT_MATMULS.map(matmulKey).join(',')} | all | none   (all adds 4096x4096x4096, for a real GPU)
  --matmul-impls wiregrad-webgpu,tfjs-webgpu
  --steps auto|N              timed steps per round (auto: fit --budget)
  --budget 6000               ms of timed steps per training row (auto)
  --max-step 60000            ms: a row whose first step is slower reports that step alone (auto)
  --max-row 120000            ms: a row (compile included) still running then is reported failed
  --matmul-budget 2000        ms of timed runs per matmul measurement (auto)
  --rounds 3  --warmup 3  --seed 1
  --cpu-max-matmul 300000000  multiply-adds above which CPU rows skip a matmul`;

const list = <T extends string>(raw: string | undefined, all: readonly T[], fallback: readonly T[], what: string): T[] => {
  if (raw === undefined || raw === '') return [...fallback];
  if (raw === 'none') return [];
  if (raw === 'all') return [...all];
  const picked = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const p of picked) if (!all.includes(p as T)) throw new Error(`--${what}: unknown "${p}"; choose from ${all.join(', ')}`);
  return picked as T[];
};

const int = (raw: string | undefined, fallback: number, what: string, min: number): number => {
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min) throw new Error(`--${what} must be an integer ≥ ${min}, not "${raw}"`);
  return v;
};

/** Parse options from `get(name)` (names as in OPTION_HELP, without dashes). Unknown values throw naming the option. */
export function parseOptions(get: (name: string) => string | undefined): BenchOptions {
  const steps = get('steps');
  return {
    models: list(get('models'), ['mlp', 'cnn', 'gpt'] as const, ['mlp', 'cnn', 'gpt'], 'models'),
    impls: list(get('impls'), IMPLS, IMPLS, 'impls'),
    matmuls: list(get('matmul'), MATMULS.map(matmulKey), DEFAULT_MATMULS.map(matmulKey), 'matmul'),
    matmulImpls: list(get('matmul-impls'), IMPLS, ['wiregrad-webgpu', 'tfjs-webgpu'], 'matmul-impls'),
    steps: steps === undefined || steps === '' || steps === 'auto' ? 'auto' : int(steps, 0, 'steps', 1),
    budgetMs: int(get('budget'), 6000, 'budget', 1),
    maxStepMs: int(get('max-step'), 60_000, 'max-step', 1),
    maxRowMs: int(get('max-row'), 120_000, 'max-row', 1),
    matmulBudgetMs: int(get('matmul-budget'), 2000, 'matmul-budget', 1),
    rounds: int(get('rounds'), 3, 'rounds', 1),
    warmup: int(get('warmup'), 3, 'warmup', 1),
    seed: int(get('seed'), 1, 'seed', 0),
    cpuMaxMatmul: int(get('cpu-max-matmul'), 300_000_000, 'cpu-max-matmul', 0),
  };
}

/** The option names parseOptions reads. */
export const OPTION_NAMES = [
  'models',
  'impls',
  'matmul',
  'matmul-impls',
  'steps',
  'budget',
  'max-step',
  'max-row',
  'matmul-budget',
  'rounds',
  'warmup',
  'seed',
  'cpu-max-matmul',
] as const;

/** `get` for Node: `--name value` or `--name=value` in argv, else env BENCH_NAME (dashes → underscores). */
export function argvOrEnv(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  names: readonly string[] = OPTION_NAMES,
  help: string = OPTION_HELP,
): (name: string) => string | undefined {
  const known = new Set<string>(names);
  const given = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]!);
    if (!m) throw new Error(`unexpected argument "${argv[i]}"\n${help}`);
    if (m[1] === 'help') throw new Error(help);
    if (!known.has(m[1]!)) throw new Error(`unknown option --${m[1]}\n${help}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${m[1]} needs a value`);
    given.set(m[1]!, value);
  }
  return (name) => given.get(name) ?? env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`];
}
