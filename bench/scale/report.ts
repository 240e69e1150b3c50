/** bench:scale's printed report: one table per family, the memory table, notes, and the `BENCH <json>` line. */
import { table } from '../lib/table';
import type { ScaleImpl } from './options';
import type { ScaleCellResult, ScaleResult, ScaleRow } from './run';
import type { Family } from './workloads';

const FAMILY_TITLE: Record<Family, string> = {
  width: 'WIDTH — MLP 784-H-10, batch 128: hidden width H',
  batch: 'BATCH — MLP 784-256-10: batch size B',
  depth: 'DEPTH — CNN of D conv3×3@16 layers (max-pool every 2), batch 32: conv layers D',
};
const AXIS: Record<Family, string> = { width: 'H', batch: 'B', depth: 'D' };

const under = (impl: ScaleImpl) => impl.replace('-', '_');
const round = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? null : Number(v.toPrecision(4)));
const mb = (bytes: number | undefined) => (bytes === undefined ? '—' : (bytes / 2 ** 20).toFixed(2));

/** ms/step of `impl` in `cell` if it ran and agreed. */
export const msOf = (cell: ScaleCellResult, impl: ScaleImpl) => cell.rows.find((r) => r.impl === impl && r.status === 'ok')?.msPerStep;

/** What a table cell shows for a row: the time, or why there is none. */
function shown(r: ScaleRow | undefined): string {
  if (!r) return '—';
  if (r.status === 'ok') return `${r.msPerStep! >= 100 ? r.msPerStep!.toFixed(0) : r.msPerStep!.toPrecision(3)}${r.overBudget ? ' (1 step)' : ''}`;
  if (r.status === 'skipped') return r.reason?.startsWith('skipped (over budget)') ? 'skipped (over budget)' : 'skipped';
  if (r.status === 'mismatch') return 'MISMATCH';
  if (r.status === 'unsupported') return 'n/a';
  return 'FAILED';
}

/** tfjs ms / Wiregrad-WebGPU ms: above 1, Wiregrad is faster. */
const speedup = (cell: ScaleCellResult, peer: ScaleImpl) => {
  const ours = msOf(cell, 'wiregrad-webgpu');
  const theirs = msOf(cell, peer);
  return ours !== undefined && theirs !== undefined ? theirs / ours : undefined;
};

/** Live-tensor floor / measured peak: 1 means the planner holds nothing beyond what the schedule needs at its worst point. */
export const efficiency = (cell: ScaleCellResult) => {
  const peak = cell.rows.find((r) => r.impl === 'wiregrad-webgpu')?.peakDeviceBytes;
  return peak ? cell.tensors.maxLive / peak : undefined;
};

function familyTable(cells: readonly ScaleCellResult[], family: Family, impls: readonly ScaleImpl[]): string {
  const mine = cells.filter((c) => c.family === family);
  const x = (v: number | undefined) => (v === undefined ? '—' : `${v.toFixed(2)}×`);
  return table([
    [AXIS[family], 'GFLOP/step', ...impls.map((i) => `${i} ms`), 'vs tfjs-webgpu', 'vs tfjs-wasm'],
    ...mine.map((c) => [
      String(c.value),
      (c.flops / 1e9).toFixed(3),
      ...impls.map((i) => shown(c.rows.find((r) => r.impl === i))),
      x(speedup(c, 'tfjs-webgpu')),
      x(speedup(c, 'tfjs-wasm')),
    ]),
  ]);
}

function memoryTable(cells: readonly ScaleCellResult[]): string {
  return table([
    ['cell', 'wiregrad peak MB', 'live-tensor floor MB', 'of which resident MB', 'no-reuse sum MB', 'floor / peak', 'tfjs-webgpu peak tensors MB'],
    ...cells.map((c) => {
      const tfjs = c.rows.find((r) => r.impl === 'tfjs-webgpu');
      const e = efficiency(c);
      return [
        c.key,
        mb(c.rows.find((r) => r.impl === 'wiregrad-webgpu')?.peakDeviceBytes),
        mb(c.tensors.maxLive),
        mb(c.tensors.resident),
        mb(c.tensors.total),
        e === undefined ? '—' : `${(100 * e).toFixed(0)}%`,
        mb(tfjs?.tfjsPeakBytes),
      ];
    }),
  ]);
}

/** The machine-readable summary: flat `scale_<cell>_…` keys, null where a row has no number. */
export function scaleJson(result: ScaleResult): Record<string, unknown> {
  const out: Record<string, unknown> = { scale_grid: result.options.gridName, adapter: result.adapter };
  for (const c of result.cells) {
    for (const impl of result.options.impls) out[`scale_${c.key}_ms_${under(impl)}`] = round(msOf(c, impl));
    out[`scale_${c.key}_speedup_vs_tfjs_webgpu`] = round(speedup(c, 'tfjs-webgpu'));
    out[`scale_${c.key}_speedup_vs_tfjs_wasm`] = round(speedup(c, 'tfjs-wasm'));
    out[`scale_${c.key}_peak_device_bytes`] = c.rows.find((r) => r.impl === 'wiregrad-webgpu')?.peakDeviceBytes ?? null;
    out[`scale_${c.key}_live_tensor_bytes`] = c.tensors.maxLive;
    out[`scale_${c.key}_memory_efficiency`] = round(efficiency(c));
    out[`scale_${c.key}_loss_mismatches`] = c.rows.filter((r) => r.status === 'mismatch').length;
  }
  return out;
}

/** The whole report, ending with the `BENCH <json>` line. */
export function formatScaleReport(result: ScaleResult): string {
  const o = result.options;
  const out = [
    `platform: ${result.platform}`,
    `adapter: ${result.adapter ? JSON.stringify(result.adapter) : 'none (no WebGPU)'}`,
    ...Object.entries(result.notes).map(([impl, note]) => `${impl}: ${note}`),
    `grid: ${o.gridName}; per cell: compile, 1 untimed step (first loss), 1 step to estimate, then ≈${o.cellBudgetMs} ms of timed steps (1…50), one sync at the end; ms per training step (Adam, softmax cross-entropy)`,
    `"(1 step)": one warm step over ${o.maxStepMs} ms stands for the cell; skipped (over budget): predicted step > ${o.maxStepMs} ms or a smaller cell already over, a cell past ${o.maxCellMs} ms, or its family past its share of ${o.totalBudgetMs} ms (an equal share each, unused time passed on); MISMATCH: first-step loss off the reference by > ${o.lossTolerance} relative`,
  ];
  for (const family of ['width', 'batch', 'depth'] as const) {
    if (!result.cells.some((c) => c.family === family)) continue;
    out.push('', FAMILY_TITLE[family], familyTable(result.cells, family, o.impls));
  }
  out.push(
    '',
    "MEMORY — one training step on wiregrad-webgpu: the backend's peak of live GPU bytes over the steps, against the live-tensor floor",
    "(the largest sum of tensors live at once in the step's unfused schedule: weights, Adam slots, resident batch, activations, gradients);",
    "tfjs-webgpu: its tensors' peak bytes in its first step (tf.profile), for comparison",
    memoryTable(result.cells),
  );
  const notes = result.cells.flatMap((c) =>
    c.rows.filter((r) => r.status !== 'ok' && r.reason && !r.reason.startsWith('CPU runs the small sizes')).map((r) => `  ${c.key} ${r.impl}: ${r.reason}`),
  );
  if (notes.length) out.push('', 'NOTES', ...notes);
  out.push(`(${result.seconds.toFixed(0)} s in all)`);
  out.push(`BENCH ${JSON.stringify(scaleJson(result))}`);
  return out.join('\n');
}
