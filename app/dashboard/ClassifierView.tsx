/** The Classifier tab: confusion matrix and per-class accuracy on the validation split; the decision boundary for 2-D inputs. */
import { memo, useEffect, useRef, type CSSProperties } from 'react';
import type { DecisionBoundary } from '../../workers/observeTypes';
import { useEditor } from '../store/context';
import { useTraining } from '../training/TrainingContext';
import { useThrottled } from '../hooks/useThrottled';

/** Class colours (TensorFlow Playground's orange and blue first). */
export const CLASS_COLOURS = ['#f59322', '#0877bd', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

function rgb(hex: string): [number, number, number] {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** Heatmap of the predicted class (paler where the model is unsure), with the samples on top. */
const BoundaryCanvas = memo(function BoundaryCanvas({ boundary }: { boundary: DecisionBoundary }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const theme = useEditor((s) => s.theme);
  useEffect(() => {
    // Next frame: a theme switch sets its CSS variables in an effect that runs after this one.
    const frame = requestAnimationFrame(() => paint(ref.current, boundary));
    return () => cancelAnimationFrame(frame);
  }, [boundary, theme]);
  return <canvas ref={ref} width={280} height={280} className="boundary-canvas" data-resolution={boundary.resolution} />;
});

/** Draws the cells (scaled up, smoothed) and the sample points. */
function paint(canvas: HTMLCanvasElement | null, boundary: DecisionBoundary) {
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
    const c = rgb(CLASS_COLOURS[boundary.predicted[i]! % CLASS_COLOURS.length]!);
    // Confidence 1/classes … 1 → tint 0.15 … 0.75.
    const t = 0.15 + 0.6 * Math.min(1, Math.max(0, (boundary.confidence[i]! - 0.5) * 2));
    for (let k = 0; k < 3; k++) img.data[4 * i + k] = Math.round(bg[k]! * (1 - t) + c[k]! * t);
    img.data[4 * i + 3] = 255;
  }
  cctx.putImageData(img, 0, 0);
  const size = canvas.width;
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(cells, 0, 0, size, size);
  const sx = (x: number) => ((x - boundary.x0) / (boundary.x1 - boundary.x0)) * size;
  const sy = (y: number) => ((boundary.y1 - y) / (boundary.y1 - boundary.y0)) * size;
  for (let k = 0; k < boundary.labels.length; k++) {
    ctx.beginPath();
    ctx.arc(sx(boundary.points[2 * k]!), sy(boundary.points[2 * k + 1]!), 2.6, 0, 2 * Math.PI);
    ctx.fillStyle = CLASS_COLOURS[boundary.labels[k]! % CLASS_COLOURS.length]!;
    ctx.fill();
    ctx.lineWidth = 0.8;
    ctx.strokeStyle = 'rgba(255,255,255,0.9)';
    ctx.stroke();
  }
}

export function ClassifierView() {
  const live = useTraining((s) => s.observed.classifier);
  const reading = useThrottled(live, 300);
  if (!reading) {
    return (
      <p className="dash-empty muted">
        For a classifier (a softmax or binary cross-entropy loss over class labels), train or step with this tab open: the confusion matrix on the validation
        split appears here, and for 2-D datasets the decision boundary.
      </p>
    );
  }
  const c = reading.classes;
  const rowTotals = Array.from({ length: c }, (_v, t) => reading.confusion.slice(t * c, t * c + c).reduce((a, v) => a + v, 0));
  const total = rowTotals.reduce((a, v) => a + v, 0);
  const correct = Array.from({ length: c }, (_v, t) => reading.confusion[t * c + t]!).reduce((a, v) => a + v, 0);
  const max = Math.max(1, ...reading.confusion);
  return (
    <div className="classifier">
      {reading.boundary && (
        <figure className="dash-card" aria-label="Decision boundary">
          <figcaption className="dash-card-title">
            Decision boundary <span className="muted">· step {reading.step}</span>
          </figcaption>
          <BoundaryCanvas boundary={reading.boundary} />
          <p className="muted small">Predicted class over the input plane (paler: less sure); dots are samples coloured by their label.</p>
        </figure>
      )}
      <figure className="dash-card" aria-label="Confusion matrix">
        <figcaption className="dash-card-title">
          Confusion matrix{' '}
          <span className="muted">
            · {reading.split} split · step {reading.step} · accuracy {total ? ((100 * correct) / total).toFixed(1) : '—'}%
          </span>
        </figcaption>
        <table className="confusion">
          <thead>
            <tr>
              <th />
              <th colSpan={c} scope="colgroup" className="muted small">
                predicted
              </th>
              <th />
            </tr>
            <tr>
              <th className="muted small">true</th>
              {Array.from({ length: c }, (_v, p) => (
                <th key={p} scope="col">
                  {p}
                </th>
              ))}
              <th scope="col" className="small">
                class accuracy
              </th>
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: c }, (_v, t) => (
              <tr key={t}>
                <th scope="row">{t}</th>
                {Array.from({ length: c }, (_w, p) => {
                  const v = reading.confusion[t * c + p]!;
                  return (
                    <td
                      key={p}
                      className={`cell${t === p ? ' diag' : ''}${v / max > 0.55 ? ' strong' : ''}`}
                      style={{ '--share': `${Math.round((v / max) * 100)}%` } as CSSProperties}
                      aria-label={`true ${t}, predicted ${p}: ${v}`}
                    >
                      {v}
                    </td>
                  );
                })}
                <td className="num">{rowTotals[t] ? `${((100 * reading.confusion[t * c + t]!) / rowTotals[t]!).toFixed(1)}%` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </figure>
    </div>
  );
}
