/**
 * The Try-it picker's picture of a 2-D classifier: its predicted class over the input plane and the
 * samples, asked of the worker when a graph compiles and again as the weights move (a step, a loaded
 * file), at most once a second and never while the last answer is still on its way.
 */
import { useEffect, useRef, useState } from 'react';
import type { DecisionBoundary } from '../../workers/observeTypes';
import { useThrottled } from '../hooks/useThrottled';
import { useTraining, useTrainingHandle } from '../training/TrainingContext';

export function usePlane(enabled: boolean): DecisionBoundary | undefined {
  const { client } = useTrainingHandle();
  const compiled = useTraining((s) => s.compiled);
  const step = useThrottled(
    useTraining((s) => s.status.step),
    1000,
  );
  const [plane, setPlane] = useState<DecisionBoundary>();
  // For the graph compiled now; `again`: the weights moved while an answer was on its way.
  const ask = useRef({ busy: false, again: false, compiled });
  ask.current.compiled = compiled;

  // A new graph: the last one's picture goes.
  useEffect(() => setPlane(undefined), [compiled]);

  useEffect(() => {
    if (!enabled || !compiled) return;
    const request = () => {
      if (ask.current.busy) {
        ask.current.again = true;
        return;
      }
      ask.current.busy = true;
      client()
        .api.predictPlane()
        // No picture (an error, or not a 2-D classifier) leaves the plain plane: clicking still predicts.
        .catch(() => undefined)
        .then((p) => {
          ask.current.busy = false;
          if (ask.current.compiled !== compiled) return;
          setPlane(p);
          if (ask.current.again) {
            ask.current.again = false;
            request();
          }
        });
    };
    request();
  }, [enabled, compiled, step, client]);

  return plane;
}
