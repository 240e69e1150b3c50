/** A tiny promise-based key-value store over IndexedDB: one database, one object store, string values. */

/** Where autosave keeps its text; an in-memory one stands in for tests. */
export interface KeyValue {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/** Opens (creating if needed) `dbName` with one object store `storeName`. */
export function openKeyValue(dbName = 'wiregrad', storeName = 'kv'): KeyValue {
  let db: Promise<IDBDatabase> | undefined;
  // Once open, writes start synchronously: a write asked for in `pagehide` is sent before the page goes.
  let opened: IDBDatabase | undefined;
  const open = () =>
    (db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(dbName, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(storeName);
      req.onsuccess = () => resolve((opened = req.result));
      req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'));
      req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
    }));
  const objectStore = async (mode: IDBTransactionMode) => (await open()).transaction(storeName, mode).objectStore(storeName);
  const put = (database: IDBDatabase, key: string, value: string) => {
    const tx = database.transaction(storeName, 'readwrite');
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write was aborted'));
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
    });
    tx.objectStore(storeName).put(value, key);
    // Ask for the commit now rather than when the page next idles (which an unloading page never does).
    tx.commit?.();
    return done;
  };
  return {
    async get(key) {
      const value: unknown = await request((await objectStore('readonly')).get(key));
      return typeof value === 'string' ? value : undefined;
    },
    set(key, value) {
      try {
        if (opened !== undefined) return put(opened, key, value);
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
      return open().then((database) => put(database, key, value));
    },
  };
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
