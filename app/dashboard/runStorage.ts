/**
 * Where finished and live runs are kept between visits: one IndexedDB object store of run records
 * (its own database, so it never races the document autosave's schema), or a Map in tests.
 */
import type { Run } from './runs';

export interface RunStorage {
  /** Every stored run, oldest first. */
  list(): Promise<Run[]>;
  put(run: Run): Promise<void>;
  delete(id: string): Promise<void>;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

const byCreated = (a: Run, b: Run) => a.created - b.created;

/** Runs in IndexedDB database `dbName`, object store "runs" keyed by run id. */
export function openRunStorage(dbName = 'wiregrad-runs'): RunStorage {
  let db: Promise<IDBDatabase> | undefined;
  const open = () =>
    (db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(dbName, 1);
      req.onupgradeneeded = () => req.result.createObjectStore('runs', { keyPath: 'id' });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'));
      req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
    }).catch((e: unknown) => {
      db = undefined; // a failed open is tried again next time
      throw e;
    }));
  const runs = async (mode: IDBTransactionMode) => (await open()).transaction('runs', mode).objectStore('runs');
  return {
    async list() {
      const all = (await request((await runs('readonly')).getAll())) as Run[];
      return all.sort(byCreated);
    },
    async put(run) {
      await request((await runs('readwrite')).put(run));
    },
    async delete(id) {
      await request((await runs('readwrite')).delete(id));
    },
  };
}

/** Runs in a Map (tests, and browsers without IndexedDB). Stores copies, as IndexedDB would. */
export function memoryRunStorage(): RunStorage & { readonly size: number } {
  const map = new Map<string, Run>();
  return {
    list: async () => [...map.values()].map((r) => structuredClone(r)).sort(byCreated),
    put: async (run) => void map.set(run.id, structuredClone(run)),
    delete: async (id) => void map.delete(id),
    get size() {
      return map.size;
    },
  };
}
