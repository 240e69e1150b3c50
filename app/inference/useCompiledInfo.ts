/**
 * What the open run says about itself for a panel (what it predicts from, what it generates from):
 * asked of the worker each time a graph is compiled, cleared when none is.
 */
import { useEffect, useRef, useState } from 'react';
import type { TrainerClient } from '../../workers/client';
import { useTraining, useTrainingHandle } from '../training/TrainingContext';

/** A worker error as the panel shows it (without comlink's `Error: ` prefix). */
export const errorMessage = (e: unknown) => (e instanceof Error ? e.message.replace(/^Error: /, '') : String(e));

/** `ask`'s answer for the compiled run (or why it failed); `onCompile` runs first at each compile, to clear what the last run showed. */
export function useCompiledInfo<T>(ask: (api: TrainerClient['api']) => Promise<T>, onCompile: () => void): { info?: T; error?: string } {
  const { client } = useTrainingHandle();
  const compiled = useTraining((s) => s.compiled);
  const [info, setInfo] = useState<{ info?: T; error?: string }>({});
  // The latest callbacks, without asking again when a render makes new ones.
  const latest = useRef({ ask, onCompile });
  latest.current = { ask, onCompile };

  useEffect(() => {
    let live = true;
    latest.current.onCompile();
    if (!compiled) {
      setInfo({});
      return;
    }
    latest.current.ask(client().api).then(
      (i) => live && setInfo({ info: i }),
      (e: unknown) => live && setInfo({ error: errorMessage(e) }),
    );
    return () => {
      live = false;
    };
  }, [compiled, client]);

  return info;
}
