/**
 * Keeps the worker's session on the canvas's document: while a run trains, every edit is sent (at
 * once after a quiet spell, a burst together) and applied live or as a hot edit without pausing;
 * opening another document ends the page's view of the run (the run stays in the dashboard's run list) and leaves a clean panel; an
 * error on a node disappears with the node.
 */
import { useEffect } from 'react';
import { useEditorStore } from '../store/context';
import { useTrainingHandle } from './TrainingContext';

/**
 * An edit after a quiet spell is sent at once (a value committed with Enter reaches the run without
 * delay); edits that follow it within this long (a drag, several wires) go together this long after
 * the last of them.
 */
export const UPDATE_DEBOUNCE_MS = 150;

export function useLiveSession(sync: () => Promise<boolean>): void {
  const editor = useEditorStore();
  const { store, client } = useTrainingHandle();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let sending = false;
    let again = false;
    let lastEdit = -Infinity;
    const send = async () => {
      timer = undefined;
      if (sending) {
        again = true;
        return;
      }
      sending = true;
      try {
        if (store.getState().status.state === 'running' && store.getState().compiled) await sync().catch(() => false);
      } finally {
        sending = false;
        if (again) {
          again = false;
          void send();
        }
      }
    };
    const unsubscribe = editor.subscribe((s, prev) => {
      if (s.doc === prev.doc) return;
      // An error on a node goes with the node.
      const { error, refused } = store.getState();
      const gone = (node: string | undefined) => node !== undefined && !s.doc.nodes.some((n) => n.id === node);
      if (gone(error?.node)) store.getState().patch({ error: undefined });
      if (refused && refused.errors.some((e) => gone(e.node))) store.getState().patch({ refused: undefined });
      // A document replaced whole (a template, a file, New) arrives with a fit request: another graph.
      if (s.fitRequest !== prev.fitRequest && store.getState().compiled) {
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
        const forget = () => {
          store.getState().clear();
          store.getState().setCompiled(undefined);
        };
        forget();
        // Again after the reply: the run's last events come before it.
        void client().api.close().then(forget, forget);
        return;
      }
      if (store.getState().status.state !== 'running') return;
      const now = performance.now();
      const quiet = now - lastEdit >= UPDATE_DEBOUNCE_MS && timer === undefined;
      lastEdit = now;
      if (quiet) return void send();
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => void send(), UPDATE_DEBOUNCE_MS);
    });
    return () => {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [editor, store, client, sync]);
}
