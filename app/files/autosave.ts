/**
 * Autosave: every document change is written to a KeyValue (IndexedDB in the page) after a quiet
 * period (or at once when the page is hidden), and the last one is restored on the next visit. An
 * autosave that cannot be read is kept aside, never written over.
 */
import type { GraphDocument } from '../../engine/graph/document';
import type { EditorStore } from '../store/editorStore';
import { clip } from '../../engine/graph/limits';
import { openDocumentText } from './documentFile';
import type { KeyValue, UnloadCopy } from './keyValue';
import type { TabGate } from './otherTabs';
import { applyDismissals, dismiss, listKeys, remember, type ReminderList } from './autosaveLists';
import type { HeldEdits } from './autosaveHeld';
import { storageProblemOf, storageProblemText } from '../storage/errors';
import { recoverDocument, type Recovered } from './recover';

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

/** How autosave reports its writes: a failure with its error, then `undefined` once a write works again. */
export type AutosaveReport = (failure: unknown) => void;

/** The page's events autosave listens to (window and document in the browser; stand-ins in tests). */
export interface PageEvents {
  readonly window: EventTarget;
  readonly document: EventTarget & { readonly visibilityState: string };
}

export interface AutosaveOptions {
  delayMs?: number;
  /** Told of each failed write, and (with undefined) of the first write that works after one. */
  report?: AutosaveReport;
  /** Where to listen for `pagehide` and `visibilitychange`: a pending write is made at once then. */
  page?: PageEvents;
  /** Where a write made as the page goes is also copied synchronously (it may end before IndexedDB commits). */
  unloadCopy?: UnloadCopy;
  /** Other tabs on the same autosave: no write while one's save waits for the person's choice; each write announced. */
  tabs?: TabGate;
  /** Where this tab's version is kept aside when the page is hidden or goes while `tabs` waits for the choice. */
  held?: HeldEdits;
}

/**
 * Writes the store's document to `storage` after each burst of changes, and at once when the page
 * is hidden or unloaded (so the last edits before a reload are kept); returns a stop function.
 */
export function startAutosave(store: EditorStore, storage: KeyValue, options: AutosaveOptions = {}): () => void {
  const { delayMs = AUTOSAVE_DELAY_MS, report, page, unloadCopy, tabs, held } = options;
  let failing = false;
  /** The text of the write made as the page went, while it is only in the unload copy. */
  let copied: string | undefined;
  let leaving = false;
  const write = debounce((doc: GraphDocument) => {
    // Another tab saved while this one had edits: writing now would drop that tab's edit unseen.
    if (tabs !== undefined && !tabs.canWrite()) return;
    const text = JSON.stringify(doc);
    if (leaving && unloadCopy?.write(text)) copied = text;
    let written: Promise<void>;
    try {
      written = storage.set(AUTOSAVE_KEY, text);
    } catch (e) {
      written = Promise.reject(e);
    }
    written.then(
      () => {
        if (copied === text) {
          copied = undefined;
          unloadCopy?.clear();
        }
        tabs?.written(doc, text);
        held?.release();
        if (failing) {
          failing = false;
          report?.(undefined);
        }
        // A newer change may be waiting; only then is the state still pending.
        if (store.getState().doc === doc) store.getState().setSaveState('saved');
      },
      (error: unknown) => {
        failing = true;
        store.getState().setSaveState('failed');
        report?.(error ?? new Error('unknown storage error'));
      },
    );
  }, delayMs);
  if (tabs !== undefined) tabs.retry = () => write.schedule(store.getState().doc);
  const unsubscribe = store.subscribe((state, prev) => {
    if (state.doc === prev.doc) return;
    if (state.saveState !== 'pending') state.setSaveState('pending');
    write.schedule(state.doc);
  });
  const flush = () => {
    if (tabs !== undefined && !tabs.canWrite()) {
      // Waiting for the two-tab choice, which may never be made now: keep this tab's version aside.
      write.cancel();
      held?.hold(JSON.stringify(store.getState().doc));
      return;
    }
    leaving = true;
    write.flush();
    leaving = false;
  };
  const onVisibility = () => {
    if (page?.document.visibilityState === 'hidden') flush();
  };
  page?.window.addEventListener('pagehide', flush);
  page?.document.addEventListener('visibilitychange', onVisibility);
  return () => {
    unsubscribe();
    page?.window.removeEventListener('pagehide', flush);
    page?.document.removeEventListener('visibilitychange', onVisibility);
    write.flush();
  };
}

/** Why autosave failed, in words, and what to do about it (shown under the title "Autosave failed"). */
export function autosaveFailureText(error: unknown): string {
  const problem = storageProblemOf(error);
  const keep = 'Your graph is still open here, but a reload would lose the latest changes';
  switch (problem) {
    case 'full':
      return (
        "The browser's storage is full — download the document (Save, or Download graph below) or free space " +
        `(this site's uploaded datasets, or other sites' data). ${keep}; autosave tries again with your next edit.`
      );
    case 'blocked':
    case 'outdated':
      return `${storageProblemText(problem)}. ${keep}: download it to keep it.`;
    default: {
      const message = error instanceof Error ? error.message : String(error);
      const why = problem === 'refused' ? storageProblemText('refused') : `The browser said: ${clip(message, 120)}`;
      return `${why}. ${keep}. Download it to keep it; autosave tries again with your next edit.`;
    }
  }
}

/** Where an autosave that could not be read is kept: its own key, never written over. */
export const UNREADABLE_PREFIX = 'autosave/unreadable/';
/** The kept copies the person has not dismissed yet (a JSON list of keys): offered again on every visit. */
export const PENDING_KEY = 'autosave/unreadable-pending';
const UNREADABLE_LIST: ReminderList = { key: PENDING_KEY, prefix: UNREADABLE_PREFIX };

/** What a visit opens on, from what autosave kept. */
export type Restored =
  /** Nothing was saved: open the default. */
  | { readonly kind: 'none' }
  | { readonly kind: 'restored'; readonly doc: GraphDocument }
  /** Something was saved that cannot be opened as it is. */
  | {
      readonly kind: 'unreadable';
      /** The saved text, exactly as it was stored. */
      readonly text: string;
      /** Why it cannot be opened (bounded, quotes clipped). */
      readonly reason: string;
      /** The key it is kept under, or undefined when keeping a copy failed (then autosave must not write). */
      readonly keptAs: string | undefined;
      /** What could be opened from it, if anything. */
      readonly recovered: Recovered | undefined;
      /** Kept on an earlier visit and not dismissed since (this visit opened something else). */
      readonly earlier: boolean;
    }
  /** The storage could not be read at all; whatever it holds must not be written over. */
  | { readonly kind: 'unavailable'; readonly reason: string };

/**
 * The autosaved document, through the same gate as an opened file. An autosave that cannot be read
 * is copied to a key of its own (UNREADABLE_PREFIX + time) before anything else happens, and what
 * can be salvaged from it is offered.
 */
export async function restoreAutosave(storage: KeyValue, now: Date = new Date(), unloadCopy?: UnloadCopy): Promise<Restored> {
  const copy = unloadCopy?.read();
  if (copy !== undefined) {
    // The last visit went before its final write committed: that copy is the newest autosave.
    const read = openDocumentText(copy, 'the autosaved graph');
    if (read.ok) {
      try {
        await storage.set(AUTOSAVE_KEY, copy);
        unloadCopy?.clear();
      } catch {
        // Kept in the copy, which is read first again next time.
      }
      return { kind: 'restored', doc: read.doc };
    }
    unloadCopy?.clear();
  }
  let text: string | undefined;
  try {
    text = await storage.get(AUTOSAVE_KEY);
  } catch (e) {
    return { kind: 'unavailable', reason: clip(e instanceof Error ? e.message : String(e), 200) };
  }
  if (text === undefined) return { kind: 'none' };
  const read = openDocumentText(text, 'the autosaved graph');
  if (read.ok) return { kind: 'restored', doc: read.doc };
  let keptAs: string | undefined;
  try {
    const stamp = now.toISOString();
    for (let n = 0; n < 100 && keptAs === undefined; n++) {
      const key = `${UNREADABLE_PREFIX}${stamp}${n === 0 ? '' : `-${n}`}`;
      if ((await storage.get(key)) !== undefined) continue;
      await storage.set(key, text);
      keptAs = key;
    }
  } catch {
    keptAs = undefined;
  }
  if (keptAs !== undefined) {
    try {
      await remember(storage, UNREADABLE_LIST, keptAs);
    } catch {
      // The copy is kept; only the reminder on later visits is lost.
    }
  }
  return { kind: 'unreadable', text, reason: read.message, keptAs, recovered: recoverDocument(text, now), earlier: false };
}

/**
 * The newest kept copy not yet dismissed, to offer again on a visit that opened something else, after
 * moving into storage the dismissals a reload cut short (`dismissed`, the synchronous copy); never throws.
 */
export async function earlierUnreadable(storage: KeyValue, dismissed?: UnloadCopy): Promise<Extract<Restored, { kind: 'unreadable' }> | undefined> {
  await applyDismissals(storage, [UNREADABLE_LIST], dismissed);
  try {
    const keys = await listKeys(storage, UNREADABLE_LIST, dismissed);
    for (const key of keys.reverse()) {
      const text = await storage.get(key);
      if (text === undefined) continue;
      const read = openDocumentText(text, 'an earlier autosave');
      return { kind: 'unreadable', text, reason: read.ok ? 'It can be opened now.' : read.message, keptAs: key, recovered: undefined, earlier: true };
    }
  } catch {
    // Nothing to offer.
  }
  return undefined;
}

/**
 * Stops offering the kept copy under `key`; the copy itself stays. With `dismissed` (a synchronous
 * Web Storage copy), the dismissal is recorded there before this returns, so a reload in the same
 * instant does not offer it again.
 */
export function dismissUnreadable(storage: KeyValue, key: string, dismissed?: UnloadCopy): Promise<void> {
  return dismiss(storage, UNREADABLE_LIST, key, dismissed);
}
