/**
 * From curves to what a chart draws and downloads: TensorBoard's smoothing over every point, then the
 * one thinning rule (thin.ts) down to what a chart can show, non-finite points kept so a spike stays
 * visible. Pure, so the chart component only draws.
 */
import type { ChartPoint, ChartSeries } from './series';
import { smooth } from './smoothing';
import { thinBySteps } from './thin';

/** One raw point of a curve: x on the chosen axis, its step, its value (NaN and ±∞ kept). */
export interface CurvePoint {
  readonly x: number;
  readonly step: number;
  readonly value: number;
}

/** A curve as given to a chart: the whole history, not yet smoothed or thinned. */
export interface Curve {
  readonly id: string;
  /** Run name and split, for the readout: "Run 2 · validation". */
  readonly label: string;
  readonly colour: string;
  /** Validation curves are dashed. */
  readonly dashed?: boolean;
  /** Drawn only as the edge of a band (Chart's `bands`), not as a line; still in the readout and the downloads. */
  readonly edge?: boolean;
  readonly points: readonly CurvePoint[];
}

/** An area filled between two curves (by id) in the upper one's colour: TensorBoard's distribution bands. */
export interface ChartBand {
  readonly lower: string;
  readonly upper: string;
  readonly opacity: number;
}

/** A vertical line on a chart at `x` (a hot edit, a roll back, a fork), with what happened there. */
export interface ChartMarker {
  readonly x: number;
  readonly label: string;
}

/** Points drawn per curve when the chart is not told otherwise: enough for a 300-pixel-wide chart. */
export const MAX_DRAWN = 300;

/** Every point of each curve with its smoothed value (weight 0: none): what the downloads write. */
export function smoothedSeries(curves: readonly Curve[], weight: number): ChartSeries[] {
  return curves.map((c) => {
    const ys =
      weight > 0
        ? smooth(
            c.points.map((p) => p.value),
            weight,
          )
        : undefined;
    return { ...meta(c), points: c.points.map((p, i): ChartPoint => ({ x: p.x, step: p.step, raw: p.value, y: ys ? ys[i]! : p.value })) };
  });
}

/** The curves smoothed over all their points, then thinned to at most `max` points each (plus non-finite ones). */
export function drawnSeries(curves: readonly Curve[], weight: number, max = MAX_DRAWN): ChartSeries[] {
  // Unsmoothed, only the kept points are built (a redraw of a long live curve then stays cheap).
  if (!(weight > 0))
    return curves.map((c) => ({
      ...meta(c),
      points: thinBySteps(c.points, max, { keep: (p) => !Number.isFinite(p.value) }).items.map((p) => ({ x: p.x, step: p.step, raw: p.value, y: p.value })),
    }));
  return smoothedSeries(curves, weight).map((s) => ({ ...s, points: thinBySteps(s.points, max, { keep: (p) => !Number.isFinite(p.raw) }).items }));
}

/** Whether any drawn point's smoothed value differs from its raw one (the faint raw line is then worth drawing). */
export function isSmoothed(series: readonly ChartSeries[]): boolean {
  return series.some((s) => s.points.some((p) => Number.isFinite(p.raw) && p.y !== p.raw));
}

const meta = (c: Curve) => ({ id: c.id, label: c.label, colour: c.colour, ...(c.dashed ? { dashed: true } : {}), ...(c.edge ? { edge: true } : {}) });

/** Index of the point whose x is nearest `x` (points sorted by x), or -1 when there are none. */
export function nearestIndex(points: readonly ChartPoint[], x: number): number {
  if (!points.length) return -1;
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.x < x) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(points[lo - 1]!.x - x) <= Math.abs(points[lo]!.x - x)) return lo - 1;
  return lo;
}
