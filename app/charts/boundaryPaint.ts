/**
 * Paints a decision boundary (workers/observe.ts) on a canvas: the predicted class per grid cell,
 * paler where the model is unsure (TensorFlow Playground's picture), scaled up and smoothed, with the
 * samples on top as dots in their label's colour. The dashboard's Classifier tab and the Try-it
 * panel's input plane both draw it.
 */
import type { DecisionBoundary } from '../../workers/observeTypes';
import { classColour } from './palette';

function rgb(hex: string): [number, number, number] {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** Canvas x, y of a point of the plane, for a square canvas `size` pixels wide. */
function planeToCanvas(boundary: DecisionBoundary, size: number): { sx: (x: number) => number; sy: (y: number) => number } {
  return {
    sx: (x) => ((x - boundary.x0) / (boundary.x1 - boundary.x0)) * size,
    sy: (y) => ((boundary.y1 - y) / (boundary.y1 - boundary.y0)) * size,
  };
}

/** Draws the cells and then the samples (radius `dot` pixels) over the whole canvas, tinted towards its `--surface`. */
export function paintBoundary(canvas: HTMLCanvasElement | null, boundary: DecisionBoundary, dot = 2.6): void {
  const ctx = canvas?.getContext('2d');
  if (!canvas || !ctx) return;
  const n = boundary.resolution;
  const cells = document.createElement('canvas');
  cells.width = n;
  cells.height = n;
  const cctx = cells.getContext('2d')!;
  const img = cctx.createImageData(n, n);
  const surface = getComputedStyle(canvas).getPropertyValue('--surface').trim();
  const bg = rgb(/^#[0-9a-f]{6}$/i.test(surface) ? surface : '#ffffff');
  for (let i = 0; i < n * n; i++) {
    const c = rgb(classColour(boundary.predicted[i]!));
    // Confidence 1/classes … 1 → tint 0.15 … 0.75.
    const t = 0.15 + 0.6 * Math.min(1, Math.max(0, (boundary.confidence[i]! - 0.5) * 2));
    for (let k = 0; k < 3; k++) img.data[4 * i + k] = Math.round(bg[k]! * (1 - t) + c[k]! * t);
    img.data[4 * i + 3] = 255;
  }
  cctx.putImageData(img, 0, 0);
  const size = canvas.width;
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(cells, 0, 0, size, size);
  const { sx, sy } = planeToCanvas(boundary, size);
  for (let k = 0; k < boundary.labels.length; k++) {
    ctx.beginPath();
    ctx.arc(sx(boundary.points[2 * k]!), sy(boundary.points[2 * k + 1]!), dot, 0, 2 * Math.PI);
    ctx.fillStyle = classColour(boundary.labels[k]!);
    ctx.fill();
    ctx.lineWidth = 0.8;
    ctx.strokeStyle = 'rgba(255,255,255,0.9)';
    ctx.stroke();
  }
}
