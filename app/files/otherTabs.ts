/**
 * Two tabs on one autosave: each tab announces the text it saved on a BroadcastChannel (as tldraw
 * does). A tab with no edits of its own since its last save opens the other tab's graph at once;
 * a tab with unsaved edits stops writing and asks which version to keep, so neither tab's edit is
 * ever written over without the person choosing.
 */
import type { GraphDocument } from '../../engine/graph/document';
import type { EditorStore } from '../store/editorStore';
import { openDocumentText } from './documentFile';

/** What a tab tells the others: it saved `text` (the autosaved document). */
export interface TabMessage {
  readonly kind: 'saved';
  /** The sending tab, so a tab ignores its own echo. */
  readonly tab: string;
  readonly text: string;
}

/** A message bus between the tabs of one origin. */
export interface TabChannel {
  post(message: TabMessage): void;
  listen(on: (message: TabMessage) => void): () => void;
}

/** A TabChannel on a BroadcastChannel, or undefined where the browser has none. */
export function broadcastTabChannel(name = 'wiregrad/autosave'): TabChannel | undefined {
  if (typeof BroadcastChannel === 'undefined') return undefined;
  const channel = new BroadcastChannel(name);
  return {
    post: (message) => channel.postMessage(message),
    listen(on) {
      const handler = (e: MessageEvent) => {
        const m = e.data as Partial<TabMessage> | null;
        if (m?.kind === 'saved' && typeof m.tab === 'string' && typeof m.text === 'string') on(m as TabMessage);
      };
      channel.addEventListener('message', handler);
      return () => channel.removeEventListener('message', handler);
    },
  };
}

/** An in-memory hub for tests: each `channel()` is one tab's end; a post reaches every other end, asynchronously. */
export function memoryTabHub() {
  const listeners = new Set<{ from: object; on: (m: TabMessage) => void }>();
  return {
    channel(): TabChannel {
      const self = {};
      return {
        post: (message) => {
          for (const l of [...listeners]) if (l.from !== self) queueMicrotask(() => l.on(structuredClone(message)));
        },
        listen(on) {
          const entry = { from: self, on };
          listeners.add(entry);
          return () => void listeners.delete(entry);
        },
      };
    },
  };
}

/** A graph another tab saved while this tab had edits of its own: shown until the person chooses. */
export interface OtherTabConflict {
  readonly doc: GraphDocument;
}

/** What autosave asks before and tells after each write (startAutosave's `tabs` option). */
export interface TabGate {
  /** False while another tab's save waits for the person's choice. */
  canWrite(): boolean;
  /** Called after `doc` was written as `text`. */
  written(doc: GraphDocument, text: string): void;
  /** Set by autosave: writes the current document now (after "Keep this tab's version"). */
  retry?: () => void;
}

export interface OtherTabs extends TabGate {
  /** Opens the other tab's version here (this tab's unsaved edits are dropped, by choice). */
  takeTheirs(): void;
  /** Keeps this tab's version and saves it (the other tab is then told, and follows if it has no edits). */
  keepMine(): void;
  stop(): void;
}

/** Watches the other tabs for `store`; `onConflict` shows or (with null) hides the choice. */
export function watchOtherTabs(
  store: EditorStore,
  channel: TabChannel,
  onConflict: (conflict: OtherTabConflict | null) => void,
  tab: string = crypto.randomUUID(),
): OtherTabs {
  /** The document as last saved or opened from another tab: any other document holds unsaved edits. */
  let settled = store.getState().doc;
  /** A document opened from another tab: writing it back is no news to announce. */
  let adopted: GraphDocument | undefined;
  let conflict: OtherTabConflict | null = null;
  const setConflict = (next: OtherTabConflict | null) => {
    conflict = next;
    onConflict(next);
  };
  const adopt = (doc: GraphDocument) => {
    if (!store.getState().loadDocument(doc).ok) return;
    settled = adopted = store.getState().doc;
  };
  const unlisten = channel.listen((message) => {
    if (message.tab === tab) return;
    const read = openDocumentText(message.text, "another tab's graph");
    if (!read.ok) return;
    if (store.getState().doc === settled && conflict === null) adopt(read.doc);
    else setConflict({ doc: read.doc });
  });
  const gate: OtherTabs = {
    canWrite: () => conflict === null,
    written(doc, text) {
      settled = doc;
      if (doc === adopted) return;
      channel.post({ kind: 'saved', tab, text });
    },
    takeTheirs() {
      if (conflict === null) return;
      const { doc } = conflict;
      setConflict(null);
      adopt(doc);
    },
    keepMine() {
      if (conflict === null) return;
      setConflict(null);
      gate.retry?.();
    },
    stop: unlisten,
  };
  return gate;
}
