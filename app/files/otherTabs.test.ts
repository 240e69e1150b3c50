import { describe, expect, it } from 'vitest';
import { createEditorStore } from '../store/editorStore';
import { templateById } from '../templates';
import { AUTOSAVE_KEY, startAutosave } from './autosave';
import { memoryKeyValue, type KeyValue } from './keyValue';
import { memoryTabHub, watchOtherTabs, type OtherTabConflict } from './otherTabs';

const settle = () => new Promise((r) => setTimeout(r, 30));

/** Two tabs opened on one saved graph, autosaving to one storage, talking over one in-memory hub. */
function twoTabs(storage: KeyValue = memoryKeyValue()) {
  const hub = memoryTabHub();
  const doc = templateById('two-spirals')!.build();
  const tab = (name: string) => {
    const store = createEditorStore(doc);
    const shown: (OtherTabConflict | null)[] = [];
    const tabs = watchOtherTabs(store, hub.channel(), (c) => shown.push(c), name);
    const stop = startAutosave(store, storage, { delayMs: 5, tabs });
    return {
      store,
      tabs,
      shown,
      stop,
      ids: () =>
        store
          .getState()
          .doc.nodes.map((n) => n.id)
          .sort(),
    };
  };
  return { storage, a: tab('A'), b: tab('B') };
}
const savedIds = async (storage: KeyValue) =>
  (JSON.parse((await storage.get(AUTOSAVE_KEY)) ?? '{"nodes":[]}') as { nodes: { id: string }[] }).nodes.map((n) => n.id).sort();

describe('two tabs on one autosave', () => {
  it('a tab without edits of its own follows the other: A deletes, then B edits, and both edits are kept', async () => {
    const { storage, a, b } = twoTabs();
    const [first, second] = a.store.getState().doc.nodes;
    a.store.getState().removeNodes([first.id]);
    await settle();
    expect(b.ids()).toEqual(a.ids());
    expect(b.ids()).not.toContain(first.id);
    b.store.getState().rename(second.id, 'edited in B');
    await settle();
    expect(await savedIds(storage)).not.toContain(first.id);
    const saved = JSON.parse((await storage.get(AUTOSAVE_KEY))!) as { nodes: { id: string; label?: string }[] };
    expect(saved.nodes.find((n) => n.id === second.id)?.label).toBe('edited in B');
    expect(a.store.getState().doc.nodes.find((n) => n.id === second.id)?.label).toBe('edited in B');
    expect([...a.shown, ...b.shown]).toEqual([]);
  });

  it('edits in both before either hears of the other: the later writer stops and asks; nothing is written over unseen', async () => {
    const { storage, a, b } = twoTabs();
    const [first, second] = a.store.getState().doc.nodes;
    a.store.getState().removeNodes([first.id]);
    b.store.getState().rename(second.id, 'edited in B'); // B's edit waits in its debounce as A's save arrives
    await settle();
    // Exactly one tab wrote; the other shows the choice and has written nothing since.
    const asking = [a, b].filter((t) => t.shown.at(-1) != null);
    expect(asking).toHaveLength(1);
    const saved = await savedIds(storage);
    const [asker] = asking;
    const other = asker === a ? b : a;
    expect(saved).toEqual(other.ids());
    expect(asker.tabs.canWrite()).toBe(false);

    // Keeping this tab's version writes it; the other tab (no edits since) follows.
    asker.tabs.keepMine();
    await settle();
    expect(asker.shown.at(-1)).toBeNull();
    expect(await savedIds(storage)).toEqual(asker.ids());
    expect(other.ids()).toEqual(asker.ids());
  });

  it("taking the other tab's version opens it here", async () => {
    const { a, b } = twoTabs();
    const [first, second] = a.store.getState().doc.nodes;
    a.store.getState().removeNodes([first.id]);
    b.store.getState().rename(second.id, 'edited in B');
    await settle();
    const asker = [a, b].find((t) => t.shown.at(-1) != null)!;
    const other = asker === a ? b : a;
    asker.tabs.takeTheirs();
    await settle();
    expect(asker.ids()).toEqual(other.ids());
    expect(asker.tabs.canWrite()).toBe(true);
  });

  it('ignores what cannot be read as a graph', async () => {
    const hub = memoryTabHub();
    const store = createEditorStore(templateById('two-spirals')!.build());
    const before = store.getState().doc;
    const shown: unknown[] = [];
    watchOtherTabs(store, hub.channel(), (c) => shown.push(c), 'A');
    hub.channel().post({ kind: 'saved', tab: 'B', text: '{"format":"nope"' });
    await settle();
    expect(store.getState().doc).toBe(before);
    expect(shown).toEqual([]);
  });
});
