/**
 * Autosave: every document change is written to a KeyValue (IndexedDB in the page) after a quiet
 * period, and the last one is restored on the next visit.
 */
import type { GraphDocument } from '../../engine/graph/document';
import type { EditorStore } from '../store/editorStore';
import { readGraphFile } from './documentFile';
import type { KeyValue } from './keyValue';

/** The key the document is kept under. */
export const AUTOSAVE_KEY = 'autosave/document';
/** Quiet period before a write, so a burst of edits is written once. */
export const AUTOSAVE_DELAY_MS = 300;

/** Calls `run` with the latest value once `delayMs` pass without a new one. */
export function debounce<T>(run: (value: T) => void, delayMs: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: { value: T } | undefined;
  const fire = () => {
    timer = undefined;
    if (pending === undefined) return;
    const { value } = pending;
    pending = undefined;
    run(value);
  };
  return {
    schedule(value: T) {
      pending = { value };
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(fire, delayMs);
    },
    /** Runs a scheduled call now. */
    flush() {
      if (timer !== undefined) clearTimeout(timer);
      fire();
    },
    cancel() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      pending = undefined;
    },
  };
}

/** Writes the store's document to `storage` after each burst of changes; returns a stop function. */
export function startAutosave(store: EditorStore, storage: KeyValue, delayMs = AUTOSAVE_DELAY_MS): () => void {
  const write = debounce((doc: GraphDocument) => {
    storage.set(AUTOSAVE_KEY, JSON.stringify(doc)).then(
      () => {
        // A newer change may be waiting; only then is the state still pending.
        if (store.getState().doc === doc) store.getState().setSaveState('saved');
      },
      () => store.getState().setSaveState('failed'),
    );
  }, delayMs);
  const unsubscribe = store.subscribe((state, prev) => {
    if (state.doc === prev.doc) return;
    if (state.saveState !== 'pending') state.setSaveState('pending');
    write.schedule(state.doc);
  });
  return () => {
    unsubscribe();
    write.flush();
  };
}

/** The autosaved document, or undefined when there is none or it can no longer be read. */
export async function restoreAutosave(storage: KeyValue): Promise<GraphDocument | undefined> {
  let text: string | undefined;
  try {
    text = await storage.get(AUTOSAVE_KEY);
  } catch {
    return undefined;
  }
  if (text === undefined) return undefined;
  const read = readGraphFile(text, 'autosave');
  return read.ok ? read.doc : undefined;
}
