/**
 * Where finished and live runs are kept between visits: the "runs" store of the one database
 * (app/storage: versioned migrations, one connection's rules for other tabs), or a Map in tests.
 */
import { openStudioDatabase, type StudioDatabase } from '../storage/database';
import { runStore } from '../storage/stores';
import { fromStoredRun, toStoredRun, type StoredRun } from './runRecord';
import type { Run } from './runs';

export interface RunStorage {
  /** Every stored run, oldest first. */
  list(): Promise<Run[]>;
  put(run: Run): Promise<void>;
  delete(id: string): Promise<void>;
}

const byCreated = (a: Run, b: Run) => a.created - b.created;

/** Runs in the "runs" store of the one database (app/storage), their curves as columns (runRecord.ts). */
export function openRunStorage(database: StudioDatabase = openStudioDatabase()): RunStorage {
  const records = runStore<StoredRun | Run>(database);
  return {
    list: async () => (await records.list()).map(fromStoredRun),
    put: (run) => records.put(toStoredRun(run)),
    delete: (id) => records.delete(id),
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
