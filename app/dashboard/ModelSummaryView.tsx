/** The Model tab: Keras' summary() table for the document on the canvas. */
import { useMemo } from 'react';
import { useEditor } from '../store/context';
import { modelSummary } from './modelSummary';

const n = (v: number) => v.toLocaleString('en-US');

export function ModelSummaryView() {
  const doc = useEditor((s) => s.doc);
  const summary = useMemo(() => modelSummary(doc), [doc]);
  if (!summary.rows.length) return <p className="dash-empty muted">The graph is empty.</p>;
  return (
    <div className="summary-wrap">
      <table className="summary-table" aria-label="Model summary">
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col">Type</th>
            <th scope="col">Output shape</th>
            <th scope="col" className="num">
              Params
            </th>
            <th scope="col">Trainable</th>
          </tr>
        </thead>
        <tbody>
          {summary.rows.map((r) => (
            <tr key={r.id}>
              <th scope="row">{r.name}</th>
              <td className="muted">{r.type}</td>
              <td className="mono">{r.output}</td>
              <td className="num">{r.trainableParams + r.frozenParams ? n(r.trainableParams + r.frozenParams) : '—'}</td>
              <td>
                {r.trainableParams && r.frozenParams
                  ? `${n(r.trainableParams)} of ${n(r.trainableParams + r.frozenParams)}`
                  : r.trainableParams
                    ? 'yes'
                    : r.frozenParams
                      ? 'no'
                      : '—'}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={3}>
              Total params
            </th>
            <td className="num">{n(summary.trainable + summary.frozen)}</td>
            <td />
          </tr>
          <tr>
            <th scope="row" colSpan={3}>
              Trainable params
            </th>
            <td className="num">{n(summary.trainable)}</td>
            <td />
          </tr>
          <tr>
            <th scope="row" colSpan={3}>
              Non-trainable params
            </th>
            <td className="num">{n(summary.frozen)}</td>
            <td />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
