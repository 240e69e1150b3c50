// The migrations, run on fixtures of the layouts earlier versions left in a browser (fake-indexeddb:
// a full IndexedDB in memory, one fresh factory per test).
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { wrap } from 'idb';
import { describe, expect, it } from 'vitest';
import { openStudioDatabase } from './database';
import { LEGACY_PENDING, migrate, STORES, VERSION, type Migration } from './schema';
import { documentStore, runStore, tuningStore, uploadStore } from './stores';

/** Opens `name` at `version` on `factory`, creating stores as an earlier Wiregrad did, and fills them. */
function legacy(
  factory: IDBFactory,
  name: string,
  version: number,
  stores: Record<string, { keyPath?: string; records: [IDBValidKey | undefined, unknown][] }>,
) {
  return new Promise<void>((resolve, reject) => {
    const request = factory.open(name, version);
    request.onupgradeneeded = () => {
      for (const [store, { keyPath }] of Object.entries(stores)) request.result.createObjectStore(store, keyPath === undefined ? undefined : { keyPath });
    };
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const tx = db.transaction(Object.keys(stores), 'readwrite');
      for (const [store, { records }] of Object.entries(stores)) for (const [key, value] of records) tx.objectStore(store).put(value, key);
      tx.oncomplete = () => (db.close(), resolve());
      tx.onerror = () => reject(tx.error);
    };
  });
}

const names = async (factory: IDBFactory) => (await factory.databases()).map((d) => d.name).sort();

/** Resolves once `check` holds (deleting a database completes a few tasks after the import). */
async function eventually(check: () => Promise<boolean>) {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('condition never held');
}

const run = (id: string, created: number, name = id) => ({ id, created, name, curves: { loss: [1, 0.5] } });

describe('the one database', () => {
  it('is version 2 and opens empty on a first visit, writing no record and creating nothing else', async () => {
    const factory = new IDBFactory();
    const database = openStudioDatabase({ factory });
    const db = await database.open();
    expect(VERSION).toBe(2);
    expect(db.version).toBe(2);
    expect([...db.objectStoreNames].sort()).toEqual(['documents', 'meta', 'runs', 'tuning', 'uploads']);
    expect(await documentStore(database).get('autosave/document')).toBeUndefined();
    expect(await db.get(STORES.meta, LEGACY_PENDING)).toBeUndefined(); // nothing queued: nothing was there before
    expect(await names(factory)).toEqual(['wiregrad']);
    database.close();
  });

  it('upgrades version 1 (autosave "kv" store) and imports the runs, uploads and tuning databases, then deletes them', async () => {
    const factory = new IDBFactory();
    const doc = JSON.stringify({ format: 'wiregrad.graph', version: 1, nodes: [], edges: [] });
    await legacy(factory, 'wiregrad', 1, {
      kv: {
        records: [
          ['autosave/document', doc],
          ['autosave/unreadable/2026-12-01T10:00:00.000Z', '{"trunc'],
          ['autosave/unreadable-pending', '["autosave/unreadable/2026-12-01T10:00:00.000Z"]'],
        ],
      },
    });
    await legacy(factory, 'wiregrad-runs', 1, {
      runs: {
        keyPath: 'id',
        records: [
          [undefined, run('b', 2)],
          [undefined, run('a', 1)],
        ],
      },
    });
    const bytes = new Uint8Array([1, 2, 3, 250]).buffer;
    await legacy(factory, 'wiregrad-datasets', 1, {
      uploads: {
        keyPath: 'name',
        records: [[undefined, { name: 'iris.csv', kind: 'csv', files: [{ path: 'iris.csv', type: 'text/csv', bytes }], savedAt: 5 }]],
      },
    });
    await legacy(factory, 'wiregrad-tuning', 1, { choices: { records: [['gemm|swiftshader|128x784x256', '{"tile":4}']] } });

    const database = openStudioDatabase({ factory });
    const documents = documentStore(database);
    expect(await documents.get('autosave/document')).toBe(doc);
    expect(await documents.get('autosave/unreadable/2026-12-01T10:00:00.000Z')).toBe('{"trunc');
    expect(await documents.get('autosave/unreadable-pending')).toBe('["autosave/unreadable/2026-12-01T10:00:00.000Z"]');
    expect(await runStore<ReturnType<typeof run>>(database).list()).toEqual([run('a', 1), run('b', 2)]);
    const upload = await uploadStore<{ name: string; files: { bytes: ArrayBuffer }[] }>(database).get('iris.csv');
    expect([...new Uint8Array(upload!.files[0].bytes)]).toEqual([1, 2, 3, 250]);
    expect(await tuningStore(database).get('gemm|swiftshader|128x784x256')).toBe('{"tile":4}');
    const db = await database.open();
    expect(db.objectStoreNames.contains('kv')).toBe(false);
    expect(await db.get(STORES.meta, LEGACY_PENDING)).toEqual([]);
    await eventually(async () => (await names(factory)).join() === 'wiregrad');
    database.close();

    // A second visit finds nothing left to import and the same data.
    const again = openStudioDatabase({ factory });
    expect(await documentStore(again).get('autosave/document')).toBe(doc);
    expect((await runStore<ReturnType<typeof run>>(again).list()).map((r) => r.id)).toEqual(['a', 'b']);
    again.close();
  });

  it('keeps a record written since the upgrade over the legacy one with the same key, and imports the rest', async () => {
    const factory = new IDBFactory();
    await legacy(factory, 'wiregrad-runs', 1, {
      runs: {
        keyPath: 'id',
        records: [
          [undefined, run('a', 1, 'old a')],
          [undefined, run('c', 3)],
        ],
      },
    });
    await legacy(factory, 'wiregrad', 1, { kv: { records: [] } });
    // A first tab upgraded, stored its own run "a" and went before the import ran.
    const request = factory.open('wiregrad', 2);
    request.onupgradeneeded = (event) => void migrate(wrap(request.result), wrap(request.transaction!) as never, event.oldVersion);
    const first = (await wrap(request))!;
    await first.put(STORES.runs, run('a', 1, 'new a'));
    first.close();
    const database = openStudioDatabase({ factory });
    expect((await runStore<ReturnType<typeof run>>(database).list()).map((r) => r.name)).toEqual(['new a', 'c']);
    database.close();
  });

  it('a migration that fails aborts the upgrade: the browser keeps the old version and its data, and the error names the step', async () => {
    const factory = new IDBFactory();
    await legacy(factory, 'w', 1, { kv: { records: [['autosave/document', 'kept']] } });
    const broken: Migration[] = [
      { version: 1, name: 'kv', up: (db) => void db.createObjectStore('kv') },
      {
        version: 2,
        name: 'a step that fails',
        async up(_db, tx) {
          await tx.objectStore('kv').put('changed', 'autosave/document');
          throw new Error('disk on fire');
        },
      },
    ];
    const request = factory.open('w', 2);
    const failure = new Promise<unknown>((resolve) => {
      request.onupgradeneeded = (event) => migrate(wrap(request.result), wrap(request.transaction!) as never, event.oldVersion, broken).catch(resolve);
    });
    await expect(wrap(request)).rejects.toThrow();
    expect(String(await failure)).toContain('storage migration to version 2 (a step that fails) failed: disk on fire');
    const db = await new Promise<IDBDatabase>((resolve) => {
      const r = factory.open('w');
      r.onsuccess = () => resolve(r.result);
    });
    expect(db.version).toBe(1);
    expect(await wrap(db).get('kv', 'autosave/document')).toBe('kept');
    db.close();
  });
});
