/**
 * Where the worker keeps the GEMM variants the tuner measured on this adapter (engine autotune.ts),
 * so a later compile, or a later visit, measures nothing again: the "tuning" store of the one
 * database (app/storage). Any failure just means measuring again, never a failed compile.
 */
import type { TuneStore } from '../engine/backends/webgpu/kernel';
import { openStudioDatabase } from '../app/storage/database';
import { tuningStore } from '../app/storage/stores';

/** A TuneStore in IndexedDB, or undefined where there is none (the tuner then keeps choices in memory). */
export function indexedDbTuneStore(idb: IDBFactory | undefined = globalThis.indexedDB): TuneStore | undefined {
  if (!idb) return undefined;
  const store = tuningStore(openStudioDatabase({ factory: idb }));
  return {
    async get(key) {
      try {
        return await store.get(key);
      } catch {
        return undefined;
      }
    },
    async set(key, value) {
      try {
        await store.set(key, value);
      } catch {
        // Not kept: the next compile measures again.
      }
    },
  };
}
