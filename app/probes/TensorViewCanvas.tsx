/** Draws a TensorView: bars for vectors, a heatmap for matrices, a grid of small images for rank-4 tensors. */
import { memo, useEffect, useRef } from 'react';
import type { TensorView } from '../../workers/stats';
import { useEditor } from '../store/context';
import { diverging, divergingPixels, parseColour, symmetricLimit } from './colormap';

const WIDTH = 288;

function layout(view: TensorView): { width: number; height: number } {
  switch (view.kind) {
    case 'scalar':
      return { width: WIDTH, height: 0 };
    case 'bars':
      return { width: WIDTH, height: 72 };
    case 'heatmap': {
      const cell = Math.max(1, Math.min(16, Math.floor(WIDTH / view.cols), Math.floor(160 / view.rows)));
      return { width: view.cols * cell, height: view.rows * cell };
    }
    case 'images': {
      const perRow = Math.max(1, Math.floor(WIDTH / (view.width * 2 + 3)));
      const scale = Math.max(1, Math.min(6, Math.floor((WIDTH / Math.min(perRow, view.count) - 3) / view.width)));
      const rows = Math.ceil(view.count / Math.min(perRow, Math.max(1, Math.floor(WIDTH / (view.width * scale + 3)))));
      return { width: WIDTH, height: Math.min(220, rows * (view.height * scale + 3)) };
    }
  }
}

function draw(ctx: CanvasRenderingContext2D, view: TensorView, width: number, height: number, neutral: [number, number, number], axis: string) {
  ctx.clearRect(0, 0, width, height);
  // One scratch canvas per draw, reused for every image of a rank-4 view.
  const scratch = document.createElement('canvas');
  const paint = (values: ArrayLike<number>, x: number, y: number, w: number, h: number, cols: number, limit: number) => {
    const rows = values.length / cols;
    const img = ctx.createImageData(cols, rows);
    divergingPixels(values, limit, neutral, img.data);
    if (scratch.width !== cols || scratch.height !== rows) [scratch.width, scratch.height] = [cols, rows];
    scratch.getContext('2d')!.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(scratch, 0, 0, cols, rows, x, y, w, h);
  };
  if (view.kind === 'heatmap') paint(view.values, 0, 0, width, height, view.cols, symmetricLimit(view.values));
  if (view.kind === 'images') {
    const limit = symmetricLimit(view.values);
    const per = view.height * view.width;
    const scale = Math.max(1, Math.min(6, Math.floor((WIDTH / Math.min(Math.max(1, Math.floor(WIDTH / (view.width * 2 + 3))), view.count) - 3) / view.width)));
    const perRow = Math.max(1, Math.floor(WIDTH / (view.width * scale + 3)));
    for (let k = 0; k < view.count; k++) {
      const x = (k % perRow) * (view.width * scale + 3);
      const y = Math.floor(k / perRow) * (view.height * scale + 3);
      if (y >= height) break;
      paint(view.values.subarray(k * per, (k + 1) * per), x, y, view.width * scale, view.height * scale, view.width, limit);
    }
  }
  if (view.kind === 'bars') {
    const limit = symmetricLimit(view.values);
    const mid = height / 2;
    const w = width / view.values.length;
    ctx.fillStyle = axis;
    ctx.fillRect(0, Math.round(mid), width, 1);
    for (let i = 0; i < view.values.length; i++) {
      const v = view.values[i]!;
      const [r, g, b] = diverging(v, limit, [150, 150, 150]);
      ctx.fillStyle = `rgb(${r},${g},${b})`;
      const h = Number.isFinite(v) ? (v / limit) * (mid - 2) : mid;
      ctx.fillRect(i * w + (w > 3 ? 0.5 : 0), h > 0 ? mid - h : mid, Math.max(1, w - (w > 3 ? 1 : 0)), Math.abs(h) || 1);
    }
  }
}

export const TensorViewCanvas = memo(function TensorViewCanvas({ view, label }: { view: TensorView; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const theme = useEditor((s) => s.theme);
  const { width, height } = layout(view);
  useEffect(() => {
    // Next frame: a theme switch sets its CSS variables in an effect that runs after this one.
    const frame = requestAnimationFrame(() => {
      const canvas = ref.current;
      const ctx = canvas?.getContext('2d');
      if (!canvas || !ctx) return;
      const style = getComputedStyle(canvas);
      draw(ctx, view, width, height, parseColour(style.getPropertyValue('--surface-2')), style.getPropertyValue('--border-strong').trim() || '#999');
    });
    return () => cancelAnimationFrame(frame);
  }, [view, width, height, theme]);
  if (view.kind === 'scalar') return <p className="probe-scalar mono">{String(view.value)}</p>;
  const what =
    view.kind === 'bars'
      ? `${view.values.length} bars`
      : view.kind === 'heatmap'
        ? `${view.rows}×${view.cols} heatmap`
        : `${view.count} images of ${view.height}×${view.width}`;
  return <canvas ref={ref} width={width} height={height} className={`tensor-view is-${view.kind}`} role="img" aria-label={`${label}: ${what}`} />;
});
