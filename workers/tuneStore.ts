/**
 * Where the worker keeps the GEMM variants the tuner measured on this adapter (engine autotune.ts),
 * so a later compile, or a later visit, measures nothing again. IndexedDB when the worker has it;
 * any failure just means measuring again, never a failed compile.
 */
import type { TuneStore } from '../engine/backends/webgpu/kernel';

const DB = 'wiregrad-tuning';
const STORE = 'choices';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/** A TuneStore in IndexedDB, or undefined where there is none (the tuner then keeps choices in memory). */
export function indexedDbTuneStore(idb: IDBFactory | undefined = globalThis.indexedDB): TuneStore | undefined {
  if (!idb) return undefined;
  let db: Promise<IDBDatabase> | undefined;
  const open = () =>
    (db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = idb.open(DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'));
    }).catch((e: unknown) => {
      db = undefined; // a failed open is tried again next time
      throw e;
    }));
  return {
    async get(key) {
      try {
        const value: unknown = await request((await open()).transaction(STORE, 'readonly').objectStore(STORE).get(key));
        return typeof value === 'string' ? value : undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, value) {
      try {
        await request((await open()).transaction(STORE, 'readwrite').objectStore(STORE).put(value, key));
      } catch {
        // Not kept: the next compile measures again.
      }
    },
  };
}
