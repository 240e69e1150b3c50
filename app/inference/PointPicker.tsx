/**
 * The input plane of a 2-D model: click (or tap) a point to predict on it. For a classifier the
 * plane shows what the model predicts over it now (paler where unsure) and the data's samples, as
 * TensorFlow Playground does, so a person sees where to click.
 */
import { useMemo } from 'react';
import type { DecisionBoundary } from '../../workers/observeTypes';
import { BoundaryCanvas } from '../charts/BoundaryCanvas';
import { useEditor } from '../store/context';

const SIZE = 180;

/** The data's range [x0, x1, y0, y1] with 8% margins (as the worker's decision boundary has them). */
function withMargins([a, b, c, d]: readonly [number, number, number, number]): [number, number, number, number] {
  const mx = (b - a) * 0.08 || 1;
  const my = (d - c) * 0.08 || 1;
  return [a - mx, b + mx, c - my, d + my];
}

export function PointPicker({
  bounds,
  plane,
  point,
  onPick,
}: {
  bounds: readonly [number, number, number, number];
  /** The model's predicted class over the plane, with the samples; the plane is drawn bare without it. */
  plane?: DecisionBoundary;
  point?: Float32Array;
  onPick: (xy: Float32Array) => void;
}) {
  const theme = useEditor((s) => s.theme);
  const [x0, x1, y0, y1] = useMemo(() => (plane ? [plane.x0, plane.x1, plane.y0, plane.y1] : withMargins(bounds)), [bounds, plane]);
  const sx = (x: number) => ((x - x0) / (x1 - x0)) * SIZE;
  const sy = (y: number) => SIZE - ((y - y0) / (y1 - y0)) * SIZE;
  const range = `from (${x0.toFixed(1)}, ${y0.toFixed(1)}) to (${x1.toFixed(1)}, ${y1.toFixed(1)})`;
  return (
    <div className={`point-plane${plane ? ' with-boundary' : ''}`} style={{ width: SIZE, height: SIZE }}>
      {plane && <BoundaryCanvas boundary={plane} size={SIZE} dot={2} className="point-plane-boundary" repaint={theme} />}
      <svg
        className="point-picker"
        width={SIZE}
        height={SIZE}
        viewBox={`0 0 ${SIZE} ${SIZE}`}
        role="img"
        aria-label={
          plane
            ? `Input plane ${range}, coloured by the class the model predicts, with ${plane.labels.length} samples: click a point to predict on it`
            : `Input plane ${range}: click a point to predict on it`
        }
        onPointerDown={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          const x = x0 + ((e.clientX - r.left) / r.width) * (x1 - x0);
          const y = y1 - ((e.clientY - r.top) / r.height) * (y1 - y0);
          onPick(Float32Array.from([x, y]));
        }}
      >
        <line className="axis" x1={sx(0)} x2={sx(0)} y1={0} y2={SIZE} />
        <line className="axis" x1={0} x2={SIZE} y1={sy(0)} y2={sy(0)} />
        {point && (
          // A ring, not a dot: it must not read as one of the samples, whatever the class colours.
          <g>
            <circle className="picked-halo" cx={sx(point[0]!)} cy={sy(point[1]!)} r={6} />
            <circle className="picked" cx={sx(point[0]!)} cy={sy(point[1]!)} r={6} />
          </g>
        )}
      </svg>
    </div>
  );
}
