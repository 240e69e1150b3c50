/** A decision boundary drawn on a square canvas (boundaryPaint.ts), repainted when it or `repaint` (the theme) changes. */
import { memo, useEffect, useRef } from 'react';
import type { DecisionBoundary } from '../../workers/observeTypes';
import { paintBoundary } from './boundaryPaint';

export const BoundaryCanvas = memo(function BoundaryCanvas({
  boundary,
  size,
  dot,
  className,
  repaint,
}: {
  boundary: DecisionBoundary;
  size: number;
  /** Sample dots' radius in pixels. */
  dot?: number;
  className: string;
  /** Anything whose change should repaint (the theme: the cells are tinted towards the surface colour). */
  repaint?: unknown;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    // Next frame: a theme switch sets its CSS variables in an effect that runs after this one.
    const frame = requestAnimationFrame(() => paintBoundary(ref.current, boundary, dot));
    return () => cancelAnimationFrame(frame);
  }, [boundary, dot, repaint]);
  return <canvas ref={ref} width={size} height={size} className={className} data-resolution={boundary.resolution} aria-hidden="true" />;
});
