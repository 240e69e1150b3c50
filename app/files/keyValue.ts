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
  const open = () =>
    (db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(dbName, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(storeName);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'));
      req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
    }));
  const objectStore = async (mode: IDBTransactionMode) => (await open()).transaction(storeName, mode).objectStore(storeName);
  return {
    async get(key) {
      const value: unknown = await request((await objectStore('readonly')).get(key));
      return typeof value === 'string' ? value : undefined;
    },
    async set(key, value) {
      await request((await objectStore('readwrite')).put(value, key));
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
