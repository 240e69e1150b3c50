// The connection's dealings with other tabs and a full disk, on fake-indexeddb.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStudioDatabase } from './database';
import { StorageError, storageProblemOf } from './errors';
import { documentStore, runStore } from './stores';

/** An older Wiregrad's connection in another tab: version 1, and it never closes for an upgrade. */
function oldTab(factory: IDBFactory): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open('wiregrad', 1);
    request.onupgradeneeded = () => request.result.createObjectStore('kv');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

afterEach(() => vi.restoreAllMocks());

describe('storage and other tabs', () => {
  it('reports "blocked" at once while an older tab holds the database, and works once that tab lets go', async () => {
    const factory = new IDBFactory();
    const old = await oldTab(factory);
    const problems: StorageError[] = [];
    const database = openStudioDatabase({ factory, onProblem: (e) => problems.push(e) });
    const documents = documentStore(database);
    const failure = await documents.set('autosave/document', 'x').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StorageError);
    expect((failure as StorageError).problem).toBe('blocked');
    expect((failure as StorageError).message).toBe(
      'Another Wiregrad tab with an older version holds the browser storage open — close or reload that tab, then reload this one',
    );
    expect(problems.map((p) => p.problem)).toEqual(['blocked']);
    // Still blocked: a second call fails the same way without queueing another open.
    await expect(documents.get('autosave/document')).rejects.toMatchObject({ problem: 'blocked' });
    old.close();
    await vi.waitFor(() => expect(database.current).toBeDefined());
    await documents.set('autosave/document', 'y');
    expect(await documents.get('autosave/document')).toBe('y');
    database.close();
  });

  it('closes for a newer version opened in another tab (not blocking it) and reports "outdated" on the next write', async () => {
    const factory = new IDBFactory();
    const problems: string[] = [];
    const database = openStudioDatabase({ factory, onProblem: (e) => problems.push(e.problem) });
    const documents = documentStore(database);
    await documents.set('autosave/document', 'mine');
    const newer = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open('wiregrad', 3);
      request.onblocked = () => reject(new Error('this tab blocked the newer version'));
      request.onsuccess = () => resolve(request.result);
    });
    expect(newer.version).toBe(3);
    expect(problems).toEqual(['outdated']);
    expect(database.current).toBeUndefined();
    await expect(documents.set('autosave/document', 'later')).rejects.toMatchObject({
      problem: 'outdated',
      message: expect.stringContaining('Another tab opened a newer Wiregrad'),
    });
    newer.close();
  });
});

describe('a full disk', () => {
  it('a write refused with QuotaExceededError rejects with problem "full" and the words to show', async () => {
    const factory = new IDBFactory();
    const database = openStudioDatabase({ factory });
    const documents = documentStore(database);
    await documents.set('autosave/document', 'before');
    // Inject the browser's refusal (a real full disk throws it from put, or aborts the transaction with it).
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const failure = await documents.set('autosave/document', 'after').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StorageError);
    expect(storageProblemOf(failure)).toBe('full');
    expect((failure as Error).message).toBe("The browser's storage is full (QuotaExceededError: The quota has been exceeded.)");
    await expect(runStore(database).put({ id: 'r', created: 1 })).rejects.toMatchObject({ problem: 'full' });
    vi.restoreAllMocks();
    expect(await documents.get('autosave/document')).toBe('before');
    database.close();
  });

  it('a browser that refuses storage (SecurityError) is "refused", with words', async () => {
    const none = openStudioDatabase({
      factory: {
        open: () => {
          throw new DOMException('denied', 'SecurityError');
        },
      } as unknown as IDBFactory,
    });
    await expect(documentStore(none).get('k')).rejects.toMatchObject({
      problem: 'refused',
      message: expect.stringContaining('does not let Wiregrad store data'),
    });
  });
});
