import { describe, expect, it } from 'vitest';
import { parseScaleOptions, scaleOptionsFromArgv } from './options';
import { QUICK_GRID } from './workloads';

describe("bench:scale's options from a command line (bench:node --suite scale)", () => {
  it('reads --name value and --name=value, then BENCH_<NAME> from the environment', () => {
    const o = parseScaleOptions(
      scaleOptionsFromArgv(['--quick', '1', '--total-budget=90000', '--impls', 'wiregrad-webgpu,tfjs-wasm'], { BENCH_CELL_BUDGET: '500' }),
    );
    expect(o.grid).toEqual(QUICK_GRID);
    expect(o.totalBudgetMs).toBe(90_000);
    expect(o.cellBudgetMs).toBe(500);
    expect(o.impls).toEqual(['wiregrad-webgpu', 'tfjs-wasm']);
  });

  it('names an unknown option, a missing value, and a bad one', () => {
    expect(() => scaleOptionsFromArgv(['--steps', '3'], {})).toThrow(/unknown option --steps\n.*bench:scale/);
    expect(() => scaleOptionsFromArgv(['--seed'], {})).toThrow('--seed needs a value');
    expect(() => parseScaleOptions(scaleOptionsFromArgv(['--max-step', 'soon'], {}))).toThrow('--max-step must be a number ≥ 1, not "soon"');
  });
});
