/**
 * The connection to Wiregrad's one database (schema.ts), opened on first use, from the page or the
 * worker. It upgrades an older layout through the migrations, copies the old separate databases in
 * (legacy.ts), and handles the other tabs: a tab holding an older version open blocks the upgrade
 * (reported at once, as 'blocked'); a newer version opened elsewhere makes this connection close
 * (so that tab is not blocked) and report 'outdated'. Every failure is a StorageError.
 */
import { wrap, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { StorageError, storageProblemText, toStorageError } from './errors';
import { importLegacyDatabases } from './legacy';
import { DATABASE, migrate, VERSION } from './schema';

export interface StorageOptions {
  /** The IndexedDB to use: the browser's by default; fake-indexeddb's in tests. */
  factory?: IDBFactory;
  /** The database's name (tests give each case its own). */
  name?: string;
  /** Told at once when another tab blocks or outdates this one, before any write fails on it. */
  onProblem?: (error: StorageError) => void;
}

/** One connection to the database, opened lazily and shared by the stores made on it. */
export interface StudioDatabase {
  /** The open connection (migrated, legacy data imported); rejects with a StorageError. */
  open(): Promise<IDBPDatabase>;
  /** The connection if it is open right now: a write asked for as the page goes must start synchronously. */
  readonly current: IDBPDatabase | undefined;
  /** Closes the connection (tests; a later `open` connects again). */
  close(): void;
}

export function openStudioDatabase(options: StorageOptions = {}): StudioDatabase {
  const factory = options.factory ?? (globalThis.indexedDB as IDBFactory | undefined);
  const name = options.name ?? DATABASE;
  const report = (e: StorageError) => {
    options.onProblem?.(e);
    return e;
  };
  let connection: IDBPDatabase | undefined;
  let opening: Promise<IDBPDatabase> | undefined;
  /** An open request that another tab blocks: it still completes once that tab lets go. */
  let blocked = false;
  /** Another tab upgraded the database past this code's version: opening again can only fail. */
  let outdated = false;

  const connected = async (raw: IDBDatabase): Promise<IDBPDatabase> => {
    const db = wrap(raw);
    raw.addEventListener('versionchange', (event) => {
      // Let the other tab upgrade (or delete) rather than block it; this tab reports why it stopped writing.
      raw.close();
      if (connection === db) connection = undefined;
      opening = undefined;
      if (event.newVersion !== null) {
        outdated = true;
        report(new StorageError('outdated', storageProblemText('outdated')));
      }
    });
    try {
      await importLegacyDatabases(db, factory!);
    } catch {
      // The old databases stay queued and are tried again on the next visit; nothing in them is lost.
    }
    return (connection = db);
  };

  const connect = () =>
    new Promise<IDBPDatabase>((resolve, reject) => {
      if (factory === undefined) {
        reject(new StorageError('refused', 'this browser offers no IndexedDB, so nothing can be kept between visits'));
        return;
      }
      let request: IDBOpenDBRequest;
      try {
        request = factory.open(name, VERSION);
      } catch (e) {
        reject(toStorageError(e));
        return;
      }
      let settled = false;
      const settle = (f: () => void) => {
        if (!settled) f();
        settled = true;
      };
      let upgradeFailure: unknown;
      request.onupgradeneeded = (event) => {
        const tx = wrap(request.transaction!) as unknown as IDBPTransaction<unknown, string[], 'versionchange'>;
        migrate(wrap(request.result), tx, event.oldVersion).catch((e: unknown) => (upgradeFailure = e));
      };
      request.onblocked = () => {
        blocked = true;
        settle(() => reject(report(new StorageError('blocked', storageProblemText('blocked')))));
      };
      request.onsuccess = () => {
        blocked = false;
        connected(request.result).then(
          (db) => settle(() => resolve(db)),
          (e: unknown) => settle(() => reject(toStorageError(e))),
        );
      };
      request.onerror = (event) => {
        event.preventDefault();
        blocked = false;
        settle(() => reject(toStorageError(upgradeFailure ?? request.error)));
      };
    });

  return {
    open() {
      if (connection !== undefined) return Promise.resolve(connection);
      if (outdated) return Promise.reject(new StorageError('outdated', storageProblemText('outdated')));
      if (blocked) return Promise.reject(new StorageError('blocked', storageProblemText('blocked')));
      opening ??= connect().catch((e: unknown) => {
        opening = undefined; // tried again next time
        throw e;
      });
      return opening;
    },
    get current() {
      return connection;
    },
    close() {
      connection?.close();
      connection = undefined;
      opening = undefined;
    },
  };
}
