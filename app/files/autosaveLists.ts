/**
 * The reminder lists autosave keeps beside the document: keys of copies to offer again on the next
 * visit (an unreadable autosave, a tab's edits held while it waited for the two-tab choice), and
 * their dismissal. A dismissal is first written synchronously to a Web Storage copy (as the unload
 * copy is), so a reload in the same instant, before IndexedDB commits, does not offer the copy again.
 */
import type { KeyValue, UnloadCopy } from './keyValue';

/** One reminder list: the key it is stored under, and the prefix its entries' keys must have. */
export interface ReminderList {
  readonly key: string;
  readonly prefix: string;
}

/** The keys dismissed but perhaps not yet in IndexedDB (the dismissal copy holds a JSON list). */
export function dismissedKeys(copy: UnloadCopy | undefined): Set<string> {
  try {
    const list: unknown = JSON.parse(copy?.read() ?? '[]');
    return new Set(Array.isArray(list) ? list.filter((k): k is string => typeof k === 'string') : []);
  } catch {
    return new Set();
  }
}

/** The list's keys, oldest first, without any dismissed in the copy; never throws. */
export async function listKeys(storage: KeyValue, list: ReminderList, dismissed?: UnloadCopy): Promise<string[]> {
  const gone = dismissedKeys(dismissed);
  try {
    const keys: unknown = JSON.parse((await storage.get(list.key)) ?? '[]');
    return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string' && k.startsWith(list.prefix) && !gone.has(k)) : [];
  } catch {
    return [];
  }
}

/** Adds `key` to the list (once). */
export async function remember(storage: KeyValue, list: ReminderList, key: string): Promise<void> {
  const keys = await listKeys(storage, list);
  if (!keys.includes(key)) await storage.set(list.key, JSON.stringify([...keys, key]));
}

/** Removes `key` from the list. */
export async function forget(storage: KeyValue, list: ReminderList, key: string): Promise<void> {
  const keys = await listKeys(storage, list);
  if (keys.includes(key)) await storage.set(list.key, JSON.stringify(keys.filter((k) => k !== key)));
}

/**
 * Stops offering `key`: synchronously in the dismissal copy (before this returns its promise), then
 * in storage; the copy is cleared once storage has it.
 */
export function dismiss(storage: KeyValue, list: ReminderList, key: string, copy?: UnloadCopy): Promise<void> {
  const copied = copy !== undefined && copy.write(JSON.stringify([...dismissedKeys(copy), key]));
  return forget(storage, list, key).then(() => {
    if (!copied) return;
    const left = [...dismissedKeys(copy)].filter((k) => k !== key);
    if (left.length === 0) copy.clear();
    else copy.write(JSON.stringify(left));
  });
}

/** Moves the dismissals a reload cut short into storage, then clears the copy; never throws. */
export async function applyDismissals(storage: KeyValue, lists: readonly ReminderList[], copy: UnloadCopy | undefined): Promise<void> {
  const gone = dismissedKeys(copy);
  if (gone.size === 0) return;
  try {
    for (const list of lists) for (const key of gone) if (key.startsWith(list.prefix)) await forget(storage, list, key);
    copy?.clear();
  } catch {
    // The copy stays and keeps filtering the lists until a later visit moves it.
  }
}
