/** Where autosave keeps its text: the "documents" store of the one database (app/storage), or a Map. */
import { openStudioDatabase, type StudioDatabase } from '../storage/database';
import { documentStore, type TextStore } from '../storage/stores';

/** Where autosave keeps its text; an in-memory one stands in for tests. */
export type KeyValue = TextStore;

/** The autosave's store in the browser's database; writes start synchronously once it is open (pagehide). */
export function openKeyValue(database: StudioDatabase = openStudioDatabase()): KeyValue {
  return documentStore(database);
}

/** A KeyValue in a Map, for tests and for browsers without IndexedDB. */
export function memoryKeyValue(initial: Record<string, string> = {}): KeyValue {
  const map = new Map(Object.entries(initial));
  return {
    get: async (key) => map.get(key),
    set: async (key, value) => void map.set(key, value),
  };
}

/**
 * A synchronous copy of the last write asked for while the page goes away. IndexedDB commits
 * asynchronously, and a reload may end the page before it does; Storage (localStorage) writes
 * before `setItem` returns. The copy is read back first on the next visit, then moved into the
 * KeyValue and cleared.
 */
export interface UnloadCopy {
  read(): string | undefined;
  /** Returns false when the copy could not be made (storage full or refused). */
  write(text: string): boolean;
  clear(): void;
}

/** An UnloadCopy in a Web Storage (localStorage in the page), under `key`; never throws. */
export function storageUnloadCopy(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>, key = 'wiregrad/autosave/unload-copy'): UnloadCopy {
  return {
    read() {
      try {
        return storage.getItem(key) ?? undefined;
      } catch {
        return undefined;
      }
    },
    write(text) {
      try {
        storage.setItem(key, text);
        return true;
      } catch {
        return false;
      }
    },
    clear() {
      try {
        storage.removeItem(key);
      } catch {
        // Nothing to do: a copy that stays is only read back as the newest autosave.
      }
    },
  };
}

/** An UnloadCopy in memory, for tests. */
export function memoryUnloadCopy(initial?: string): UnloadCopy & { readonly text: string | undefined } {
  let text = initial;
  return {
    get text() {
      return text;
    },
    read: () => text,
    write: (value) => ((text = value), true),
    clear: () => void (text = undefined),
  };
}
