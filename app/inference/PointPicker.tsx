/** The input plane of a 2-D model: click (or tap) a point to predict on it. */
import { useMemo } from 'react';

const SIZE = 180;

export function PointPicker({
  bounds,
  point,
  onPick,
}: {
  bounds: readonly [number, number, number, number];
  point?: Float32Array;
  onPick: (xy: Float32Array) => void;
}) {
  const [x0, x1, y0, y1] = useMemo(() => {
    const [a, b, c, d] = bounds;
    const mx = (b - a) * 0.08 || 1;
    const my = (d - c) * 0.08 || 1;
    return [a - mx, b + mx, c - my, d + my];
  }, [bounds]);
  const sx = (x: number) => ((x - x0) / (x1 - x0)) * SIZE;
  const sy = (y: number) => SIZE - ((y - y0) / (y1 - y0)) * SIZE;
  return (
    <svg
      className="point-picker"
      width={SIZE}
      height={SIZE}
      viewBox={`0 0 ${SIZE} ${SIZE}`}
      role="img"
      aria-label={`Input plane from (${x0.toFixed(1)}, ${y0.toFixed(1)}) to (${x1.toFixed(1)}, ${y1.toFixed(1)}): click a point to predict on it`}
      onPointerDown={(e) => {
        const r = e.currentTarget.getBoundingClientRect();
        const x = x0 + ((e.clientX - r.left) / r.width) * (x1 - x0);
        const y = y1 - ((e.clientY - r.top) / r.height) * (y1 - y0);
        onPick(Float32Array.from([x, y]));
      }}
    >
      <line className="axis" x1={sx(0)} x2={sx(0)} y1={0} y2={SIZE} />
      <line className="axis" x1={0} x2={SIZE} y1={sy(0)} y2={sy(0)} />
      {point && <circle className="picked" cx={sx(point[0]!)} cy={sy(point[1]!)} r={5} />}
    </svg>
  );
}
