/**
 * bench:scale's plot: one log–log panel per family (x: width, batch or depth; y: ms per step), one
 * line per implementation, as a standalone SVG document (scripts/bench-scale.mjs writes it to a file).
 */
import type { ScaleImpl } from './options';
import { msOf } from './report';
import type { ScaleResult } from './run';
import type { Family } from './workloads';

const COLORS: Record<ScaleImpl, string> = {
  'wiregrad-webgpu': '#1f6feb',
  'wiregrad-cpu': '#8250df',
  'tfjs-webgpu': '#d1242f',
  'tfjs-wasm': '#bf8700',
};
const PANELS: readonly { family: Family; title: string }[] = [
  { family: 'width', title: 'MLP hidden width (batch 128)' },
  { family: 'batch', title: 'MLP batch size (width 256)' },
  { family: 'depth', title: 'CNN conv layers (batch 32)' },
];
const W = 320;
const H = 240;
const M = { left: 62, right: 14, top: 28, bottom: 40 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmtMs = (v: number) => (v >= 1 ? String(Number(v.toPrecision(2))) : v.toPrecision(1));

/** The plot of `result` as an SVG document (empty panels say so). */
export function scaleChartSvg(result: ScaleResult): string {
  const impls = result.options.impls;
  const parts: string[] = [];
  PANELS.forEach(({ family, title }, p) => {
    const cells = result.cells.filter((c) => c.family === family);
    const ox = p * W;
    parts.push(`<g transform="translate(${ox},0)"><text x="${W / 2}" y="18" text-anchor="middle" font-weight="bold">${esc(title)}</text>`);
    const points = impls.flatMap((impl) => cells.map((c) => msOf(c, impl)).filter((v): v is number => v !== undefined && v > 0));
    if (!cells.length || !points.length) {
      parts.push(`<text x="${W / 2}" y="${H / 2}" text-anchor="middle">no measurements</text></g>`);
      return;
    }
    const xs = cells.map((c) => Math.log2(c.value));
    const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
    const [y0, y1] = [Math.floor(Math.log10(Math.min(...points))), Math.ceil(Math.log10(Math.max(...points)))];
    const sx = (v: number) => M.left + ((Math.log2(v) - x0) / Math.max(x1 - x0, 1e-9)) * (W - M.left - M.right);
    const sy = (ms: number) => H - M.bottom - ((Math.log10(ms) - y0) / Math.max(y1 - y0, 1)) * (H - M.top - M.bottom);
    parts.push(`<rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="none" stroke="#999"/>`);
    for (let e = y0; e <= y1; e++) {
      const y = sy(10 ** e).toFixed(1);
      parts.push(
        `<line x1="${M.left}" x2="${W - M.right}" y1="${y}" y2="${y}" stroke="#ddd"/><text x="${M.left - 4}" y="${y}" text-anchor="end" dominant-baseline="middle">${fmtMs(10 ** e)}</text>`,
      );
    }
    for (const c of cells) parts.push(`<text x="${sx(c.value).toFixed(1)}" y="${H - M.bottom + 14}" text-anchor="middle">${c.value}</text>`);
    parts.push(`<text x="${W / 2}" y="${H - 6}" text-anchor="middle">${family}</text>`);
    parts.push(`<text transform="translate(11,${H / 2}) rotate(-90)" text-anchor="middle">ms / step</text>`);
    for (const impl of impls) {
      const pts = cells.map((c) => [c.value, msOf(c, impl)] as const).filter((pt): pt is readonly [number, number] => pt[1] !== undefined && pt[1] > 0);
      if (!pts.length) continue;
      const xy = pts.map(([v, ms]) => `${sx(v).toFixed(1)},${sy(ms).toFixed(1)}`);
      parts.push(`<polyline data-impl="${impl}" points="${xy.join(' ')}" fill="none" stroke="${COLORS[impl]}" stroke-width="2"/>`);
      for (const pt of xy) parts.push(`<circle cx="${pt.split(',')[0]}" cy="${pt.split(',')[1]}" r="3" fill="${COLORS[impl]}"/>`);
    }
    parts.push('</g>');
  });
  const legendY = H + 16;
  impls.forEach((impl, i) => {
    const x = 20 + i * 190;
    parts.push(
      `<line x1="${x}" x2="${x + 24}" y1="${legendY}" y2="${legendY}" stroke="${COLORS[impl]}" stroke-width="3"/><text x="${x + 30}" y="${legendY}" dominant-baseline="middle">${impl}</text>`,
    );
  });
  const width = W * PANELS.length;
  const height = H + 32;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11" role="img">`,
    `<title>${esc(`Training step cost vs size — Wiregrad vs TensorFlow.js (${result.options.gridName} grid); missing points: skipped, failed or loss mismatch`)}</title>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...parts,
    '</svg>',
  ].join('\n');
}
