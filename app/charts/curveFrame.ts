/**
 * The axes of a chart, rounded so that they change rarely: the x range ends at the next 1-2-5 value
 * (or the run's planned length), a log y range spans whole decades, a linear one whole ticks. While a
 * live curve stays inside its frame, only its lines are redrawn, not the chart around them.
 */
import { svgPath } from './chartScale';
import type { ChartPoint, ChartSeries } from './series';

export interface CurveFrame {
  readonly x: readonly [number, number];
  readonly y: readonly [number, number];
}

export interface FrameOptions {
  readonly logY: boolean;
  /** A y range the frame always covers (accuracy: [0, 1]); ignored on a log axis. */
  readonly yDomain?: readonly [number, number];
  /** The run's length in steps, when x is the step: the frame is then the whole run once the curve fills a tenth of it. */
  readonly totalSteps?: number;
  /** Round the x range up (a live curve: the frame then moves rarely); otherwise it ends at the last point. */
  readonly roundX: boolean;
}

/** The smallest 1, 2 or 5 × 10^k at or above `v` (v > 0). */
export function niceCeil(v: number): number {
  const mag = 10 ** Math.floor(Math.log10(v));
  const r = v / mag;
  const m = r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10;
  return Number((m * mag).toPrecision(12));
}

/** Whether `v` can be placed on the y axis. */
export const drawable = (v: number, logY: boolean): boolean => Number.isFinite(v) && (!logY || v > 0);

/** The frame around every drawable value (smoothed and raw) of `series`, or undefined when there is none. */
export function curveFrame(series: readonly ChartSeries[], { logY, yDomain, totalSteps, roundX }: FrameOptions): CurveFrame | undefined {
  // Plain loops and scalars: this runs over every point of every live chart on each update, and an
  // array per point was a good part of what the dashboard allocated while training.
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const s of series) {
    const points = s.points;
    for (let i = 0; i < points.length; i++) {
      const p = points[i]!;
      for (let k = 0; k < 2; k++) {
        const v = k === 0 ? p.y : p.raw;
        if (!drawable(v, logY)) continue;
        if (p.x < x0) x0 = p.x;
        if (p.x > x1) x1 = p.x;
        if (v < y0) y0 = v;
        if (v > y1) y1 = v;
      }
    }
  }
  if (!Number.isFinite(x0)) return undefined;
  const x: [number, number] = [x0, xEnd(x0, x1, roundX, totalSteps)];
  if (yDomain && !logY) return { x, y: [Math.min(yDomain[0], y0), Math.max(yDomain[1], y1)] };
  if (logY) {
    const lo = 10 ** Math.floor(Math.log10(y0));
    const hi = 10 ** Math.ceil(Math.log10(y1));
    return { x, y: [Number(lo.toPrecision(12)), Number((hi > lo ? hi : lo * 10).toPrecision(12))] };
  }
  if (y1 === y0) [y0, y1] = [y0 - (Math.abs(y0) / 2 || 1), y1 + (Math.abs(y1) / 2 || 1)];
  const step = niceCeil((y1 - y0) / 4);
  return { x, y: [Number((Math.floor(y0 / step) * step).toPrecision(12)), Number((Math.ceil(y1 / step) * step).toPrecision(12))] };
}

/** The x range's end: a run's planned length, a 1-2-5 value (from the origin, or the span for a far-off start such as wall time), or the last x. */
function xEnd(x0: number, x1: number, roundX: boolean, totalSteps: number | undefined): number {
  if (x1 <= x0) return x0 + 1;
  if (!roundX) return x1;
  if (totalSteps && totalSteps > x0 && x1 * 10 >= totalSteps) return Math.max(totalSteps, x1);
  return x0 >= 0 && x0 <= x1 / 2 ? niceCeil(x1) : x0 + niceCeil(x1 - x0);
}

/** SVG path data through the points' smoothed (`y`) or raw values that can be drawn, broken at gaps. */
export function linePath(
  points: readonly ChartPoint[],
  key: 'y' | 'raw',
  logY: boolean,
  sx: (x: number) => number | undefined,
  sy: (y: number) => number | undefined,
): string {
  return svgPath(points, (p) => {
    const v = p[key];
    if (!drawable(v, logY)) return undefined;
    const [px, py] = [sx(p.x), sy(v)];
    return px === undefined || py === undefined ? undefined : [px, py];
  });
}

/**
 * SVG path data of the area between two series over the same x values (a distribution's band): along
 * `upper`, then back along `lower`. Points whose x differ or that cannot be drawn are left out; a band
 * of one point is a bar `minWidth` pixels wide, so a first sample is seen.
 */
export function bandPath(
  lower: readonly ChartPoint[],
  upper: readonly ChartPoint[],
  logY: boolean,
  sx: (x: number) => number | undefined,
  sy: (y: number) => number | undefined,
  minWidth = 3,
): string {
  const edges: [number, number, number][] = [];
  for (let i = 0; i < Math.min(lower.length, upper.length); i++) {
    const [l, u] = [lower[i]!, upper[i]!];
    if (l.x !== u.x || !drawable(l.y, logY) || !drawable(u.y, logY)) continue;
    const [px, lo, hi] = [sx(u.x), sy(l.y), sy(u.y)];
    if (px === undefined || lo === undefined || hi === undefined || ![px, lo, hi].every(Number.isFinite)) continue;
    edges.push([px, lo, hi]);
  }
  const f = (v: number) => v.toFixed(1);
  if (edges.length === 1) {
    const [px, lo, hi] = edges[0]!;
    return `M${f(px - minWidth / 2)},${f(hi)}H${f(px + minWidth / 2)}V${f(lo)}H${f(px - minWidth / 2)}Z`;
  }
  if (!edges.length) return '';
  const top = edges.map(([px, , hi]) => `${f(px)},${f(hi)}`);
  const bottom = edges.map(([px, lo]) => `${f(px)},${f(lo)}`).reverse();
  return `M${[...top, ...bottom].join('L')}Z`;
}
