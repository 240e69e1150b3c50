/**
 * "Try it": feed the model the user's own input — a drawn digit, a picture, typed values, a clicked
 * point — or a validation sample, and show its answer. Predictions run in the worker on the weights
 * the run holds now, while training goes on (see workers/predict.ts).
 */
import { useMemo, useState } from 'react';
import type { PredictInfo } from '../../workers/predict';
import { DrawingCanvas, DRAW_SIZE } from './DrawingCanvas';
import { FeatureForm } from './FeatureForm';
import { ImageDrop } from './ImageDrop';
import { InputPreview } from './InputPreview';
import { PointPicker } from './PointPicker';
import { PredictionView } from './PredictionView';
import { prepareDigit } from './prepareDigit';
import { SamplePicker } from './SamplePicker';
import { useEditor } from '../store/context';
import { usePlane } from './usePlane';
import { usePredict } from './usePredict';
import './inference.css';

/** Typed inputs beyond this many values are not offered as a form. */
const MAX_FIELDS = 64;

type Mode = 'draw' | 'image' | 'point' | 'values' | 'none';

function modeOf(info: PredictInfo): Mode {
  const s = info.dataShape;
  if (s.length === 3 && s[0] === 28 && s[1] === 28 && s[2] === 1) return 'draw';
  if (s.length === 3 && (s[2] === 1 || s[2] === 3)) return 'image';
  if (info.bounds) return 'point';
  const size = info.shape.reduce((a, d) => a * d, 1);
  return size <= MAX_FIELDS ? 'values' : 'none';
}

export function InferencePanel() {
  const kind = useEditor((s) => s.doc.training.dataset.kind);
  // A sequence model is asked in words, not a form of token ids: its Generate panel does that.
  if (kind === 'text' || kind === 'sequence') return null;
  return <InferenceBody />;
}

function InferenceBody() {
  const { info, infoError, prediction, error, request, predict } = usePredict();
  const [clear, setClear] = useState(0);
  return (
    <section className="panel-section inference" aria-labelledby="inference-title">
      <h2 className="panel-title" id="inference-title">
        Try it
      </h2>
      {!info ? (
        <p className="muted inference-empty">{infoError ?? 'Train (or open) a graph, then ask it about your own input here.'}</p>
      ) : (
        <div className="inference-body">
          <UserInput
            info={info}
            clear={clear}
            onClear={() => setClear((n) => n + 1)}
            predict={predict}
            lastValues={request?.kind === 'values' ? request.values : undefined}
          />
          <SamplePicker count={info.validation} onPick={(index) => void predict({ kind: 'sample', index })} />
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
          {prediction && (
            <div className="inference-result">
              {info.dataShape.length === 3 && <InputPreview values={prediction.input} shape={info.dataShape} label="The input as the model sees it" />}
              <PredictionView info={info} prediction={prediction} />
            </div>
          )}
        </div>
      )}
    </section>
  );
}

function UserInput({
  info,
  clear,
  onClear,
  predict,
  lastValues,
}: {
  info: PredictInfo;
  clear: number;
  onClear: () => void;
  predict: ReturnType<typeof usePredict>['predict'];
  lastValues: Float32Array | undefined;
}) {
  const mode = modeOf(info);
  const plane = usePlane(mode === 'point' && info.task !== 'value');
  // Only a form names its fields (at most MAX_FIELDS); built once per model, not on every render.
  const names = useMemo(
    () =>
      mode === 'point' || mode === 'values'
        ? (info.featureNames ?? Array.from({ length: info.shape.reduce((a, d) => a * d, 1) }, (_v, i) => (mode === 'point' ? ['x', 'y'][i]! : `x[${i}]`)))
        : [],
    [info, mode],
  );
  switch (mode) {
    case 'draw':
      return (
        <div className="draw">
          <DrawingCanvas clearSignal={clear} onInk={(ink) => ink && void predict({ kind: 'values', values: prepareDigit(ink, DRAW_SIZE, DRAW_SIZE) })} />
          <button type="button" className="btn" onClick={onClear}>
            Clear drawing
          </button>
          <p className="field-hint">Draw a digit; it is scaled into a 20×20 box and centred in 28×28 as MNIST's digits were.</p>
        </div>
      );
    case 'image':
      return <ImageDrop onImage={(image) => void predict({ kind: 'image', image })} />;
    case 'point':
      return (
        <>
          <PointPicker
            bounds={info.bounds!}
            {...(plane ? { plane } : {})}
            {...(lastValues ? { point: lastValues } : {})}
            onPick={(values) => void predict({ kind: 'values', values })}
          />
          <FeatureForm
            key={lastValues ? lastValues.join() : 'empty'}
            names={names}
            {...(lastValues ? { initial: lastValues } : {})}
            onSubmit={(values) => void predict({ kind: 'values', values })}
          />
        </>
      );
    case 'values':
      return (
        <FeatureForm
          names={names}
          {...(info.scalesInput ? { units: 'Values as in the data file; they are rescaled as training rescaled them.' } : {})}
          onSubmit={(values) => void predict({ kind: 'values', values })}
        />
      );
    case 'none':
      return <p className="field-hint">This input holds {info.dataShape.join('×')} values: pick a validation sample below.</p>;
  }
}
