/**
 * What the run buttons do, against the worker's session (DESIGN.md, "The training session"): the
 * page opens a document as a run, sends later versions with update(), and the worker says what it
 * did with each. A restart happens only from a button that says so.
 */
import { useCallback } from 'react';
import type { GraphDocument } from '../../engine/graph/document';
import { formatError } from '../../engine/graph/errors';
import type { CompileReport, UpdateReport } from '../../workers/types';
import { useEditorStore } from '../store/context';
import { useTrainingHandle } from './TrainingContext';
import { runAction } from './runAction';

export function useTrainingCommands() {
  const editor = useEditorStore();
  const { store, client } = useTrainingHandle();

  /** Show a compile's outcome; true when the document compiled. */
  const settle = useCallback(
    (doc: GraphDocument, report: CompileReport, clear: boolean): boolean => {
      if (clear) store.getState().clear();
      store.getState().patch({ backend: report.backend, busy: false });
      if (!report.ok) {
        const first = report.errors[0];
        store.getState().patch({
          error: { code: 'compile', message: first ? formatError(first) : 'the graph cannot be compiled', ...(first?.node ? { node: first.node } : {}) },
        });
        store.getState().setCompiled(undefined);
        return false;
      }
      store.getState().setCompiled(doc);
      return true;
    },
    [store],
  );

  const run = useCallback(
    async <T>(f: () => Promise<T>): Promise<T | undefined> => {
      store.getState().patch({ busy: true, error: undefined });
      try {
        return await f();
      } catch (e) {
        store.getState().patch({ error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } });
        return undefined;
      } finally {
        store.getState().patch({ busy: false });
      }
    },
    [store],
  );

  /** A new run of the canvas's document from fresh weights. */
  const open = useCallback(
    async (restart: boolean): Promise<boolean> => {
      const doc = editor.getState().doc;
      const report = await run(() => (restart ? client().api.restart(doc) : client().api.open(doc)));
      // After the reply: the worker sends a stopped run's last events before it, so none land after this.
      return report ? settle(doc, report, true) : false;
    },
    [editor, client, run, settle],
  );

  /** Send the canvas's document to the running session; false when the run cannot take it. */
  const sync = useCallback(async (): Promise<boolean> => {
    const doc = editor.getState().doc;
    const report = await client().api.update(doc);
    return applyReport(store, doc, report);
  }, [editor, client, store]);

  /** Bring the session up to the canvas's document as the Train button says, then `go`. */
  const prepare = useCallback(async (): Promise<boolean> => {
    const s = store.getState();
    const action = runAction(s.status.state, s.compiled, editor.getState().doc);
    if (action.kind === 'train') return open(false);
    if (action.kind === 'restart') return open(true);
    if ((await run(sync)) ?? false) return true;
    // The worker has no session (it was restarted): this is a new run.
    return store.getState().compiled ? false : open(false);
  }, [store, editor, open, run, sync]);

  return {
    train: useCallback(async () => {
      if (await prepare()) await client().api.train();
    }, [prepare, client]),
    pause: useCallback(() => client().api.pause(), [client]),
    step: useCallback(async () => {
      if (await prepare()) await client().api.step(1);
    }, [prepare, client]),
    /** Fresh weights, a new run (then trained when `train`): only ever from a button that says so. */
    restart: useCallback(
      async (train: boolean) => {
        if ((await open(true)) && train) await client().api.train();
      },
      [open, client],
    ),
    /** A new run from a checkpoint, with the canvas's settings; it starts paused at the checkpoint's step. */
    fork: useCallback(
      async (run: string, step: number) => {
        const doc = editor.getState().doc;
        const report = await client()
          .api.fork(run, step, doc)
          .catch((e: unknown) => {
            store.getState().patch({ error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } });
            return undefined;
          });
        if (report && settle(doc, report, false)) await client().api.train();
      },
      [editor, client, store, settle],
    ),
    rollback: useCallback(
      async (step: number) => {
        await client()
          .api.rollback(step)
          .catch((e: unknown) => store.getState().patch({ error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } }));
      },
      [client, store],
    ),
    /** Live edits while training: the worker applies or refuses them (see useLiveSession). */
    sync,
    restartWorker: useCallback(() => {
      client().restart();
      store.getState().clear();
      store.getState().setCompiled(undefined);
      store.getState().patch({ failure: undefined, busy: false });
    }, [client, store]),
  };
}

/** Record what the worker did with `doc`; false when the run could not take it. */
function applyReport(store: ReturnType<typeof useTrainingHandle>['store'], doc: GraphDocument, report: UpdateReport): boolean {
  const s = store.getState();
  switch (report.applied) {
    case 'none':
    case 'live':
    case 'hot':
      s.setCompiled(doc);
      s.patch({ refused: undefined, error: undefined });
      return true;
    case 'restart-needed':
    case 'invalid':
      s.patch({ refused: report });
      return false;
    case 'no-session':
      s.setCompiled(undefined);
      return false;
    default:
      return report.applied satisfies never;
  }
}
