#!/usr/bin/env node
// The GPU run's verdict (bench/gpu-run.sh): reads the `TORCH`, `TORCH_SCALE` and `BENCH` lines that
// bench/torch_mlp.py and bench:node (main suite, then --suite scale) printed into one folder, and
// prints Wiregrad-WebGPU against PyTorch on the same card, as ratios, beside the targets of
// issue 16: matmul 4096³ ≥ 50% of PyTorch's fp32 GFLOPS (TF32 off); the MLP and LeNet steps faster
// than PyTorch's. A missing file or row is named, not guessed. Ends with `GPU_REPORT <json>`.
//
//   node bench/gpu-report.mjs <folder with torch.txt, node.txt, node-scale.txt>
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

/** The JSON after the last line starting `tag ` in `file`, or a reason it is not there. */
export function lastJson(file, tag) {
  if (!existsSync(file)) return { missing: `${file} does not exist` };
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .reverse()
    .find((l) => l.startsWith(`${tag} `));
  if (line === undefined) return { missing: `${file} has no ${tag} line (the run failed or timed out: see the file)` };
  try {
    return { json: JSON.parse(line.slice(tag.length + 1)) };
  } catch (e) {
    return { missing: `${file}: its ${tag} line is not JSON (${e.message})` };
  }
}

const fmt = (v, digits = 3) => (typeof v === 'number' && Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : '—');

/**
 * Rows of [what, wiregrad, torch, ratio, target met?] from the three outputs (any may be missing).
 * Time rows: ratio = torch ms / wiregrad ms (> 1: Wiregrad faster). GFLOPS rows: wiregrad / torch.
 */
export function gpuRows(torch, node, scale, torchScale) {
  const rows = [];
  const time = (what, w, t, target) => {
    const ratio = typeof w === 'number' && typeof t === 'number' && w > 0 ? t / w : undefined;
    rows.push({
      what,
      wiregrad: w ?? null,
      torch: t ?? null,
      unit: 'ms',
      ratio: ratio ?? null,
      target: target ?? null,
      met: target && ratio !== undefined ? ratio >= target.min : null,
    });
  };
  time('MLP 784-256-10 step', node?.mlp?.wiregrad_webgpu_ms, torch?.mlp_ms, { min: 1, text: 'faster than PyTorch (≥ 1×)' });
  time('LeNet-5 step', node?.cnn?.wiregrad_webgpu_ms, torch?.cnn_ms, { min: 1, text: 'faster than PyTorch (≥ 1×)' });
  time('char-GPT step', node?.gpt?.wiregrad_webgpu_ms, torch?.gpt_ms);
  for (const key of Object.keys(torch?.matmul_gflops ?? {})) {
    const w = node?.matmul_gflops?.[key]?.wiregrad;
    const t = torch.matmul_gflops[key];
    const ratio = typeof w === 'number' && typeof t === 'number' && t > 0 ? w / t : undefined;
    const target = key === '4096x4096x4096' ? { min: 0.5, text: '≥ 50% of PyTorch fp32' } : null;
    rows.push({
      what: `matmul ${key}`,
      wiregrad: w ?? null,
      torch: t,
      unit: 'GFLOPS',
      ratio: ratio ?? null,
      target,
      met: target && ratio !== undefined ? ratio >= target.min : null,
    });
  }
  for (const [k, t] of Object.entries(torchScale ?? {})) {
    const m = /^scale_(.+)_ms_torch$/.exec(k);
    if (m) time(`scale ${m[1]}`, scale?.[`scale_${m[1]}_ms_wiregrad_webgpu`], t);
  }
  return rows;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node bench/gpu-report.mjs <folder with torch.txt, node.txt, node-scale.txt>');
    process.exit(2);
  }
  const torch = lastJson(join(dir, 'torch.txt'), 'TORCH');
  const torchScale = lastJson(join(dir, 'torch.txt'), 'TORCH_SCALE');
  const node = lastJson(join(dir, 'node.txt'), 'BENCH');
  const scale = lastJson(join(dir, 'node-scale.txt'), 'BENCH');
  for (const r of [torch, torchScale, node, scale]) if (r.missing) console.log(`note: ${r.missing}`);
  const adapter = node.json?.adapter ?? scale.json?.adapter;
  console.log(`PyTorch: ${torch.json ? `${torch.json.torch} on ${torch.json.device}, TF32 ${torch.json.tf32 ? 'on' : 'off'}` : 'no result'}`);
  console.log(`Wiregrad: ${adapter ? Object.values(adapter).filter(Boolean).join(' · ') : 'no WebGPU adapter reported'}`);
  // The comparison is of one card: say so when the two sides did not run on a GPU (a dry run here: SwiftShader against PyTorch's CPU).
  const software = adapter?.architecture === 'swiftshader' || /swiftshader|llvmpipe/i.test(JSON.stringify(adapter ?? {}));
  if (software || torch.json?.device === 'cpu')
    console.log('warning: not both on a GPU (Wiregrad on a software adapter or PyTorch on the CPU): these ratios are not the same-card comparison');
  const rows = gpuRows(torch.json, node.json, scale.json, torchScale.json);
  const table = [
    ['', 'Wiregrad', 'PyTorch', '', 'ratio', 'target'],
    ...rows.map((r) => [
      r.what,
      fmt(r.wiregrad),
      fmt(r.torch),
      r.unit,
      r.ratio === null ? '—' : `${fmt(r.ratio)}×`,
      r.target ? `${r.target.text}: ${r.met === null ? 'not measured' : r.met ? 'MET' : 'NOT MET'}` : '',
    ]),
  ];
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  for (const row of table)
    console.log(
      row
        .map((cell, c) => (c === 0 || c === 5 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
        .join('  ')
        .trimEnd(),
    );
  console.log('(time rows: PyTorch ms ÷ Wiregrad ms, above 1× Wiregrad is faster; GFLOPS rows: Wiregrad ÷ PyTorch)');
  console.log(`GPU_REPORT ${JSON.stringify({ adapter: adapter ?? null, torch_device: torch.json?.device ?? null, rows })}`);
}
