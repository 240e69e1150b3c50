/**
 * Copies the records of the databases earlier versions kept beside the autosave's (runs, uploads,
 * tuning) into the one database, then deletes them. Migration 2 queues them; this runs after the
 * open, because an upgrade transaction cannot wait on another database. A record already in the new
 * store wins (it was written since), so running twice, or in two tabs at once, copies nothing twice.
 */
import { wrap, type IDBPDatabase } from 'idb';
import { LEGACY_DATABASES, LEGACY_PENDING, STORES } from './schema';

/** Opens `name` only if it exists (an upgrade from version 0 is aborted, so nothing is created). */
function openIfExists(factory: IDBFactory, name: string): Promise<IDBPDatabase | undefined> {
  return new Promise((resolve, reject) => {
    const request = factory.open(name);
    let absent = false;
    request.onupgradeneeded = () => {
      absent = true;
      request.transaction?.abort();
    };
    request.onsuccess = () => resolve(wrap(request.result));
    request.onerror = (event) => {
      event.preventDefault();
      if (absent) resolve(undefined);
      else reject(request.error ?? new Error(`could not open ${name}`));
    };
  });
}

/** Imports every queued legacy database; returns the names imported. Failures leave the name queued for the next visit. */
export async function importLegacyDatabases(db: IDBPDatabase, factory: IDBFactory): Promise<string[]> {
  const pending = (await db.get(STORES.meta, LEGACY_PENDING)) as string[] | undefined;
  if (pending === undefined || pending.length === 0) return [];
  const imported: string[] = [];
  for (const legacy of LEGACY_DATABASES) {
    if (!pending.includes(legacy.database)) continue;
    const old = await openIfExists(factory, legacy.database);
    let keys: IDBValidKey[] = [];
    let values: unknown[] = [];
    if (old !== undefined) {
      try {
        if (old.objectStoreNames.contains(legacy.store)) {
          const tx = old.transaction(legacy.store, 'readonly');
          [keys, values] = await Promise.all([tx.store.getAllKeys(), tx.store.getAll()]);
        }
      } finally {
        old.close();
      }
    }
    const tx = db.transaction([legacy.into, STORES.meta], 'readwrite');
    const into = tx.objectStore(legacy.into);
    const inline = into.keyPath !== null;
    for (let i = 0; i < keys.length; i++) {
      if ((await into.getKey(keys[i])) !== undefined) continue;
      await (inline ? into.put(values[i]) : into.put(values[i], keys[i]));
    }
    const meta = tx.objectStore(STORES.meta);
    const left = ((await meta.get(LEGACY_PENDING)) as string[] | undefined)?.filter((n) => n !== legacy.database) ?? [];
    await meta.put(left, LEGACY_PENDING);
    await tx.done;
    imported.push(legacy.database);
    // An old tab may still hold it open: the delete then waits for that tab, without holding up this one.
    if (old !== undefined) void deleteLegacy(factory, legacy.database);
  }
  return imported;
}

function deleteLegacy(factory: IDBFactory, name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = factory.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => resolve();
  });
}
