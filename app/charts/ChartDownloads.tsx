/** A chart's download menu: the picture as PNG, the data as CSV or JSON (as TensorBoard offers). */
import { useState, type RefObject } from 'react';
import { chartCsv, chartFileName, chartJson } from './chartExport';
import { downloadBlob } from '../browser/download';
import { svgToPng } from './chartImage';
import type { ChartSeries } from './series';
import './chartDownloads.css';

/**
 * `series` may be a function, called only when a data file is asked for: a live chart then need not
 * build its whole history on every redraw.
 */
export function ChartDownloads({
  title,
  series,
  chart,
}: {
  title: string;
  series: readonly ChartSeries[] | (() => readonly ChartSeries[]);
  chart: RefObject<HTMLElement | null>;
}) {
  const data = () => (typeof series === 'function' ? series() : series);
  const [error, setError] = useState<string | undefined>(undefined);
  const name = chartFileName(title);
  const png = async () => {
    const svg = chart.current?.querySelector('svg');
    if (!svg) return setError('nothing is drawn yet');
    try {
      const background = getComputedStyle(chart.current!).getPropertyValue('--surface').trim() || '#ffffff';
      downloadBlob(await svgToPng(svg, background), `${name}.png`);
      setError(undefined);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const text = (body: string, ext: string, type: string) => downloadBlob(new Blob([body], { type }), `${name}.${ext}`);
  return (
    <details className="chart-downloads">
      <summary aria-label={`Download the ${title} chart`} title="Download">
        ⤓
      </summary>
      <div className="chart-downloads-menu" role="group" aria-label={`Download ${title}`}>
        <button type="button" aria-label={`Download the ${title} chart as PNG`} onClick={() => void png()}>
          PNG image
        </button>
        <button type="button" aria-label={`Download the ${title} data as CSV`} onClick={() => text(chartCsv(data()), 'csv', 'text/csv')}>
          CSV data
        </button>
        <button type="button" aria-label={`Download the ${title} data as JSON`} onClick={() => text(chartJson(title, data()), 'json', 'application/json')}>
          JSON data
        </button>
        {error && (
          <p role="alert" className="chart-downloads-error">
            PNG failed: {error}
          </p>
        )}
      </div>
    </details>
  );
}
