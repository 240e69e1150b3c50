/** A synthetic task's greedy decoding over validation: exact-match and token accuracy, and the first answers decoded. */
import type { GenerateInfo, GreedyResult } from '../../workers/generate';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export function GreedyView({
  info,
  greedy,
  onEvaluate,
}: {
  info: GenerateInfo;
  greedy: { result?: GreedyResult; error?: string; busy: boolean; asked: boolean };
  onEvaluate: () => void;
}) {
  const r = greedy.result;
  return (
    <div className="greedy" aria-label="Greedy decoding">
      <div className="generation-actions">
        <button type="button" className="btn" onClick={onEvaluate} disabled={greedy.busy || !info.validation}>
          {greedy.asked ? 'Decode validation again' : 'Greedy accuracy on validation'}
        </button>
        {greedy.busy && (
          <span className="field-hint" role="status">
            Decoding…
          </span>
        )}
      </div>
      {greedy.error && (
        <p className="field-error" role="alert">
          {greedy.error}
        </p>
      )}
      {r && (
        <>
          <p className="greedy-score" aria-label="Exact match">
            <strong>{pct(r.exactMatch)}</strong> exact match{' '}
            <span className="muted">
              ({Math.round(r.exactMatch * r.evaluated)} of {r.evaluated} held-out sequences) · {pct(r.tokenAccuracy)} of answer tokens · step {r.step}
            </span>
          </p>
          <table className="greedy-table" aria-label="Decoded answers">
            <thead>
              <tr>
                <th scope="col">Prompt</th>
                <th scope="col">Expected</th>
                <th scope="col">Decoded</th>
              </tr>
            </thead>
            <tbody>
              {r.examples.map((e, i) => (
                <tr key={i} className={e.decoded === e.expected ? 'is-right' : 'is-wrong'}>
                  <td className="mono">{e.prompt}</td>
                  <td className="mono">{e.expected}</td>
                  <td className="mono">
                    {e.decoded} <span aria-label={e.decoded === e.expected ? 'right' : 'wrong'}>{e.decoded === e.expected ? '✓' : '✗'}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
