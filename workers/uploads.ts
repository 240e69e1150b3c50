/**
 * Uploaded files, kept in this browser's IndexedDB under the dataset's name, so a saved graph finds its
 * data again after a reload. The document holds only the config (name, columns, size); never the bytes.
 */

/** One uploaded file: its path inside the chosen folder (or its name) and its bytes. */
export interface UploadedFile {
  readonly path: string;
  readonly type: string;
  readonly bytes: ArrayBuffer;
}

/** What the user uploaded under one dataset name. */
export interface Upload {
  readonly name: string;
  readonly kind: 'csv' | 'images';
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

const DB = 'wiregrad-datasets';
const STORE = 'uploads';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

/** The browser's store; fails with a clear message where IndexedDB is unavailable (private windows). */
export function indexedDbUploadStore(): UploadStore {
  let db: Promise<IDBDatabase> | undefined;
  const open = () => {
    db ??= new Promise<IDBDatabase>((resolve, reject) => {
      if (typeof indexedDB === 'undefined') return reject(new Error('this browser offers no IndexedDB, so uploaded datasets cannot be kept'));
      const r = indexedDB.open(DB, 1);
      r.onupgradeneeded = () => r.result.createObjectStore(STORE, { keyPath: 'name' });
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error ?? new Error('could not open the dataset store (IndexedDB)'));
    });
    db.catch(() => (db = undefined)); // a failed open is tried again next time
    return db;
  };
  return {
    async get(name) {
      const tx = (await open()).transaction(STORE, 'readonly');
      return (await request(tx.objectStore(STORE).get(name))) as Upload | undefined;
    },
    async put(upload) {
      const tx = (await open()).transaction(STORE, 'readwrite');
      const done = new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error ?? new Error('could not store the upload'));
        tx.onabort = () => reject(tx.error ?? new Error('storing the upload was aborted (is the browser out of storage space?)'));
      });
      tx.objectStore(STORE).put(upload);
      await done;
    },
  };
}
