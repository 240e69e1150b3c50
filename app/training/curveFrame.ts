/**
 * The axes of a live training curve, rounded so that they change rarely: the x range ends at the
 * next 1-2-5 step count, a log y range spans whole decades, a linear one whole ticks. While the
 * curve stays inside its frame, only the lines are redrawn, not the chart around them.
 */
import { svgPath } from '../charts/chartScale';

export interface CurveRow {
  readonly step: number;
  readonly train?: number;
  readonly validation?: number;
}

export interface CurveFrame {
  readonly x: readonly [number, number];
  readonly y: readonly [number, number];
}

/** The smallest 1, 2 or 5 × 10^k at or above `v` (v > 0). */
export function niceCeil(v: number): number {
  const mag = 10 ** Math.floor(Math.log10(v));
  const r = v / mag;
  const m = r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10;
  return Number((m * mag).toPrecision(12));
}

/**
 * The frame around `rows`, or undefined when nothing finite is there to draw. With the run's
 * `totalSteps`, the x range is the whole run once the curve would fill a tenth of it: the axis then
 * stays put until the run ends.
 */
export function curveFrame(rows: readonly CurveRow[], { logScale, unitRange, totalSteps }: { logScale: boolean; unitRange: boolean; totalSteps?: number }): CurveFrame | undefined {
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const r of rows) {
    for (const v of [r.train, r.validation]) {
      if (v === undefined || !Number.isFinite(v) || (logScale && v <= 0)) continue;
      [x0, x1] = [Math.min(x0, r.step), Math.max(x1, r.step)];
      [y0, y1] = [Math.min(y0, v), Math.max(y1, v)];
    }
  }
  if (!Number.isFinite(x0)) return undefined;
  const end = totalSteps && totalSteps > x0 && x1 * 10 >= totalSteps ? Math.max(totalSteps, x1) : niceCeil(Math.max(1, x1));
  const x: [number, number] = [x0, Math.max(x0 + 1, end)];
  if (unitRange) return { x, y: [Math.min(0, y0), Math.max(1, y1)] };
  if (logScale) {
    const lo = 10 ** Math.floor(Math.log10(y0));
    const hi = 10 ** Math.ceil(Math.log10(y1));
    return { x, y: [Number(lo.toPrecision(12)), Number((hi > lo ? hi : lo * 10).toPrecision(12))] };
  }
  if (y1 === y0) [y0, y1] = [y0 - (Math.abs(y0) / 2 || 1), y1 + (Math.abs(y1) / 2 || 1)];
  const step = niceCeil((y1 - y0) / 4);
  return { x, y: [Number((Math.floor(y0 / step) * step).toPrecision(12)), Number((Math.ceil(y1 / step) * step).toPrecision(12))] };
}

/** SVG path data through the rows' `key` values that can be drawn, broken at gaps. */
export function linePath(rows: readonly CurveRow[], key: 'train' | 'validation', sx: (x: number) => number | undefined, sy: (y: number) => number | undefined): string {
  return svgPath(rows, (r) => {
    const v = r[key];
    if (v === undefined || !Number.isFinite(v)) return undefined;
    const [px, py] = [sx(r.step), sy(v)];
    return px === undefined || py === undefined ? undefined : [px, py];
  });
}
