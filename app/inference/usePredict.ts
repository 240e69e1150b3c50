/**
 * The inference panel's state: what the open run takes (predictInfo), the last prediction, and the
 * request that made it, which is asked again as the weights move (training goes on, weights load),
 * so the answer shown is always that of the weights the run holds now.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Prediction, PredictInfo, PredictRequest } from '../../workers/predict';
import { useDashboard } from '../dashboard/DashboardContext';
import { useThrottled } from '../hooks/useThrottled';
import { useTraining, useTrainingHandle } from '../training/TrainingContext';
import { errorMessage as message, useCompiledInfo } from './useCompiledInfo';

export function usePredict() {
  const { client, store } = useTrainingHandle();
  const compiled = useTraining((s) => s.compiled);
  const step = useThrottled(
    useTraining((s) => s.status.step),
    1000,
  );
  const probes = useDashboard((s) => s.probes);
  const [result, setResult] = useState<{ prediction?: Prediction; error?: string; request?: PredictRequest }>({});
  const busy = useRef(false);
  const probeTargets = useRef(probes.map((p) => p.target));
  probeTargets.current = probes.map((p) => p.target);

  const info = useCompiledInfo<PredictInfo>(
    (api) => api.predictInfo(),
    () => setResult({}),
  );

  const predict = useCallback(
    async (request: PredictRequest) => {
      if (busy.current) return;
      busy.current = true;
      try {
        const prediction = await client().api.predict({ ...request, probes: probeTargets.current });
        setResult({ prediction, request });
        if (prediction.probes.length) store.getState().applyAll([{ type: 'probes', readings: prediction.probes }]);
      } catch (e) {
        setResult({ error: message(e), request });
      } finally {
        busy.current = false;
      }
    },
    [client, store],
  );

  // New weights (a step, a loaded file): the same input again.
  const last = result.request;
  useEffect(() => {
    if (last && compiled) void predict(last);
    // Only a change of step asks again; a new request is predicted where it is made.
  }, [step]);

  return { info: info.info, infoError: info.error, prediction: result.prediction, error: result.error, request: last, predict };
}
