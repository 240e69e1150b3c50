/**
 * A chart's data as files (TensorBoard offers CSV and JSON for each chart): one row per point with
 * its series, step, x, raw value and the smoothed value drawn. Pure: the menu hands the text to the
 * browser.
 */
import type { ChartSeries } from './series';

export const CSV_COLUMNS = ['series', 'step', 'x', 'value', 'smoothed'] as const;

/** One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break; quotes doubled. */
export function csvCell(value: string | number): string {
  const text = typeof value === 'number' ? numberText(value) : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Numbers as JavaScript writes them (shortest round-trip form), NaN and ±Infinity spelled out. */
function numberText(v: number): string {
  return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

/** Every point of every series as CSV with a header row, lines ending in CRLF. */
export function chartCsv(series: readonly ChartSeries[]): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const s of series) for (const p of s.points) rows.push([s.label, p.step, p.x, p.raw, p.y].map(csvCell).join(','));
  return `${rows.join('\r\n')}\r\n`;
}

/** A JSON number, or the string "NaN"/"Infinity"/"-Infinity" (JSON has no such numbers; null would hide them). */
const jsonNumber = (v: number): number | string => (Number.isFinite(v) ? v : numberText(v));

/** The chart as JSON: its title and, per series, the points as {step, x, value, smoothed}. */
export function chartJson(title: string, series: readonly ChartSeries[]): string {
  return `${JSON.stringify(
    {
      title,
      series: series.map((s) => ({
        label: s.label,
        ...(s.dashed ? { validation: true } : {}),
        points: s.points.map((p) => ({ step: p.step, x: jsonNumber(p.x), value: jsonNumber(p.raw), smoothed: jsonNumber(p.y) })),
      })),
    },
    null,
    2,
  )}\n`;
}

/** A file name from a chart title: "Accuracy (acc)" → "accuracy-acc". */
export function chartFileName(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'chart'
  );
}
