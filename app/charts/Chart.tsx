/**
 * The one line chart of the page (recharts), for the training panel's curves and the dashboard's
 * scalars: several series (runs, training and validation) on shared axes, TensorBoard's smoothing
 * over a faint raw line, linear or log y, markers where a run changed, a hover readout and the ⤓
 * downloads. Recharts lays the chart out and draws its frame (axes, grid, markers); the lines are drawn
 * by a small layer with the chart's own scales (chartLayers.tsx), so a redraw with new points re-renders
 * that layer alone, not recharts (measured with `npm run bench:charts`). While a run trains (`live`),
 * the frame is rounded (curveFrame.ts) so that it changes rarely.
 */
import { memo, useEffect, useMemo, useRef, type ReactNode } from 'react';
import { CartesianGrid, LineChart, ReferenceLine, XAxis, YAxis } from 'recharts';
import { ChartDownloads } from './ChartDownloads';
import { drawnSeries, isSmoothed, MAX_DRAWN, smoothedSeries, type ChartBand, type ChartMarker, type Curve } from './chartData';
import { BandLayer, ChartSource, HoverLayer, Readout, SeriesLayer } from './chartLayers';
import { formatTicks, logTicks, niceTicks } from './chartScale';
import { curveFrame, type CurveFrame } from './curveFrame';
import type { ChartSeries } from './series';
import './chart.css';

export interface ChartProps {
  /** Names the figure ("Loss chart"), its picture and its download files. */
  readonly title: string;
  /** Whole histories: the chart smooths, thins and draws them; the downloads write every point. */
  readonly curves: readonly Curve[];
  /** TensorBoard's smoothing weight in [0, 1); 0 draws the raw values alone. */
  readonly smoothing?: number;
  readonly logY: boolean;
  /** A y range always shown on a linear axis (accuracy: [0, 1]). */
  readonly yDomain?: readonly [number, number];
  readonly formatX?: (x: number) => string;
  readonly markers?: readonly ChartMarker[];
  /** Areas filled between pairs of curves, under the lines (a distribution's bands; their edge curves are marked `edge`). */
  readonly bands?: readonly ChartBand[];
  /** Shown in the caption instead of the title, where the panel around the chart already names it. */
  readonly heading?: ReactNode;
  /** What the plot shows, for a screen reader (default: how many training curves). */
  readonly summary?: string;
  /** A run is training: the frame is rounded so that it changes rarely (see the file's comment). */
  readonly live?: boolean;
  /** The run's length in steps when x is the step: the x axis then settles on it early. */
  readonly totalSteps?: number;
  /** Round the frame even when not live (the training panel's chart keeps one frame from training to paused). */
  readonly roundX?: boolean;
  /** Points drawn per curve. */
  readonly maxPoints?: number;
  /** The figure's class: the panel around it decides its card and size. */
  readonly className?: string;
  /** Shown at the caption's end, before the downloads (the latest value). */
  readonly caption?: ReactNode;
  /** Shown under the chart. */
  readonly legend?: ReactNode;
  /** What the data downloads write, when not every point of `curves` smoothed (a live chart gives its unthrottled history). */
  readonly download?: () => readonly ChartSeries[];
}

const NO_MARKERS: readonly ChartMarker[] = [];
const NO_BANDS: readonly ChartBand[] = [];

export const Chart = memo(function Chart({
  title,
  curves,
  smoothing = 0,
  logY,
  yDomain,
  formatX,
  markers = NO_MARKERS,
  bands = NO_BANDS,
  heading,
  summary,
  live = false,
  totalSteps,
  roundX = false,
  maxPoints = MAX_DRAWN,
  className = 'chart',
  caption,
  legend,
  download,
}: ChartProps) {
  const series = useMemo(() => drawnSeries(curves, smoothing, maxPoints), [curves, smoothing, maxPoints]);
  const computed = curveFrame(series, { logY, ...(yDomain ? { yDomain } : {}), ...(totalSteps ? { totalSteps } : {}), roundX: roundX || live || !!totalSteps });
  // The same numbers keep the same object, so the chart around the lines is not redrawn.
  const frameKey = computed ? `${computed.x.join()}|${computed.y.join()}` : '';
  const frame = useMemo(() => computed, [frameKey]);
  const raw = useMemo(() => isSmoothed(series), [series]);
  const source = useMemo(() => new ChartSource(), []);
  useEffect(() => source.setSeries(series), [source, series]);
  const figure = useRef<HTMLElement>(null);
  // Downloads carry every point, not the thinned ones drawn; built only when asked for.
  const downloads = download ?? (() => smoothedSeries(curves, smoothing));
  const training = series.filter((s) => !s.dashed && !s.edge).length;
  return (
    <figure className={className} aria-label={`${title} chart`} ref={figure}>
      <figcaption className="chart-caption">
        <span>{heading ?? title}</span>
        <span className="chart-caption-end">
          {caption}
          {frame && <ChartDownloads title={title} series={downloads} chart={figure} />}
        </span>
      </figcaption>
      <div className="chart-plot">
        {frame ? (
          <div className="chart-body" role="img" aria-label={`${title}: ${summary ?? `${training} training curve${training === 1 ? '' : 's'}`}`}>
            <Plot frame={frame} source={source} live={live} logY={logY} raw={raw} markers={markers} bands={bands} formatX={formatX} />
          </div>
        ) : (
          <p className="chart-empty muted">No data yet</p>
        )}
        <Readout source={source} smoothed={raw} />
      </div>
      {legend}
    </figure>
  );
});

// Recharts re-renders and re-syncs its store whenever a prop's identity changes: constant props are hoisted.
const MARGIN = { top: 6, right: 10, bottom: 0, left: 0 };
const TICK = { fontSize: 11 };
const CHART_SIZE = { width: '100%', height: '100%' };
const MARKER_LABEL = { value: '◆', position: 'insideTopLeft' as const, fontSize: 9, fill: 'var(--text-muted)' };

interface PlotProps {
  readonly frame: CurveFrame;
  /** The drawn series, read by the layers drawn with the chart's scales. */
  readonly source: ChartSource;
  readonly live: boolean;
  readonly logY: boolean;
  /** Draw the faint raw line under a smoothed one. */
  readonly raw: boolean;
  readonly markers: readonly ChartMarker[];
  readonly bands: readonly ChartBand[];
  readonly formatX: ((x: number) => string) | undefined;
}

/** The recharts chart: redrawn when its frame, scale or markers change, not on every new point. */
const Plot = memo(function Plot({ frame, source, live, logY, raw, markers, bands, formatX }: PlotProps) {
  const xTicks = useMemo(() => niceTicks(frame.x[0], frame.x[1], 4), [frame]);
  const yTicks = useMemo(() => (logY ? logTicks(frame.y[0], frame.y[1], 4) : niceTicks(frame.y[0], frame.y[1], 4)), [frame, logY]);
  const yLabel = useMemo(() => {
    const text = formatTicks(yTicks);
    const labels = new Map(yTicks.map((t, i) => [t, text[i]!]));
    return (v: number) => labels.get(v) ?? String(v);
  }, [yTicks]);
  return (
    <LineChart margin={MARGIN} responsive style={CHART_SIZE}>
      <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
      <XAxis
        dataKey="x"
        type="number"
        domain={frame.x as [number, number]}
        allowDataOverflow
        ticks={xTicks}
        tick={TICK}
        stroke="var(--text-muted)"
        {...(formatX ? { tickFormatter: formatX } : {})}
      />
      <YAxis
        type="number"
        tick={TICK}
        width={52}
        ticks={yTicks}
        tickFormatter={yLabel}
        stroke="var(--text-muted)"
        scale={logY ? 'log' : 'linear'}
        domain={frame.y as [number, number]}
        allowDataOverflow
      />
      {markers.map((m) => (
        <ReferenceLine key={`${m.x}:${m.label}`} x={m.x} stroke="var(--text-muted)" strokeDasharray="2 3" ifOverflow="hidden" label={MARKER_LABEL} />
      ))}
      {bands.length > 0 && <BandLayer source={source} bands={bands} logY={logY} />}
      <SeriesLayer source={source} live={live} logY={logY} raw={raw} />
      <HoverLayer source={source} logY={logY} />
    </LineChart>
  );
});
