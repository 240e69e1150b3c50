/** The pieces of a dataset preview: an image grid, a table of rows, a 2-D scatter, the class balance. */
import { memo, useEffect, useRef } from 'react';
import type { DatasetPreview } from '../../workers/datasetTypes';
import { classColour, valueColour } from '../charts/palette';

type Images = NonNullable<DatasetPreview['images']>;

function Thumb({ width, height, rgba, label }: { width: number; height: number; rgba: Uint8ClampedArray; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (ctx) ctx.putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0);
  }, [rgba, width, height]);
  return <canvas ref={ref} width={width} height={height} role="img" aria-label={`sample labelled ${label}`} />;
}

export const ImageGrid = memo(function ImageGrid({ images, classNames }: { images: Images; classNames: readonly string[] }) {
  return (
    <ul className="image-grid" aria-label="Sample images">
      {images.samples.map((s, i) => {
        const label = classNames[s.label] ?? (s.label >= 0 ? String(s.label) : '—');
        return (
          <li key={i}>
            <Thumb width={images.width} height={images.height} rgba={s.rgba} label={label} />
            <span title={label}>{label}</span>
          </li>
        );
      })}
    </ul>
  );
});

export const PreviewTable = memo(function PreviewTable({ table }: { table: NonNullable<DatasetPreview['table']> }) {
  return (
    <div className="preview-table-wrap" tabIndex={0} role="region" aria-label="Sample rows">
      <table className="preview-table">
        <thead>
          <tr>
            {table.lines && <th scope="col">line</th>}
            {table.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, i) => (
            <tr key={i}>
              {table.lines && <td className="line">{table.lines[i]}</td>}
              {row.map((cell, j) => (
                <td key={j}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
});

const SIZE = 240;
const PAD = 8;

export const Scatter = memo(function Scatter({ scatter, classNames }: { scatter: NonNullable<DatasetPreview['scatter']>; classNames: readonly string[] }) {
  const { x, y, label, value } = scatter;
  const extent = (a: Float32Array) => a.reduce(([lo, hi], v) => [Math.min(lo, v), Math.max(hi, v)], [Infinity, -Infinity]);
  const [x0, x1] = extent(x);
  const [y0, y1] = extent(y);
  const [v0, v1] = value ? extent(value) : [0, 1];
  const sx = (v: number) => PAD + ((v - x0) / (x1 - x0 || 1)) * (SIZE - 2 * PAD);
  const sy = (v: number) => SIZE - PAD - ((v - y0) / (y1 - y0 || 1)) * (SIZE - 2 * PAD);
  const what = label ? `coloured by class (${classNames.join(', ')})` : `coloured by target, ${v0.toPrecision(3)} (blue) to ${v1.toPrecision(3)} (orange)`;
  return (
    <svg className="scatter" viewBox={`0 0 ${SIZE} ${SIZE}`} role="img" aria-label={`Scatter of ${x.length} points, ${what}`}>
      {x0 < 0 && x1 > 0 && <line className="axis" x1={sx(0)} x2={sx(0)} y1={0} y2={SIZE} />}
      {y0 < 0 && y1 > 0 && <line className="axis" y1={sy(0)} y2={sy(0)} x1={0} x2={SIZE} />}
      {Array.from(x, (xv, i) => (
        <circle
          key={i}
          cx={sx(xv)}
          cy={sy(y[i]!)}
          r={2.2}
          fillOpacity={0.8}
          fill={label ? classColour(label[i]!) : valueColour((value![i]! - v0) / (v1 - v0 || 1))}
        />
      ))}
    </svg>
  );
});

export function ClassBalance({ classes }: { classes: NonNullable<DatasetPreview['classes']> }) {
  const shown = classes.slice(0, 20);
  const max = Math.max(1, ...classes.map((c) => c.total));
  return (
    <ul className={shown.length > 5 ? 'balance many' : 'balance'} aria-label="Class balance">
      {shown.map((c, k) => (
        <li key={k} aria-label={`${c.name}: ${c.total} samples, ${c.train} training, ${c.validation} validation`}>
          <span className="name" title={c.name}>
            <span className="swatch" style={{ background: classColour(k) }} />
            {c.name}
          </span>
          <span className="bar">
            <span style={{ width: `${(100 * c.total) / max}%`, background: classColour(k) }} />
          </span>
          <span className="count">
            {c.train} / {c.validation}
          </span>
        </li>
      ))}
      {classes.length > shown.length && (
        <li>
          <span className="name">… {classes.length - shown.length} more classes</span>
        </li>
      )}
    </ul>
  );
}
