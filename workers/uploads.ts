/**
 * Uploaded files, kept in this browser's IndexedDB under the dataset's name, so a saved graph finds its
 * data again after a reload. The document holds only the config (name, columns, size); never the bytes.
 */
import { openStudioDatabase, type StudioDatabase } from '../app/storage/database';
import { uploadStore } from '../app/storage/stores';

/** One uploaded file: its path inside the chosen folder (or its name) and its bytes. */
export interface UploadedFile {
  readonly path: string;
  readonly type: string;
  readonly bytes: ArrayBuffer;
}

/** What the user uploaded under one dataset name. */
export interface Upload {
  readonly name: string;
  readonly kind: 'csv' | 'images' | 'text';
  readonly files: readonly UploadedFile[];
  /** Milliseconds since the epoch. */
  readonly savedAt: number;
}

/** Where uploads live: IndexedDB in the browser, a Map in tests. */
export interface UploadStore {
  get(name: string): Promise<Upload | undefined>;
  put(upload: Upload): Promise<void>;
}

export function memoryUploadStore(): UploadStore {
  const map = new Map<string, Upload>();
  return { get: async (name) => map.get(name), put: async (u) => void map.set(u.name, u) };
}

/** The browser's store: the "uploads" store of the one database (app/storage); a StorageError says why it failed. */
export function indexedDbUploadStore(database: StudioDatabase = openStudioDatabase()): UploadStore {
  return uploadStore<Upload>(database);
}
