/** The printed report of a suite run: adapter, one table per section, ratios, and the `BENCH <json>` line. */
import { IMPLS, type Impl } from './cases';
import { matmulKey } from './models';
import type { BenchResult, MatmulRow, TrainRow } from './suite';
import { table } from './table';
import { GPT_TOKENS_PER_STEP } from './transformer';

const key = (impl: Impl) => `${impl.replaceAll('-', '_')}_ms`;
const fmt = (v: number | undefined, digits = 2) => (v === undefined ? '—' : v.toFixed(digits));
const round = (v: number | undefined) => (v === undefined ? null : Number(v.toPrecision(4)));
const loss = (v: number | undefined) => (v === undefined ? '—' : Number.isFinite(v) ? v.toFixed(4) : String(v));

/** "1.8× faster" / "2.3× slower" for `ours` against `theirs`, both ms (lower is better). */
function versus(ours: number | undefined, theirs: number | undefined): string {
  if (ours === undefined || theirs === undefined) return 'n/a (a row did not run)';
  const r = theirs / ours;
  return r >= 1 ? `${r.toFixed(2)}× faster` : `${(1 / r).toFixed(2)}× slower`;
}

function trainTable(rows: readonly TrainRow[]): string {
  return table([
    ['implementation', 'ms/step', 'rounds (ms/step)', 'steps×rounds', 'compile ms', 'loss first → last', 'trains'],
    ...rows.map((r) =>
      r.status === 'ok'
        ? [
            r.impl,
            fmt(r.msPerStep),
            r.rounds!.map((v) => fmt(v)).join(' / '),
            `${r.steps}×${r.rounds!.length}`,
            fmt(r.compileMs, 0),
            `${loss(r.firstLoss)} → ${loss(r.lastLoss)}`,
            r.trains === undefined ? '?' : r.trains ? 'yes' : 'NO',
          ]
        : [r.impl, r.status.toUpperCase(), r.reason ?? '', '', '', '', ''],
    ),
  ]);
}

function matmulTable(result: BenchResult): string {
  const impls = IMPLS.filter((i) => result.matmul.some((m) => m.rows.some((r) => r.impl === i)));
  const cell = (r: MatmulRow | undefined) => (!r ? '—' : r.status === 'ok' ? fmt(r.gflops) : r.status === 'skipped' ? 'skipped' : 'FAILED');
  return table([
    ['m×k×n', 'role', ...impls.map((i) => `${i} GFLOPS`)],
    ...result.matmul.map(({ shape, rows }) => [matmulKey(shape), shape.role, ...impls.map((i) => cell(rows.find((r) => r.impl === i)))]),
  ]);
}

const ms = (rows: readonly TrainRow[] | undefined, impl: Impl) => rows?.find((r) => r.impl === impl && r.status === 'ok')?.msPerStep;

/** Tokens per second of the GPT rows (batch × context per step). */
const gptTokens = (rows: readonly TrainRow[] | undefined) =>
  Object.fromEntries(
    IMPLS.map((i) => {
      const t = ms(rows, i);
      return [`${i.replaceAll('-', '_')}_tokens_per_s`, t === undefined ? null : Math.round(GPT_TOKENS_PER_STEP / (t / 1000))];
    }),
  );

/** The machine-readable summary (the shape the tracker issue fixes; null where a row did not run). */
export function benchJson(result: BenchResult): object {
  const section = (rows: readonly TrainRow[] | undefined) => Object.fromEntries(IMPLS.map((i) => [key(i), round(ms(rows, i))]));
  return {
    adapter: result.adapter,
    mlp: section(result.train.mlp?.rows),
    cnn: section(result.train.cnn?.rows),
    gpt: { ...section(result.train.gpt?.rows), ...gptTokens(result.train.gpt?.rows) },
    matmul_gflops: Object.fromEntries(
      result.matmul.map(({ shape, rows }) => {
        const g = (impl: Impl) => round(rows.find((r) => r.impl === impl && r.status === 'ok')?.gflops);
        return [matmulKey(shape), { wiregrad: g('wiregrad-webgpu'), tfjs_webgpu: g('tfjs-webgpu') }];
      }),
    ),
  };
}

/** The whole report, ending with the `BENCH <json>` line. */
export function formatReport(result: BenchResult): string {
  const out: string[] = [];
  out.push(`platform: ${result.platform}`);
  out.push(`adapter: ${result.adapter ? JSON.stringify(result.adapter) : 'none (no WebGPU)'}`);
  for (const [impl, note] of Object.entries(result.notes)) out.push(`${impl}: ${note}`);
  const o = result.options;
  out.push(
    `steps: ${o.steps === 'auto' ? `auto (≈${o.budgetMs} ms per row)` : o.steps} × ${o.rounds} rounds after ${o.warmup} warm-up steps; N steps then one sync; median round`,
  );
  for (const [name, section] of Object.entries(result.train)) {
    out.push('', `${name.toUpperCase()} — ${section!.title}, Adam, softmax cross-entropy, same initial weights and batch`, trainTable(section!.rows));
    if (name === 'gpt')
      out.push(
        `  tokens/s: ${section!.rows
          .filter((r) => r.status === 'ok')
          .map((r) => `${r.impl} ${Math.round(GPT_TOKENS_PER_STEP / (r.msPerStep! / 1000))}`)
          .join(', ')}`,
      );
    const notes = section!.rows.filter((r) => r.note).map((r) => `  ${r.impl}: ${r.note}`);
    if (notes.length) out.push(...notes);
    const broken = section!.rows.filter((r) => r.status === 'ok' && r.trains === false).map((r) => r.impl);
    if (broken.length) out.push(`  WARNING: loss not finite or not falling for ${broken.join(', ')}`);
  }
  if (result.matmul.length) {
    out.push('', 'MATMUL — C = op(A)·op(B), operands on the device, 2·m·k·n flops per run', matmulTable(result));
    for (const { shape, rows } of result.matmul)
      for (const r of rows) if (r.status !== 'ok') out.push(`  ${matmulKey(shape)} ${r.impl}: ${r.status}: ${r.reason}`);
  }
  out.push('', 'RATIOS (ms/step; "faster" means Wiregrad takes less time)');
  for (const [name, section] of Object.entries(result.train)) {
    const rows = section!.rows;
    out.push(`  ${name}: wiregrad-webgpu vs tfjs-webgpu: ${versus(ms(rows, 'wiregrad-webgpu'), ms(rows, 'tfjs-webgpu'))}`);
    out.push(`  ${name}: wiregrad-webgpu vs tfjs-wasm:   ${versus(ms(rows, 'wiregrad-webgpu'), ms(rows, 'tfjs-wasm'))}`);
    out.push(`  ${name}: wiregrad-cpu    vs tfjs-wasm:   ${versus(ms(rows, 'wiregrad-cpu'), ms(rows, 'tfjs-wasm'))}`);
    out.push(`  ${name}: wiregrad-cpu    vs tfjs-cpu:    ${versus(ms(rows, 'wiregrad-cpu'), ms(rows, 'tfjs-cpu'))}`);
    out.push(`  ${name}: wiregrad-wasm   vs tfjs-wasm:   ${versus(ms(rows, 'wiregrad-wasm'), ms(rows, 'tfjs-wasm'))}`);
    out.push(`  ${name}: wiregrad-wasm   vs tfjs-cpu:    ${versus(ms(rows, 'wiregrad-wasm'), ms(rows, 'tfjs-cpu'))}`);
    out.push(`  ${name}: wiregrad-wasm-mt vs wiregrad-wasm: ${versus(ms(rows, 'wiregrad-wasm-mt'), ms(rows, 'wiregrad-wasm'))}`);
    out.push(`  ${name}: wiregrad-wasm-mt vs tfjs-wasm:   ${versus(ms(rows, 'wiregrad-wasm-mt'), ms(rows, 'tfjs-wasm'))}`);
    out.push(`  ${name}: wiregrad-wasm-mt vs tfjs-cpu:    ${versus(ms(rows, 'wiregrad-wasm-mt'), ms(rows, 'tfjs-cpu'))}`);
  }
  for (const { shape, rows } of result.matmul) {
    const g = (impl: Impl) => rows.find((r) => r.impl === impl && r.status === 'ok')?.gflops;
    const ours = g('wiregrad-webgpu');
    const theirs = g('tfjs-webgpu');
    out.push(`  matmul ${matmulKey(shape)}: wiregrad-webgpu / tfjs-webgpu GFLOPS = ${ours && theirs ? (ours / theirs).toFixed(2) : 'n/a'}`);
  }
  out.push(`(${result.seconds.toFixed(0)} s in all)`);
  out.push(`BENCH ${JSON.stringify(benchJson(result))}`);
  return out.join('\n');
}
