/**
 * The stores on the one database, each the narrow interface its user needs: the autosave's text by
 * key, the dashboard's runs, uploaded datasets, the tuner's choices. They know nothing of what the
 * records mean (that lives with their users); every failure is a StorageError.
 */
import type { IDBPDatabase, IDBPTransaction } from 'idb';
import { toStorageError } from './errors';
import type { StudioDatabase } from './database';
import { STORES, type StoreName } from './schema';

/** Text by key (the autosave's KeyValue). */
export interface TextStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

/** Records keyed by `id`, listed oldest `created` first (the dashboard's RunStorage). */
export interface RunRecords<T extends { readonly id: string; readonly created: number }> {
  list(): Promise<T[]>;
  put(run: T): Promise<void>;
  delete(id: string): Promise<void>;
}

/** Records keyed by `name` (the worker's UploadStore). */
export interface NamedRecords<T extends { readonly name: string }> {
  get(name: string): Promise<T | undefined>;
  put(record: T): Promise<void>;
}

const fail = (e: unknown): never => {
  throw toStorageError(e);
};

/**
 * Writes in one readwrite transaction and resolves once it commits. The transaction starts
 * synchronously when the connection is open (a write asked for in `pagehide` is sent before the page
 * goes), and a write the browser refuses at once (a thrown QuotaExceededError) rejects like one it aborts.
 */
function write(database: StudioDatabase, store: StoreName, body: (tx: IDBPTransaction<unknown, [StoreName], 'readwrite'>) => void): Promise<void> {
  const start = (db: IDBPDatabase) => {
    const tx = db.transaction(store, 'readwrite');
    const done = tx.done;
    try {
      body(tx);
    } catch (e) {
      done.catch(() => {}); // the abort below rejects it; the thrown error is the one to report
      try {
        tx.abort();
      } catch {
        // Already finished.
      }
      throw e;
    }
    // Ask for the commit now rather than when the page next idles (which an unloading page never does).
    try {
      tx.commit();
    } catch {
      // Already committing or aborted: `done` says which.
    }
    return done;
  };
  try {
    const db = database.current;
    if (db !== undefined) return start(db).catch(fail);
  } catch (e) {
    return Promise.reject(toStorageError(e));
  }
  return database.open().then(start).catch(fail);
}

/** Swallows a request's own rejection: the transaction's `done` carries the failure. */
const quiet = (p: Promise<unknown>) => void p.catch(() => {});

/** Text by key in `store`. */
function textStore(database: StudioDatabase, store: typeof STORES.documents | typeof STORES.tuning): TextStore {
  return {
    async get(key) {
      try {
        const value: unknown = await (await database.open()).get(store, key);
        return typeof value === 'string' ? value : undefined;
      } catch (e) {
        return fail(e);
      }
    },
    set: (key, value) => write(database, store, (tx) => quiet(tx.store.put(value, key))),
  };
}

/** The autosave's text store ("documents"). */
export const documentStore = (database: StudioDatabase): TextStore => textStore(database, STORES.documents);

/** The dashboard's runs ("runs"). */
export function runStore<T extends { readonly id: string; readonly created: number }>(database: StudioDatabase): RunRecords<T> {
  return {
    async list() {
      try {
        const all = (await (await database.open()).getAll(STORES.runs)) as T[];
        return all.sort((a, b) => a.created - b.created);
      } catch (e) {
        return fail(e);
      }
    },
    put: (run) => write(database, STORES.runs, (tx) => quiet(tx.store.put(run))),
    delete: (id) => write(database, STORES.runs, (tx) => quiet(tx.store.delete(id))),
  };
}

/** Uploaded datasets ("uploads"). */
export function uploadStore<T extends { readonly name: string }>(database: StudioDatabase): NamedRecords<T> {
  return {
    async get(name) {
      try {
        return (await (await database.open()).get(STORES.uploads, name)) as T | undefined;
      } catch (e) {
        return fail(e);
      }
    },
    put: (record) => write(database, STORES.uploads, (tx) => quiet(tx.store.put(record))),
  };
}

/** The tuner's choices ("tuning"): text by key, like the documents. */
export const tuningStore = (database: StudioDatabase): TextStore => textStore(database, STORES.tuning);
