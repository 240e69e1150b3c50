// What must outlive a reload that comes before IndexedDB commits: a dismissal, and the version of a
// tab that went while it waited for the two-tab choice. Then autosave over the real storage layer
// (fake-indexeddb) with a full disk injected.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emptyDocument } from '../../engine/graph/document';
import { createEditorStore } from '../store/editorStore';
import { templateById } from '../templates';
import { openStudioDatabase } from '../storage/database';
import {
  AUTOSAVE_KEY,
  autosaveFailureText,
  dismissUnreadable,
  earlierUnreadable,
  PENDING_KEY,
  restoreAutosave,
  startAutosave,
  type PageEvents,
} from './autosave';
import { dismissHeld, HELD_LIST, heldEdits, restoreHeld } from './autosaveHeld';
import { serializeDocument } from './documentFile';
import { memoryKeyValue, memoryUnloadCopy, openKeyValue, type KeyValue } from './keyValue';
import { memoryTabHub, watchOtherTabs } from './otherTabs';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const NOW = new Date('2026-12-04T10:00:00.000Z');
const settle = () => new Promise((r) => setTimeout(r, 30));

/** A KeyValue whose writes never commit (the page went first), over `inner` for reads. */
const neverCommits = (inner: KeyValue): KeyValue => ({ get: (k) => inner.get(k), set: () => new Promise<void>(() => {}) });

function fakePage(): PageEvents & { hide(): void } {
  const win = new EventTarget();
  const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
  return { window: win, document: doc, hide: () => void win.dispatchEvent(new Event('pagehide')) };
}

describe('dismissing a kept autosave', () => {
  it('is recorded synchronously, so a reload before IndexedDB commits does not offer it again', async () => {
    const stored = memoryKeyValue({ [AUTOSAVE_KEY]: '{"format": "wiregrad.graph", "nodes": [' });
    const first = await restoreAutosave(stored, NOW);
    if (first.kind !== 'unreadable' || first.keptAs === undefined) throw new Error('expected a kept copy');
    await stored.set(AUTOSAVE_KEY, serializeDocument(emptyDocument('later')));
    const dismissed = memoryUnloadCopy();
    // The page goes before the dismissal's IndexedDB write commits.
    void dismissUnreadable(neverCommits(stored), first.keptAs, dismissed);
    expect(JSON.parse(dismissed.text!)).toEqual([first.keptAs]);
    expect(await stored.get(PENDING_KEY)).toContain(first.keptAs); // IndexedDB still lists it
    // The next visit: not offered; the dismissal is moved into storage and the copy cleared.
    expect(await earlierUnreadable(stored, dismissed)).toBeUndefined();
    expect(JSON.parse((await stored.get(PENDING_KEY))!)).toEqual([]);
    expect(dismissed.text).toBeUndefined();
    expect(await stored.get(first.keptAs)).toBe(first.text); // the copy itself stays
  });

  it('without the synchronous copy, the same reload would offer it again (what the copy is for)', async () => {
    const stored = memoryKeyValue({ [AUTOSAVE_KEY]: '{"format": "wiregrad.graph", "nodes": [' });
    const first = await restoreAutosave(stored, NOW);
    if (first.kind !== 'unreadable' || first.keptAs === undefined) throw new Error('expected a kept copy');
    void dismissUnreadable(neverCommits(stored), first.keptAs);
    expect((await earlierUnreadable(stored))?.keptAs).toBe(first.keptAs);
  });
});

/** Two tabs on one storage whose edits crossed: returns the one asking for the choice, with its page and held copy. */
async function crossedTabs(storage: KeyValue) {
  const hub = memoryTabHub();
  const doc = templateById('two-spirals')!.build();
  const tab = (name: string) => {
    const store = createEditorStore(doc);
    const page = fakePage();
    const copy = memoryUnloadCopy();
    const shown: unknown[] = [];
    const tabs = watchOtherTabs(store, hub.channel(), (c) => shown.push(c), name);
    const held = heldEdits(storage, copy, `autosave/held/${name}`);
    const stop = startAutosave(store, storage, { delayMs: 5, tabs, page, held });
    return { store, page, copy, shown, tabs, stop };
  };
  const a = tab('A');
  const b = tab('B');
  const [first, second] = doc.nodes;
  a.store.getState().removeNodes([first.id]);
  b.store.getState().rename(second.id, 'edited in B');
  await settle();
  const asker = [a, b].find((t) => t.shown.at(-1) != null);
  if (asker === undefined) throw new Error('expected one tab to ask');
  return { asker, other: asker === a ? b : a };
}

describe('a tab that goes while it waits for the two-tab choice', () => {
  it('keeps its version synchronously and in storage; the next visit offers it, until dismissed', async () => {
    const storage = memoryKeyValue();
    const { asker, other } = await crossedTabs(storage);
    const saved = await storage.get(AUTOSAVE_KEY);
    asker.page.hide();
    // Nothing written over the other tab's save; this tab's version is in the copy at once.
    expect(await storage.get(AUTOSAVE_KEY)).toBe(saved);
    const copied = JSON.parse(asker.copy.text!) as Record<string, string>;
    expect(Object.keys(copied)).toHaveLength(1);
    expect(JSON.parse(Object.values(copied)[0])).toEqual(asker.store.getState().doc);
    await settle();
    // The next visit (the copy moved into storage, as a reload before the commit would need).
    const held = await restoreHeld(storage, asker.copy);
    expect(held?.doc).toEqual(asker.store.getState().doc);
    expect(held?.doc).not.toEqual(other.store.getState().doc);
    expect(asker.copy.text).toBeUndefined();
    const dismissed = memoryUnloadCopy();
    void dismissHeld(neverCommits(storage), held!.key, dismissed);
    expect(await restoreHeld(storage, undefined, dismissed)).toBeUndefined();
    expect(await storage.get(held!.key)).toBe(held!.text);
    asker.stop();
    other.stop();
  });

  it('a reload before IndexedDB commits still finds it, through the synchronous copy', async () => {
    const storage = memoryKeyValue();
    const { asker, other } = await crossedTabs(neverCommitsAfterSetup(storage));
    asker.page.hide();
    const held = await restoreHeld(storage, asker.copy);
    expect(held?.doc).toEqual(asker.store.getState().doc);
    expect(JSON.parse((await storage.get(HELD_LIST.key))!)).toEqual([held!.key]);
    asker.stop();
    other.stop();
  });

  it('is no longer offered once the choice is made in that tab (its version written, or the other opened)', async () => {
    for (const choice of ['keepMine', 'takeTheirs'] as const) {
      const storage = memoryKeyValue();
      const { asker, other } = await crossedTabs(storage);
      asker.page.hide(); // hidden, not closed: it comes back and chooses
      await settle();
      expect(JSON.parse((await storage.get(HELD_LIST.key))!)).toHaveLength(1);
      asker.tabs[choice]();
      await settle();
      expect(await restoreHeld(storage, asker.copy)).toBeUndefined();
      expect(asker.copy.text).toBeUndefined();
      asker.stop();
      other.stop();
    }
  });
});

/** Writes work until the test says the page is going; here: the held record's writes never commit. */
function neverCommitsAfterSetup(inner: KeyValue): KeyValue {
  return { get: (k) => inner.get(k), set: (k, v) => (k.startsWith('autosave/held') ? new Promise<void>(() => {}) : inner.set(k, v)) };
}

describe('autosave over the browser database (fake-indexeddb)', () => {
  it('a full disk, injected as the QuotaExceededError a put throws, reports "Autosave failed" with what to do', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const database = openStudioDatabase({ factory: new IDBFactory() });
    const storage = openKeyValue(database);
    const store = createEditorStore(emptyDocument('t'));
    const reports: unknown[] = [];
    const stop = startAutosave(store, storage, { delayMs: 300, report: (f) => reports.push(f) });
    store.getState().addNode('Dense', { x: 1, y: 2 });
    await vi.advanceTimersByTimeAsync(300);
    await vi.waitFor(() => expect(store.getState().saveState).toBe('saved'));
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    store.getState().addNode('ReLU', { x: 3, y: 4 });
    await vi.advanceTimersByTimeAsync(300);
    await vi.waitFor(() => expect(store.getState().saveState).toBe('failed'));
    expect(autosaveFailureText(reports[0])).toMatch(/^The browser's storage is full — download the document \(Save, or Download graph below\) or free space/);
    // The stored autosave is the last one that fit.
    vi.mocked(IDBObjectStore.prototype.put).mockRestore();
    expect(JSON.parse((await storage.get(AUTOSAVE_KEY))!).nodes).toHaveLength(1);
    stop();
    database.close();
  });
});
