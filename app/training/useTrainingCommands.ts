/** What the Train / Pause / Step / Reset buttons do, against the worker and the two stores. */
import { useCallback, useRef } from 'react';
import type { GraphDocument } from '../../engine/graph/document';
import { formatError } from '../../engine/graph/errors';
import { useEditorStore } from '../store/context';
import { useTrainingHandle } from './TrainingContext';

/** Same graph and settings except the learning rate, which a running program can take live. */
function onlyLrChanged(a: GraphDocument, b: GraphDocument): boolean {
  return a.nodes === b.nodes && a.edges === b.edges && JSON.stringify({ ...a.training, lr: 0 }) === JSON.stringify({ ...b.training, lr: 0 });
}

export function useTrainingCommands() {
  const editor = useEditorStore();
  const { store, client } = useTrainingHandle();
  const compiled = useRef<GraphDocument | undefined>(undefined);

  const compile = useCallback(async (): Promise<boolean> => {
    const doc = editor.getState().doc;
    store.getState().patch({ busy: true, error: undefined });
    try {
      const report = await client().api.compile(doc);
      // After the reply: the worker sends a stopped run's last events before it, so none land after this.
      store.getState().clear();
      store.getState().patch({ backend: report.backend, busy: false });
      if (!report.ok) {
        const first = report.errors[0];
        store.getState().patch({ error: { code: 'compile', message: first ? formatError(first) : 'the graph cannot be compiled', ...(first?.node ? { node: first.node } : {}) } });
        return false;
      }
      compiled.current = doc;
      return true;
    } catch (e) {
      store.getState().patch({ busy: false, error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } });
      return false;
    }
  }, [editor, store, client]);

  /** Compile unless the compiled program is still the current document (a changed lr is applied live). */
  const ensureCompiled = useCallback(async (): Promise<boolean> => {
    const doc = editor.getState().doc;
    const state = store.getState().status.state;
    if (compiled.current && (state === 'paused' || state === 'running')) {
      if (compiled.current === doc) return true;
      if (onlyLrChanged(compiled.current, doc)) {
        await client().api.setLearningRate(doc.training.lr);
        compiled.current = doc;
        return true;
      }
    }
    return compile();
  }, [editor, store, client, compile]);

  return {
    train: useCallback(async () => {
      if (await ensureCompiled()) await client().train();
    }, [ensureCompiled, client]),
    pause: useCallback(() => client().api.pause(), [client]),
    step: useCallback(async () => {
      if (await ensureCompiled()) await client().api.step(1);
    }, [ensureCompiled, client]),
    reset: useCallback(async () => {
      compiled.current = undefined;
      await client().api.stop();
      store.getState().clear();
    }, [client, store]),
    restartWorker: useCallback(() => {
      compiled.current = undefined;
      client().restart();
      store.getState().clear();
      store.getState().patch({ failure: undefined, busy: false });
    }, [client, store]),
  };
}
