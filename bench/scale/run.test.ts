/**
 * The scaling run end to end on the CPU (Wiregrad's reference backend, and tfjs-cpu standing in for
 * a tfjs backend), with budgets that force each kind of skip; then the report, the BENCH keys and
 * the plot of the same result; and the loss-agreement rule on its own.
 */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../engine/backends/cpu/backend';
import { BackendError } from '../../engine/backends/backend';
import type { BenchEnv } from '../lib/suite';
import { tf } from '../lib/tfjs';
import { scaleChartSvg } from './chart';
import { parseScaleOptions, type ScaleOptions } from './options';
import { formatScaleReport, scaleJson } from './report';
import { checkAgreement, runScale, type ScaleRow } from './run';

const logs: string[] = [];
const env: BenchEnv = {
  platform: 'vitest',
  adapter: null,
  async wiregradBackend(kind) {
    if (kind === 'webgpu') throw new BackendError('unavailable', 'no WebGPU in this test');
    return new CpuBackend();
  },
  async useTfjs() {
    await tf.setBackend('cpu');
    return 'tfjs-cpu standing in';
  },
  log: (line) => logs.push(line),
};

const options = (overrides: Partial<ScaleOptions>): ScaleOptions => ({
  ...parseScaleOptions(() => undefined),
  grid: { width: [16, 32], batch: [], depth: [] },
  impls: ['wiregrad-webgpu', 'tfjs-webgpu', 'wiregrad-cpu'],
  cellBudgetMs: 50,
  ...overrides,
});

describe('runScale', () => {
  it('times every cell that fits, with agreeing first losses, and says why the others have no time', async () => {
    const result = await runScale(env, options({}));
    expect(result.cells.map((c) => c.key)).toEqual(['mlp_w16', 'mlp_w32']);
    for (const cell of result.cells) {
      const [gpu, tfjs, cpu] = cell.rows;
      expect(gpu).toMatchObject({ impl: 'wiregrad-webgpu', status: 'skipped' });
      expect(gpu!.reason).toMatch(/unavailable: no WebGPU in this test/);
      for (const r of [tfjs!, cpu!]) {
        expect(r.status).toBe('ok');
        expect(r.msPerStep).toBeGreaterThan(0);
        expect(r.steps).toBeGreaterThanOrEqual(1);
        expect(r.lastLoss).toBeLessThan(r.firstLoss!); // the same batch again and again: the loss falls
      }
      expect(Math.abs(tfjs!.firstLoss! / cpu!.firstLoss! - 1)).toBeLessThan(1e-4);
      expect(tfjs!.tfjsPeakBytes).toBeGreaterThan(cell.tensors.resident / 4); // tf.profile saw at least the weights
      expect(cell.tensors.maxLive).toBeGreaterThan(cell.tensors.resident);
    }
    const report = formatScaleReport(result);
    expect(report).toMatch(/WIDTH — MLP 784-H-10/);
    expect(report).toMatch(/mlp_w16 wiregrad-webgpu: unavailable: no WebGPU in this test/);
    const bench = JSON.parse(
      report
        .split('\n')
        .pop()!
        .replace(/^BENCH /, ''),
    );
    expect(bench).toEqual(scaleJson(result));
    expect(bench.scale_mlp_w32_ms_wiregrad_cpu).toBeCloseTo(result.cells[1]!.rows[2]!.msPerStep!, 1);
    expect(bench.scale_mlp_w32_ms_wiregrad_webgpu).toBeNull();
    expect(bench.scale_mlp_w32_live_tensor_bytes).toBe(result.cells[1]!.tensors.maxLive);
    expect(bench.scale_mlp_w16_loss_mismatches).toBe(0);
    const svg = scaleChartSvg(result);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<polyline data-impl="([a-z-]+)"/g)).toEqual(['<polyline data-impl="tfjs-webgpu"', '<polyline data-impl="wiregrad-cpu"']);
    expect(svg).toMatch(/no measurements/); // the batch and depth panels of this grid are empty
  });

  it('lets one slow warm step stand for a cell, then skips the larger cells of its family; the CPU skips cells above its cap', async () => {
    const result = await runScale(env, options({ impls: ['tfjs-webgpu', 'wiregrad-cpu'], maxStepMs: 0.001, cpuMaxFlops: 1e6 }));
    const [small, large] = result.cells;
    expect(small!.rows[0]).toMatchObject({ status: 'ok', steps: 1, overBudget: true });
    expect(small!.rows[0]!.firstLoss).toBeGreaterThan(0);
    expect(large!.rows[0]).toMatchObject({ status: 'skipped' });
    expect(large!.rows[0]!.reason).toMatch(/^skipped \(over budget\): a smaller width cell already was/);
    for (const cell of result.cells) expect(cell.rows[1]!.reason).toMatch(/CPU runs the small sizes only/);
    const report = formatScaleReport(result);
    expect(report).toMatch(/ \(1 step\) /);
    expect(report).toMatch(/skipped \(over budget\)/);
  });

  it('cuts off a cell still running after --max-cell and reports it skipped (over budget), not failed', async () => {
    const result = await runScale(env, options({ impls: ['wiregrad-cpu'], maxCellMs: 1, grid: { width: [16], batch: [], depth: [] } }));
    const row = result.cells[0]!.rows[0]!;
    expect(row.status).toBe('skipped');
    expect(row.reason).toMatch(/^skipped \(over budget\): still running after --max-cell/);
  });
});

describe('runScale budgets', () => {
  it('gives each family its share of --total-budget and skips the cells past it', async () => {
    const result = await runScale(env, options({ impls: ['wiregrad-cpu'], totalBudgetMs: 1, grid: { width: [16], batch: [16], depth: [] } }));
    expect(result.cells.map((c) => c.rows[0]!.reason)).toEqual([
      expect.stringMatching(/^skipped \(over budget\): the run passed the width family's share of --total-budget \(0\.0 s/),
      expect.stringMatching(/^skipped \(over budget\): the run passed the batch family's share of --total-budget \(0\.0 s/),
    ]);
  });
});

describe('checkAgreement', () => {
  const row = (impl: ScaleRow['impl'], firstLoss: number): ScaleRow => ({ impl, status: 'ok', msPerStep: 1, firstLoss });
  it('marks rows off the CPU reference as mismatches and leaves agreeing ones', () => {
    const rows = checkAgreement([row('wiregrad-webgpu', 2.3), row('tfjs-webgpu', 2.30001), row('tfjs-wasm', 2.5), row('wiregrad-cpu', 2.3)], 1e-3);
    expect(rows.map((r) => r.status)).toEqual(['ok', 'ok', 'mismatch', 'ok']);
    expect(rows[2]!.reason).toMatch(/first loss 2.5 vs wiregrad-cpu 2.3/);
  });
  it('uses Wiregrad-WebGPU as the reference without a CPU row, and flags a NaN loss', () => {
    const rows = checkAgreement([row('wiregrad-webgpu', 2.3), row('tfjs-webgpu', NaN)], 1e-3);
    expect(rows.map((r) => r.status)).toEqual(['ok', 'mismatch']);
  });
});

describe('parseScaleOptions', () => {
  it('reads the quick grid and names a bad option', () => {
    expect(parseScaleOptions((n) => (n === 'quick' ? '1' : undefined)).grid.width).toEqual([256, 1024, 4096]);
    expect(parseScaleOptions(() => undefined).grid.batch).toEqual([32, 64, 128, 256, 512, 1024]);
    expect(() => parseScaleOptions((n) => (n === 'impls' ? 'tfjs-cpu' : undefined))).toThrow(/--impls: unknown "tfjs-cpu"/);
    expect(() => parseScaleOptions((n) => (n === 'cell-budget' ? 'soon' : undefined))).toThrow(/--cell-budget must be a number/);
  });
});
