/** The Classifier tab: confusion matrix and per-class accuracy on the validation split; the decision boundary for 2-D inputs. */
import type { CSSProperties } from 'react';
import { useEditor } from '../store/context';
import { useTraining } from '../training/TrainingContext';
import { useThrottled } from '../hooks/useThrottled';
import { BoundaryCanvas } from '../charts/BoundaryCanvas';

export function ClassifierView() {
  const live = useTraining((s) => s.observed.classifier);
  const reading = useThrottled(live, 300);
  const theme = useEditor((s) => s.theme);
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
          <BoundaryCanvas boundary={reading.boundary} size={280} className="boundary-canvas" repaint={theme} />
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
