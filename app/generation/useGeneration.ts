/**
 * The generation panel's state: what the open run generates from (generateInfo), text generated a
 * chunk at a time (each chunk one worker call, so training steps run between them and the text
 * streams in), and the greedy accuracy of a task, asked again as the weights move.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { GenerateInfo, GreedyResult } from '../../workers/generate';
import { useThrottled } from '../hooks/useThrottled';
import { errorMessage as message, useCompiledInfo } from '../inference/useCompiledInfo';
import { useTraining, useTrainingHandle } from '../training/TrainingContext';

/** Tokens per worker call while streaming. */
const CHUNK = 16;

export interface Sampling {
  readonly tokens: number;
  readonly temperature: number;
  /** 0: all tokens. */
  readonly topK: number;
  readonly seed: number;
}

export function useGeneration() {
  const { client } = useTrainingHandle();
  const compiled = useTraining((s) => s.compiled);
  const step = useThrottled(
    useTraining((s) => s.status.step),
    2000,
  );
  const [output, setOutput] = useState<{ text: string; running: boolean; step?: number; error?: string; unknown?: readonly string[] }>({
    text: '',
    running: false,
  });
  const [greedy, setGreedy] = useState<{ result?: GreedyResult; error?: string; busy: boolean; asked: boolean }>({ busy: false, asked: false });
  const stop = useRef(false);

  const info = useCompiledInfo<GenerateInfo>(
    (api) => api.generateInfo(),
    () => {
      setOutput({ text: '', running: false });
      setGreedy({ busy: false, asked: false });
    },
  );

  const generate = useCallback(
    async (prompt: string, s: Sampling) => {
      stop.current = false;
      setOutput({ text: '', running: true });
      let text = '';
      try {
        for (let done = 0; done < s.tokens && !stop.current;) {
          const n = Math.min(CHUNK, s.tokens - done);
          const g = await client().api.generate({
            text: prompt + text,
            tokens: n,
            temperature: s.temperature,
            ...(s.topK > 0 ? { topK: s.topK } : {}),
            seed: s.seed,
            offset: done,
          });
          text += g.text;
          done += n;
          setOutput({ text, running: done < s.tokens && !stop.current, step: g.step, unknown: g.unknown });
        }
      } catch (e) {
        setOutput({ text, running: false, error: message(e) });
      }
    },
    [client],
  );

  const evaluate = useCallback(async () => {
    setGreedy((g) => ({ ...g, busy: true, asked: true }));
    try {
      const result = await client().api.greedyAccuracy();
      setGreedy({ result, busy: false, asked: true });
    } catch (e) {
      setGreedy({ error: message(e), busy: false, asked: true });
    }
  }, [client]);

  // New weights: the accuracy asked for again (not the sampled text, which the person asked for once).
  const asked = greedy.asked;
  useEffect(() => {
    if (asked && compiled && !greedy.busy) void evaluate();
    // Only a change of step asks again.
  }, [step]);

  return { info: info.info, infoError: info.error, output, generate, stop: () => void (stop.current = true), greedy, evaluate };
}
