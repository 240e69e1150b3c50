/**
 * A small SVG line chart for the Scalars tab: several runs on shared axes, smoothed lines over
 * faint raw ones, gaps and markers at non-finite values, linear or log y, and a hover readout
 * that finds each series' nearest point (runs need not share x values).
 */
import { memo, useLayoutEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { flatRange, formatTicks, formatValue, logTicks, niceTicks, svgPath } from '../charts/chartScale';
import { ChartDownloads } from '../charts/ChartDownloads';
import type { ChartPoint, ChartSeries } from '../charts/series';

export interface LineChartProps {
  readonly title: string;
  readonly series: readonly ChartSeries[];
  readonly logY: boolean;
  readonly formatX: (x: number) => string;
  /** Fixed y range (accuracy: [0, 1]); otherwise fitted to the data. */
  readonly yDomain?: readonly [number, number];
  readonly height?: number;
}

const PAD = { left: 48, right: 10, top: 8, bottom: 22 };

function useWidth() {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(360);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth || 360);
    const ro = new ResizeObserver(([entry]) => entry && setWidth(entry.contentRect.width));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width] as const;
}

/** Index of the point whose x is nearest `x` (points sorted by x). */
function nearest(points: readonly ChartPoint[], x: number): number {
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

/** SVG path through the points, broken wherever a value cannot be drawn. */
function pathOf(points: readonly ChartPoint[], value: (p: ChartPoint) => number, sx: (x: number) => number, sy: (y: number) => number, drawable: (y: number) => boolean): string {
  return svgPath(points, (p) => (drawable(value(p)) ? [sx(p.x), sy(value(p))] : undefined));
}

export const LineChart = memo(function LineChart({ title, series, logY, formatX, yDomain, height = 168 }: LineChartProps) {
  const [ref, width] = useWidth();
  const [hoverX, setHoverX] = useState<number | undefined>(undefined);
  const drawable = useMemo(() => (logY ? (y: number) => Number.isFinite(y) && y > 0 : (y: number) => Number.isFinite(y)), [logY]);

  const scales = useMemo(() => {
    let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (const s of series) {
      for (const p of s.points) {
        x0 = Math.min(x0, p.x);
        x1 = Math.max(x1, p.x);
        for (const v of [p.y, p.raw]) if (drawable(v)) [y0, y1] = [Math.min(y0, v), Math.max(y1, v)];
      }
    }
    if (!Number.isFinite(x0)) return undefined;
    if (x1 === x0) x1 = x0 + 1;
    if (yDomain && !logY) [y0, y1] = [Math.min(yDomain[0], y0), Math.max(yDomain[1], y1)];
    if (!Number.isFinite(y0)) [y0, y1] = logY ? [0.1, 1] : [0, 1];
    if (y1 === y0) [y0, y1] = flatRange(y0, logY);
    if (!logY && !yDomain) {
      const pad = (y1 - y0) * 0.05;
      [y0, y1] = [y0 - pad, y1 + pad];
    }
    const w = Math.max(10, width - PAD.left - PAD.right);
    const h = height - PAD.top - PAD.bottom;
    const [ly0, ly1] = logY ? [Math.log10(y0), Math.log10(y1)] : [y0, y1];
    const sx = (x: number) => PAD.left + ((x - x0) / (x1 - x0)) * w;
    const sy = (y: number) => PAD.top + h - (((logY ? Math.log10(y) : y) - ly0) / (ly1 - ly0)) * h;
    const xTicks = niceTicks(x0, x1, Math.max(2, Math.floor(w / 90)));
    const yTicks = logY ? logTicks(y0, y1, 4) : niceTicks(y0, y1, 4);
    return { x0, x1, sx, sy, w, h, xTicks, yTicks, yLabels: formatTicks(yTicks), invert: (px: number) => x0 + ((px - PAD.left) / w) * (x1 - x0) };
  }, [series, width, height, logY, drawable, yDomain]);

  const readout = useMemo(() => {
    if (hoverX === undefined || !scales) return undefined;
    return series.filter((s) => s.points.length).map((s) => ({ s, p: s.points[nearest(s.points, hoverX)]! }));
  }, [hoverX, series, scales]);

  const onMove = (e: MouseEvent<SVGSVGElement>) => {
    if (!scales) return;
    const rect = e.currentTarget.getBoundingClientRect();
    setHoverX(scales.invert(e.clientX - rect.left));
  };

  return (
    <div className="linechart" ref={ref}>
      {scales && <ChartDownloads title={title} series={series} chart={ref} />}
      {!scales ? (
        <p className="chart-empty muted">No data yet</p>
      ) : (
        <svg width={width} height={height} role="img" aria-label={`${title}: ${series.filter((s) => !s.dashed).length} training curve(s)`} onMouseMove={onMove} onMouseLeave={() => setHoverX(undefined)}>
          <g className="chart-grid">
            {scales.yTicks.map((t, i) => (
              <g key={`y${t}`}>
                <line x1={PAD.left} x2={PAD.left + scales.w} y1={scales.sy(t)} y2={scales.sy(t)} />
                <text x={PAD.left - 6} y={scales.sy(t)} dy="0.32em" textAnchor="end">{scales.yLabels[i]}</text>
              </g>
            ))}
            {scales.xTicks.map((t) => (
              <text key={`x${t}`} x={scales.sx(t)} y={height - 6} textAnchor="middle">{formatX(t)}</text>
            ))}
            <line className="chart-axis" x1={PAD.left} x2={PAD.left + scales.w} y1={PAD.top + scales.h} y2={PAD.top + scales.h} />
          </g>
          <g clipPath="none">
            {series.map((s) => (
              <g key={s.id} className="chart-series" data-series={s.label}>
                <path className="chart-raw" d={pathOf(s.points, (p) => p.raw, scales.sx, scales.sy, drawable)} stroke={s.colour} strokeDasharray={s.dashed ? '4 3' : undefined} />
                <path className="chart-line" d={pathOf(s.points, (p) => p.y, scales.sx, scales.sy, drawable)} stroke={s.colour} strokeDasharray={s.dashed ? '5 3' : undefined} />
                {s.dashed && s.points.filter((p) => drawable(p.y)).map((p) => <circle key={p.step} cx={scales.sx(p.x)} cy={scales.sy(p.y)} r={2.2} fill={s.colour} />)}
                {s.points.filter((p) => !Number.isFinite(p.raw)).map((p) => (
                  <text key={`n${p.step}`} className="chart-nonfinite" x={scales.sx(p.x)} y={PAD.top + 8} textAnchor="middle" fill="var(--danger)">
                    <title>{`${s.label}: ${p.raw} at step ${p.step}`}</title>▼
                  </text>
                ))}
              </g>
            ))}
          </g>
          {readout && hoverX !== undefined && (
            <g className="chart-hover">
              <line x1={scales.sx(hoverX)} x2={scales.sx(hoverX)} y1={PAD.top} y2={PAD.top + scales.h} />
              {readout.filter(({ p }) => drawable(p.y)).map(({ s, p }) => <circle key={s.id} cx={scales.sx(p.x)} cy={scales.sy(p.y)} r={3.5} fill={s.colour} stroke="var(--surface)" />)}
            </g>
          )}
        </svg>
      )}
      {readout && hoverX !== undefined && scales && (
        <div className={`chart-readout ${scales.sx(hoverX) > width / 2 ? 'left' : 'right'}`} role="status">
          <table>
            <thead>
              <tr><th /><th>Run</th><th>Smoothed</th><th>Value</th><th>Step</th></tr>
            </thead>
            <tbody>
              {readout.map(({ s, p }) => (
                <tr key={s.id}>
                  <td><span className="swatch" style={{ background: s.colour }} /></td>
                  <td>{s.label}</td>
                  <td className="num">{formatValue(p.y)}</td>
                  <td className="num">{formatValue(p.raw)}</td>
                  <td className="num">{p.step}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
});
