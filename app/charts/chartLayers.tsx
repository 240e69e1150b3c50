/**
 * What a chart draws itself inside recharts' frame, with the chart's own scales: the lines (smoothed,
 * faint raw, validation dots), markers at non-finite values, and the hover readout (each series'
 * nearest point, as runs need not share x values). They read the drawn series from a ChartSource, so
 * they redraw alone, without the recharts chart around them (the "live lines" of the training panel).
 */
import { useSyncExternalStore, type MouseEvent } from 'react';
import { usePlotArea, useXAxisInverseScale, useXAxisScale, useYAxisScale } from 'recharts';
import { formatValue } from './chartScale';
import { nearestIndex } from './chartData';
import { bandPath, drawable, linePath } from './curveFrame';
import type { ChartBand } from './chartData';
import type { ChartPoint, ChartSeries } from './series';

/** Validation points are drawn as dots while there are few of them. */
export const MAX_DOTS = 40;

/** Where the pointer is over the plot: x in data units, and in pixels across the chart's width. */
interface Hover {
  readonly x: number;
  readonly px: number;
  readonly width: number;
}

/** The drawn series and the hover position: a small external store the layers subscribe to. */
export class ChartSource {
  private series: readonly ChartSeries[] = [];
  private hover: Hover | undefined;
  private readonly listeners = new Set<() => void>();
  readonly getSeries = () => this.series;
  readonly getHover = () => this.hover;
  readonly subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };
  setSeries(series: readonly ChartSeries[]): void {
    this.series = series;
    this.emit();
  }
  setHover(hover: Hover | undefined): void {
    this.hover = hover;
    this.emit();
  }
  private emit(): void {
    for (const l of this.listeners) l();
  }
}

function useScales() {
  const sx = useXAxisScale();
  const sy = useYAxisScale();
  if (!sx || !sy) return undefined;
  return { x: (v: number) => sx(v) as number | undefined, y: (v: number) => sy(v) as number | undefined };
}

const dotsOf = (s: ChartSeries) => !!s.dashed && s.points.length <= MAX_DOTS;

/** The filled areas between pairs of series (a distribution's bands), under the lines. */
export function BandLayer({ source, bands, logY }: { source: ChartSource; bands: readonly ChartBand[]; logY: boolean }) {
  const series = useSyncExternalStore(source.subscribe, source.getSeries);
  const scales = useScales();
  if (!scales) return null;
  const byId = new Map(series.map((s) => [s.id, s]));
  return (
    <g className="chart-bands">
      {bands.map((b) => {
        const [lower, upper] = [byId.get(b.lower), byId.get(b.upper)];
        const d = lower && upper ? bandPath(lower.points, upper.points, logY, scales.x, scales.y) : '';
        return d ? <path key={`${b.lower}:${b.upper}`} className="chart-band" d={d} fill={upper!.colour} fillOpacity={b.opacity} /> : null;
      })}
    </g>
  );
}

/** The lines and a ▼ at each non-finite value; `live` only names the group (a run is training). */
export function SeriesLayer({ source, live, logY, raw }: { source: ChartSource; live: boolean; logY: boolean; raw: boolean }) {
  const series = useSyncExternalStore(source.subscribe, source.getSeries);
  const scales = useScales();
  const area = usePlotArea();
  if (!scales || !area) return null;
  const { x, y } = scales;
  return (
    <g className={live ? 'live-lines' : 'chart-lines'}>
      {series.map((s) =>
        s.edge ? null : (
          <g key={s.id} className="chart-series" data-series={s.label}>
            <path className="chart-line" d={linePath(s.points, 'y', logY, x, y)} stroke={s.colour} strokeDasharray={s.dashed ? '5 3' : undefined} />
            {raw && <path className="chart-raw" d={linePath(s.points, 'raw', logY, x, y)} stroke={s.colour} />}
            {dotsOf(s) && s.points.map((p) => <Dot key={p.step} p={p} logY={logY} x={x} y={y} r={2} fill={s.colour} />)}
          </g>
        ),
      )}
      {series.flatMap((s) =>
        s.points
          .filter((p) => !Number.isFinite(p.raw))
          .map((p) => {
            const px = x(p.x);
            return px === undefined || !Number.isFinite(px) ? null : (
              <text key={`${s.id}:${p.step}`} className="chart-nonfinite" x={px} y={area.y + 8} textAnchor="middle" fill="var(--danger)">
                <title>{`${s.label}: ${p.raw} at step ${p.step}`}</title>▼
              </text>
            );
          }),
      )}
    </g>
  );
}

function Dot({
  p,
  logY,
  x,
  y,
  r,
  fill,
  stroke,
}: {
  p: ChartPoint;
  logY: boolean;
  x: (v: number) => number | undefined;
  y: (v: number) => number | undefined;
  r: number;
  fill: string;
  stroke?: string;
}) {
  if (!drawable(p.y, logY)) return null;
  const [cx, cy] = [x(p.x), y(p.y)];
  return cx === undefined || cy === undefined || !Number.isFinite(cx) || !Number.isFinite(cy) ? null : (
    <circle cx={cx} cy={cy} r={r} fill={fill} stroke={stroke} />
  );
}

/** The nearest point of each series to the pointer, for the readout and its dots. */
function nearestPoints(series: readonly ChartSeries[], x: number): { s: ChartSeries; p: ChartPoint }[] {
  return series.flatMap((s) => {
    const i = nearestIndex(s.points, x);
    return i < 0 ? [] : [{ s, p: s.points[i]! }];
  });
}

/** A transparent surface over the plot that follows the pointer, and the hover line and dots. */
export function HoverLayer({ source, logY }: { source: ChartSource; logY: boolean }) {
  const hover = useSyncExternalStore(source.subscribe, source.getHover);
  const series = useSyncExternalStore(source.subscribe, source.getSeries);
  const scales = useScales();
  const area = usePlotArea();
  const invert = useXAxisInverseScale();
  if (!scales || !area || !invert) return null;
  const onMove = (e: MouseEvent<SVGRectElement>) => {
    const svg = e.currentTarget.ownerSVGElement;
    if (!svg) return;
    const box = svg.getBoundingClientRect();
    const px = e.clientX - box.left;
    source.setHover({ x: Number(invert(px)), px, width: box.width });
  };
  const px = hover && scales.x(hover.x);
  return (
    <g className="chart-hover">
      {hover && px !== undefined && Number.isFinite(px) && (
        <>
          <line x1={px} x2={px} y1={area.y} y2={area.y + area.height} />
          {nearestPoints(series, hover.x).map(({ s, p }) => (
            <Dot key={s.id} p={p} logY={logY} x={scales.x} y={scales.y} r={3.5} fill={s.colour} stroke="var(--surface)" />
          ))}
        </>
      )}
      <rect
        x={area.x}
        y={area.y}
        width={area.width}
        height={area.height}
        fill="transparent"
        onMouseMove={onMove}
        onMouseLeave={() => source.setHover(undefined)}
      />
    </g>
  );
}

/** The table beside the pointer: each series' nearest point (smoothed, when the chart smooths, and raw) with its step. */
export function Readout({ source, smoothed }: { source: ChartSource; smoothed: boolean }) {
  const hover = useSyncExternalStore(source.subscribe, source.getHover);
  const series = useSyncExternalStore(source.subscribe, source.getSeries);
  if (!hover) return null;
  const rows = nearestPoints(series, hover.x);
  if (!rows.length) return null;
  return (
    <div className={`chart-readout ${hover.px > hover.width / 2 ? 'left' : 'right'}`} role="status">
      <table>
        <thead>
          <tr>
            <th />
            <th>Series</th>
            {smoothed && <th>Smoothed</th>}
            <th>Value</th>
            <th>Step</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ s, p }) => (
            <tr key={s.id}>
              <td>
                <span className="swatch" style={{ background: s.colour }} />
              </td>
              <td>{s.label}</td>
              {smoothed && <td className="num">{formatValue(p.y)}</td>}
              <td className="num">{formatValue(p.raw)}</td>
              <td className="num">{p.step}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
