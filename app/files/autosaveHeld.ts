/**
 * A tab waiting for the two-tab choice (otherTabs.ts) writes nothing to the autosave. When such a tab
 * is hidden or closed with the choice unmade, its version is kept aside instead — synchronously in a
 * Web Storage copy (the page may end before IndexedDB commits) and then as a record of its own — and
 * the next visit offers it: open, download or dismiss. It is never dropped silently.
 */
import type { GraphDocument } from '../../engine/graph/document';
import { openDocumentText } from './documentFile';
import { applyDismissals, dismiss, forget, listKeys, remember, type ReminderList } from './autosaveLists';
import type { KeyValue, UnloadCopy } from './keyValue';

/** Where a held version is stored: its own key, under this prefix. */
export const HELD_PREFIX = 'autosave/held/';
/** The held versions not yet opened or dismissed (a JSON list of keys). */
export const HELD_LIST: ReminderList = { key: 'autosave/held-pending', prefix: HELD_PREFIX };

/** What autosave calls while a tab waits for the choice (startAutosave's `held` option). */
export interface HeldEdits {
  /** Keeps `text` aside now: the copy synchronously, storage after. */
  hold(text: string): void;
  /** This tab's version is settled (written as the autosave, or dropped by the person's choice): stop offering it. */
  release(): void;
}

/** The copy's content: held key → text, for each tab that went with its choice unmade. */
function readCopy(copy: UnloadCopy | undefined): Record<string, string> {
  try {
    const map: unknown = JSON.parse(copy?.read() ?? '{}');
    if (typeof map !== 'object' || map === null || Array.isArray(map)) return {};
    return Object.fromEntries(Object.entries(map).filter(([k, v]) => k.startsWith(HELD_PREFIX) && typeof v === 'string')) as Record<string, string>;
  } catch {
    return {};
  }
}

function writeCopy(copy: UnloadCopy, map: Record<string, string>) {
  if (Object.keys(map).length === 0) copy.clear();
  else copy.write(JSON.stringify(map));
}

/** This tab's held version, under `key` (one per tab visit). */
export function heldEdits(
  storage: KeyValue,
  copy?: UnloadCopy,
  key = `${HELD_PREFIX}${new Date().toISOString()}-${Math.random().toString(36).slice(2, 8)}`,
): HeldEdits {
  let holding = false;
  /** Storage writes in order, so a release never lands before the hold it undoes. */
  let queue: Promise<void> = Promise.resolve();
  const then = (work: () => Promise<void>) => {
    queue = queue.then(work).catch(() => {
      // The synchronous copy still has it; the next visit moves it into storage.
    });
  };
  return {
    hold(text) {
      holding = true;
      if (copy !== undefined) writeCopy(copy, { ...readCopy(copy), [key]: text });
      then(async () => {
        await storage.set(key, text);
        await remember(storage, HELD_LIST, key);
      });
    },
    release() {
      if (!holding) return;
      holding = false;
      if (copy !== undefined) {
        const map = readCopy(copy);
        delete map[key];
        writeCopy(copy, map);
      }
      then(() => forget(storage, HELD_LIST, key));
    },
  };
}

/** A version a tab held when it went, as the next visit offers it. */
export interface Held {
  readonly key: string;
  readonly text: string;
  /** The graph, when it can be opened (undefined: only its download is offered). */
  readonly doc: GraphDocument | undefined;
}

/**
 * The newest held version not yet opened or dismissed, after moving into storage what the copy holds
 * (tabs that went before IndexedDB committed) and the dismissals a reload cut short; never throws.
 */
export async function restoreHeld(storage: KeyValue, copy?: UnloadCopy, dismissed?: UnloadCopy): Promise<Held | undefined> {
  try {
    const copied = readCopy(copy);
    for (const [key, text] of Object.entries(copied)) {
      await storage.set(key, text);
      await remember(storage, HELD_LIST, key);
    }
    if (Object.keys(copied).length > 0) copy?.clear();
  } catch {
    // Left in the copy for the next visit.
  }
  await applyDismissals(storage, [HELD_LIST], dismissed);
  try {
    for (const key of (await listKeys(storage, HELD_LIST, dismissed)).reverse()) {
      const text = await storage.get(key);
      if (text === undefined) continue;
      const read = openDocumentText(text, 'the held graph');
      return { key, text, doc: read.ok ? read.doc : undefined };
    }
  } catch {
    // Nothing to offer.
  }
  return undefined;
}

/** Stops offering the held version under `key` (synchronously in `dismissed` first); the record itself stays. */
export function dismissHeld(storage: KeyValue, key: string, dismissed?: UnloadCopy): Promise<void> {
  return dismiss(storage, HELD_LIST, key, dismissed);
}
