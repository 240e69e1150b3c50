import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScaleOptions, SCALE_OPTION_NAMES, scaleOptionsFromArgv } from './options';
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

describe('npm run bench:scale (scripts/bench-scale.mjs, plain JavaScript that cannot import this file)', () => {
  it('accepts the same option names as bench:node --suite scale', () => {
    const script = readFileSync(new URL('../../scripts/bench-scale.mjs', import.meta.url), 'utf8');
    const list = /^const OPTIONS = (\[[^\]]*\]);$/m.exec(script)?.[1];
    expect(list, 'scripts/bench-scale.mjs declares const OPTIONS = [...]').toBeDefined();
    expect(JSON.parse(list!.replace(/'/g, '"'))).toEqual([...SCALE_OPTION_NAMES]);
  });
});
