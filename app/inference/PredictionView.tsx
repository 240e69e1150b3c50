/** The answer: the predicted class (and the true one for a validation sample) with the top-k bars, or the regression values. */
import type { Prediction, PredictInfo } from '../../workers/predict';
import { ProbabilityBars } from './ProbabilityBars';

const fmt = (v: number) => (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : String(Number(v.toPrecision(4))));

export function PredictionView({ info, prediction }: { info: PredictInfo; prediction: Prediction }) {
  const name = (c: number) => info.classNames?.[c] ?? String(c);
  const truth = prediction.truth;
  return (
    <div className="prediction" aria-label="Prediction" role="region" aria-live="polite">
      {prediction.predicted !== undefined && prediction.probabilities ? (
        <>
          <div className="prediction-head">
            <p className="prediction-main">
              Prediction <strong data-testid="predicted-class">{name(prediction.predicted)}</strong>
            </p>
            {truth?.label !== undefined && (
              <p className={`prediction-truth ${truth.label === prediction.predicted ? 'is-right' : 'is-wrong'}`}>
                True label <strong data-testid="true-label">{name(truth.label)}</strong>{' '}
                <span aria-hidden="true">{truth.label === prediction.predicted ? '✓' : '✗'}</span>
                <span className="visually-hidden">{truth.label === prediction.predicted ? '(right)' : '(wrong)'}</span>
              </p>
            )}
          </div>
          <ProbabilityBars
            probabilities={prediction.probabilities}
            {...(info.classNames ? { classNames: info.classNames } : {})}
            {...(truth?.label !== undefined ? { truth: truth.label } : {})}
          />
        </>
      ) : (
        <table className="prediction-values">
          <thead>
            <tr>
              <th>Output</th>
              <th>Predicted</th>
              {truth?.values && <th>True</th>}
            </tr>
          </thead>
          <tbody>
            {Array.from(prediction.output.slice(0, 16), (v, i) => (
              <tr key={i}>
                <td>{i}</td>
                <td className="num" data-testid="predicted-value">
                  {fmt(v)}
                </td>
                {truth?.values && <td className="num">{fmt(truth.values[i] ?? NaN)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="field-hint">
        Weights of step {prediction.step}
        {truth ? ` · validation sample ${truth.index + 1}` : ''}
      </p>
    </div>
  );
}
