import { afterEach, describe, expect, it, vi } from 'vitest';
import { CURRENT_VERSION, emptyDocument } from '../../engine/graph/document';
import { createEditorStore } from '../store/editorStore';
import { templateById } from '../templates';
import {
  AUTOSAVE_KEY,
  autosaveFailureText,
  dismissUnreadable,
  earlierUnreadable,
  restoreAutosave,
  startAutosave,
  UNREADABLE_PREFIX,
  type PageEvents,
} from './autosave';
import { serializeDocument } from './documentFile';
import { memoryKeyValue, memoryUnloadCopy, storageUnloadCopy, type KeyValue } from './keyValue';

afterEach(() => {
  vi.useRealTimers();
});

const NOW = new Date('2026-12-04T10:00:00.000Z');
const spirals = () => templateById('two-spirals')!.build(new Date('2025-01-01T00:00:00Z'));

/** A KeyValue whose writes fail with `error` while `failing` is true. */
function failingKeyValue(error: unknown, inner = memoryKeyValue()) {
  const state = { failing: true, writes: 0 };
  const kv: KeyValue = {
    get: (key) => inner.get(key),
    set: (key, value) => {
      state.writes++;
      return state.failing ? Promise.reject(error) : inner.set(key, value);
    },
  };
  return { kv, state, inner };
}

/** Stand-ins for window and document: EventTargets, and a visibility state the test sets. */
function fakePage(): PageEvents & { hide(how: 'pagehide' | 'visibilitychange'): void } {
  const win = new EventTarget();
  const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
  return {
    window: win,
    document: doc,
    hide(how) {
      if (how === 'pagehide') win.dispatchEvent(new Event('pagehide'));
      else {
        doc.visibilityState = 'hidden';
        doc.dispatchEvent(new Event('visibilitychange'));
      }
    },
  };
}

describe('restoring an autosave that cannot be read', () => {
  it('keeps the text under a key of its own, never over an earlier one, and recovers the readable nodes', async () => {
    const raw = JSON.parse(serializeDocument(spirals()));
    raw.nodes[2].position = 'left'; // one bad node
    const text = JSON.stringify(raw);
    const earlier = `${UNREADABLE_PREFIX}${NOW.toISOString()}`;
    const storage = memoryKeyValue({ [AUTOSAVE_KEY]: text, [earlier]: 'an earlier unreadable autosave' });
    const restored = await restoreAutosave(storage, NOW);
    if (restored.kind !== 'unreadable') throw new Error(`expected unreadable, got ${restored.kind}`);
    expect(restored.keptAs).toBe(`${earlier}-1`);
    expect(await storage.get(`${earlier}-1`)).toBe(text);
    expect(await storage.get(earlier)).toBe('an earlier unreadable autosave');
    expect(await storage.get(AUTOSAVE_KEY)).toBe(text);
    expect(restored.text).toBe(text);
    expect(restored.reason).toMatch(/^Could not open the autosaved graph: Node .*position/);
    const badId = raw.nodes[2].id as string;
    const { recovered } = restored;
    expect(recovered?.nodes).toEqual({ kept: raw.nodes.length - 1, of: raw.nodes.length });
    expect(recovered?.doc.nodes.map((n) => n.id)).not.toContain(badId);
    expect(recovered?.doc.edges.some((e) => e.from.node === badId || e.to.node === badId)).toBe(false);
    expect(recovered?.edges.kept).toBe(
      raw.edges.filter((e: { from: { node: string }; to: { node: string } }) => e.from.node !== badId && e.to.node !== badId).length,
    );
    expect(recovered?.doc.meta.name).toBe('Two spirals classifier (recovered)');
  });

  it('recovers the nodes of a document written by a newer version', async () => {
    const raw = { ...JSON.parse(serializeDocument(spirals())), version: 7 };
    const restored = await restoreAutosave(memoryKeyValue({ [AUTOSAVE_KEY]: JSON.stringify(raw) }), NOW);
    if (restored.kind !== 'unreadable') throw new Error(restored.kind);
    expect(restored.reason).toMatch(/newer Wiregrad \(document version 7/);
    expect(restored.recovered?.nodes).toEqual({ kept: raw.nodes.length, of: raw.nodes.length });
    expect(restored.recovered?.doc.version).toBe(CURRENT_VERSION);
  });

  it('offers nothing to recover from truncated or hostile text, and still keeps it', async () => {
    const full = serializeDocument(spirals());
    const deep = `{"format":"wiregrad.graph","version":1,"nodes":[{"id":"a","type":"Parameter","params":{"init":${'['.repeat(20000)}${']'.repeat(20000)}}}],"edges":[],"meta":{"name":"x"}}`;
    for (const text of [full.slice(0, full.length / 2), deep, '"just a string"', 'null']) {
      const storage = memoryKeyValue({ [AUTOSAVE_KEY]: text });
      const restored = await restoreAutosave(storage, NOW);
      if (restored.kind !== 'unreadable') throw new Error(restored.kind);
      expect(restored.recovered).toBeUndefined();
      expect(await storage.get(restored.keptAs!)).toBe(text);
      expect(restored.reason.length).toBeLessThanOrEqual(600);
    }
  });

  it('offers a kept copy again on later visits until it is dismissed; the copy itself stays', async () => {
    const storage = memoryKeyValue({ [AUTOSAVE_KEY]: '{"format": "wiregrad.graph", "version": 1, "nodes": [' });
    const first = await restoreAutosave(storage, NOW);
    if (first.kind !== 'unreadable' || first.keptAs === undefined) throw new Error('expected a kept copy');
    // The next visit autosaved something readable in between.
    await storage.set(AUTOSAVE_KEY, serializeDocument(spirals()));
    expect((await restoreAutosave(storage, NOW)).kind).toBe('restored');
    const again = await earlierUnreadable(storage);
    expect(again).toMatchObject({ kind: 'unreadable', keptAs: first.keptAs, text: first.text, earlier: true, recovered: undefined });
    expect(again?.reason).toMatch(/^Could not open an earlier autosave: This file is not valid JSON/);
    await dismissUnreadable(storage, first.keptAs);
    expect(await earlierUnreadable(storage)).toBeUndefined();
    expect(await storage.get(first.keptAs)).toBe(first.text);
  });

  it('says when keeping a copy failed (the caller then leaves autosave off)', async () => {
    const { kv } = failingKeyValue(new DOMException('full', 'QuotaExceededError'), memoryKeyValue({ [AUTOSAVE_KEY]: '{oops' }));
    const restored = await restoreAutosave(kv, NOW);
    expect(restored).toMatchObject({ kind: 'unreadable', keptAs: undefined, recovered: undefined });
  });

  it('reports storage it cannot read as unavailable', async () => {
    const kv: KeyValue = { get: () => Promise.reject(new Error('IndexedDB is blocked by another tab')), set: async () => {} };
    expect(await restoreAutosave(kv)).toEqual({ kind: 'unavailable', reason: 'IndexedDB is blocked by another tab' });
  });
});

describe('writing the autosave', () => {
  it('writes a pending change at once when the page is hidden or unloaded', async () => {
    vi.useFakeTimers();
    for (const how of ['pagehide', 'visibilitychange'] as const) {
      const storage = memoryKeyValue();
      const page = fakePage();
      const store = createEditorStore(emptyDocument('t'));
      const stop = startAutosave(store, storage, { delayMs: 300, page });
      store.getState().addNode('Dense', { x: 1, y: 2 });
      page.hide(how);
      // No timer has run: the write came from the event.
      await Promise.resolve();
      expect(JSON.parse((await storage.get(AUTOSAVE_KEY))!)).toEqual(store.getState().doc);
      stop();
    }
  });

  it('copies the write made as the page goes synchronously, and clears the copy once IndexedDB has it', async () => {
    vi.useFakeTimers();
    // A KeyValue that never commits: the page went before IndexedDB did.
    const kv: KeyValue = { get: async () => undefined, set: () => new Promise<void>(() => {}) };
    const copy = memoryUnloadCopy();
    const page = fakePage();
    const store = createEditorStore(emptyDocument('t'));
    const stop = startAutosave(store, kv, { delayMs: 300, page, unloadCopy: copy });
    store.getState().addNode('Dense', { x: 1, y: 2 });
    await vi.advanceTimersByTimeAsync(300);
    // An ordinary write is not copied.
    expect(copy.text).toBeUndefined();
    store.getState().addNode('ReLU', { x: 1, y: 90 });
    page.hide('pagehide');
    expect(JSON.parse(copy.text!)).toEqual(store.getState().doc);
    stop();
    // The next visit opens the copy, moves it into storage and clears it.
    const next = memoryKeyValue({ [AUTOSAVE_KEY]: serializeDocument(emptyDocument('older')) });
    const restored = await restoreAutosave(next, NOW, copy);
    expect(restored).toEqual({ kind: 'restored', doc: store.getState().doc });
    expect(JSON.parse((await next.get(AUTOSAVE_KEY))!)).toEqual(store.getState().doc);
    expect(copy.text).toBeUndefined();
    // A write that commits clears its own copy.
    const committed = memoryKeyValue();
    const copy2 = memoryUnloadCopy();
    const stop2 = startAutosave(store, committed, { delayMs: 300, page, unloadCopy: copy2 });
    store.getState().addNode('Tanh', { x: 1, y: 180 });
    page.hide('pagehide');
    expect(copy2.text).toBeDefined();
    await vi.advanceTimersByTimeAsync(0);
    expect(copy2.text).toBeUndefined();
    expect(JSON.parse((await committed.get(AUTOSAVE_KEY))!)).toEqual(store.getState().doc);
    stop2();
  });

  it('an unreadable unload copy is dropped and the stored autosave opens; a copy that cannot be moved stays', async () => {
    const doc = spirals();
    const text = serializeDocument(doc);
    const stored = memoryKeyValue({ [AUTOSAVE_KEY]: text });
    const broken = memoryUnloadCopy('{"format":');
    expect(await restoreAutosave(stored, NOW, broken)).toEqual({ kind: 'restored', doc: JSON.parse(text) });
    expect(broken.text).toBeUndefined();
    const copy = memoryUnloadCopy(text);
    const refusing: KeyValue = { get: async () => undefined, set: () => Promise.reject(new Error('quota')) };
    expect(await restoreAutosave(refusing, NOW, copy)).toEqual({ kind: 'restored', doc: JSON.parse(text) });
    expect(copy.text).toBe(text);
  });

  it('a Web Storage that refuses writes or reads never throws out of the unload copy', () => {
    const refusing = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
      removeItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
    };
    const copy = storageUnloadCopy(refusing);
    expect(copy.read()).toBeUndefined();
    expect(copy.write('x')).toBe(false);
    expect(() => copy.clear()).not.toThrow();
    const map = new Map<string, string>();
    const working = storageUnloadCopy({ getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) });
    expect(working.write('{"a":1}')).toBe(true);
    expect(working.read()).toBe('{"a":1}');
    working.clear();
    expect(working.read()).toBeUndefined();
  });

  it('does not write when the page is hidden with nothing pending, and stops listening when stopped', async () => {
    const page = fakePage();
    let writes = 0;
    const kv: KeyValue = { get: async () => undefined, set: async () => void writes++ };
    const store = createEditorStore(emptyDocument('t'));
    const stop = startAutosave(store, kv, { delayMs: 10_000, page });
    page.hide('pagehide');
    expect(writes).toBe(0);
    stop();
    store.getState().addNode('Dense', { x: 1, y: 2 });
    page.hide('pagehide');
    expect(writes).toBe(0);
  });

  it('reports a failed write (quota full) with what to do, and clears it when a write works again', async () => {
    vi.useFakeTimers();
    const { kv, state, inner } = failingKeyValue(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    const reports: unknown[] = [];
    const store = createEditorStore(emptyDocument('t'));
    const stop = startAutosave(store, kv, { delayMs: 300, report: (f) => reports.push(f) });
    store.getState().addNode('Dense', { x: 1, y: 2 });
    await vi.advanceTimersByTimeAsync(300);
    expect(store.getState().saveState).toBe('failed');
    expect(reports).toHaveLength(1);
    expect(autosaveFailureText(reports[0])).toBe(
      "The browser's storage is full — download the document (Save, or Download graph below) or free space (this site's " +
        "uploaded datasets, or other sites' data). Your graph is still open here, but a reload would lose the latest " +
        'changes; autosave tries again with your next edit.',
    );
    state.failing = false;
    store.getState().addNode('ReLU', { x: 3, y: 4 });
    await vi.advanceTimersByTimeAsync(300);
    expect(store.getState().saveState).toBe('saved');
    expect(reports).toEqual([reports[0], undefined]);
    expect(JSON.parse((await inner.get(AUTOSAVE_KEY))!)).toEqual(store.getState().doc);
    stop();
  });

  it('names a blocked storage and passes other errors on, clipped', () => {
    expect(autosaveFailureText(new DOMException('denied', 'SecurityError'))).toMatch(/does not let Wiregrad store data/);
    const long = autosaveFailureText(new Error('x'.repeat(5000)));
    expect(long).toMatch(/^The browser said: x{120}…\./);
    expect(long.length).toBeLessThan(400);
  });
});
