/**
 * The one IndexedDB database Wiregrad keeps in a browser, and the ordered, named migrations that
 * build it. Each migration runs once, inside the upgrade transaction, when a browser holds an older
 * version (0 for a first visit); a fixture of the older layout in schema.test.ts proves each.
 */
import type { IDBPDatabase, IDBPTransaction } from 'idb';

/** The database's name: the autosave's database since version 1, so upgrading it keeps the document. */
export const DATABASE = 'wiregrad';

/** The object stores of the current version. */
export const STORES = {
  /** Autosave: the document, kept unreadable copies, reminder lists (string values, string keys). */
  documents: 'documents',
  /** Dashboard runs, keyed by their `id`. */
  runs: 'runs',
  /** Uploaded datasets, keyed by their `name`. */
  uploads: 'uploads',
  /** The GEMM variants the WebGPU tuner chose per adapter (string values, string keys). */
  tuning: 'tuning',
  /** The storage layer's own records (legacy imports still to do). */
  meta: 'meta',
} as const;

export type StoreName = (typeof STORES)[keyof typeof STORES];

/** A database of any schema version, as migrations see it. */
type Database = IDBPDatabase<unknown>;
type Upgrade = IDBPTransaction<unknown, string[], 'versionchange'>;

/** One schema step: `version` is the database version it brings the browser to. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** `from` is the version the browser held before this upgrade began (0 on a first visit). */
  up(db: Database, tx: Upgrade, from: number): Promise<void> | void;
}

/** The meta key listing the databases of earlier versions whose records are still to be copied in (legacy.ts). */
export const LEGACY_PENDING = 'legacy-imports-pending';

/** The databases earlier versions kept beside the autosave's, and where their records go. */
export const LEGACY_DATABASES = [
  { database: 'wiregrad-runs', store: 'runs', into: STORES.runs },
  { database: 'wiregrad-datasets', store: 'uploads', into: STORES.uploads },
  { database: 'wiregrad-tuning', store: 'choices', into: STORES.tuning },
] as const;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'autosave key-value store "kv"',
    up: (db) => void db.createObjectStore('kv'),
  },
  {
    version: 2,
    name: 'one database: "kv" becomes "documents"; runs, uploads, tuning and meta stores; the other databases queued for import',
    async up(db, tx, from) {
      db.createObjectStore(STORES.documents);
      db.createObjectStore(STORES.runs, { keyPath: 'id' });
      db.createObjectStore(STORES.uploads, { keyPath: 'name' });
      db.createObjectStore(STORES.tuning);
      db.createObjectStore(STORES.meta);
      const kv = tx.objectStore('kv');
      const [keys, values] = await Promise.all([kv.getAllKeys(), kv.getAll()]);
      const documents = tx.objectStore(STORES.documents);
      await Promise.all(keys.map((key, i) => documents.put(values[i], key)));
      db.deleteObjectStore('kv');
      // Other databases cannot be read inside this transaction (it commits when only their requests are left).
      // A first visit (no version-1 database) has none to import: it writes nothing, so even a full disk opens.
      if (from >= 1)
        await tx.objectStore(STORES.meta).put(
          LEGACY_DATABASES.map((l) => l.database),
          LEGACY_PENDING,
        );
    },
  },
];

/** The version this code opens: the last migration's. */
export const VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/**
 * Runs every migration above `oldVersion`, in order, inside the upgrade transaction; a failure aborts
 * the transaction (the browser keeps the old version untouched) and is returned by the promise.
 */
export async function migrate(db: Database, tx: Upgrade, oldVersion: number, migrations: readonly Migration[] = MIGRATIONS): Promise<void> {
  tx.done.catch(() => {}); // an abort is reported through the open request (and this promise)
  for (const m of migrations) {
    if (m.version <= oldVersion) continue;
    try {
      await m.up(db, tx, oldVersion);
    } catch (e) {
      try {
        tx.abort();
      } catch {
        // Already aborted by the failed request.
      }
      throw new Error(`storage migration to version ${m.version} (${m.name}) failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }
}
