import { afterEach, describe, expect, it, vi } from 'vitest';
import { CURRENT_VERSION, emptyDocument } from '../../engine/graph/document';
import { createEditorStore } from '../store/editorStore';
import { templateById } from '../templates';
import { AUTOSAVE_KEY, debounce, restoreAutosave, startAutosave } from './autosave';
import { fileNameFor, readGraphFile, serializeDocument } from './documentFile';
import { memoryKeyValue } from './keyValue';

afterEach(() => {
  vi.useRealTimers();
});

describe('reading and writing files', () => {
  const doc = templateById('two-spirals')!.build(new Date('2025-01-01T00:00:00Z'));

  it('round-trips a document through its saved text', () => {
    const text = serializeDocument(doc, new Date('2025-02-02T00:00:00Z'));
    const read = readGraphFile(text, 'g.json');
    expect(read).toEqual({ ok: true, doc: { ...doc, meta: { ...doc.meta, modified: '2025-02-02T00:00:00.000Z' } } });
    expect(JSON.parse(text)).toMatchObject({ format: 'wiregrad.graph', version: CURRENT_VERSION });
    expect(fileNameFor(doc)).toBe('two-spirals-classifier.wiregrad.json');
  });

  it('names the line and column of broken JSON', () => {
    const read = readGraphFile('{\n  "format": "wiregrad.graph",\n  "nodes": [,]\n}', 'broken.json');
    expect(read.ok).toBe(false);
    expect(!read.ok && read.message).toMatch(/^Could not open "broken\.json": This file is not valid JSON/);
    expect(!read.ok && read.message).toMatch(/line 3/);
  });

  it('explains a file that is not a graph, and a node with bad fields', () => {
    const notGraph = readGraphFile('{"hello": 1}', 'x.json');
    expect(!notGraph.ok && notGraph.message).toMatch(/not a Wiregrad graph/);
    const raw = JSON.parse(serializeDocument(doc));
    raw.nodes[1].position = 'left';
    const badNode = readGraphFile(JSON.stringify(raw), 'y.json');
    expect(!badNode.ok && badNode.message).toMatch(/Node "Hidden 1"/);
  });

  it('refuses a graph the canvas cannot show (edge to a missing node)', () => {
    const raw = JSON.parse(serializeDocument(doc));
    raw.edges[0].to.node = 'ghost';
    const read = readGraphFile(JSON.stringify(raw), 'z.json');
    expect(!read.ok && read.message).toMatch(/ghost/);
  });
});

describe('autosave', () => {
  it('debounce runs once with the last value', () => {
    vi.useFakeTimers();
    const calls: number[] = [];
    const d = debounce((n: number) => calls.push(n), 300);
    d.schedule(1);
    vi.advanceTimersByTime(200);
    d.schedule(2);
    vi.advanceTimersByTime(299);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual([2]);
    d.schedule(3);
    d.flush();
    expect(calls).toEqual([2, 3]);
  });

  it('writes the document after a quiet period and restores it', async () => {
    vi.useFakeTimers();
    const storage = memoryKeyValue();
    const store = createEditorStore(emptyDocument('t'));
    const stop = startAutosave(store, storage, { delayMs: 300 });
    store.getState().addNode('Dense', { x: 1, y: 2 });
    store.getState().addNode('ReLU', { x: 3, y: 4 });
    expect(store.getState().saveState).toBe('pending');
    expect(await storage.get(AUTOSAVE_KEY)).toBeUndefined();
    vi.advanceTimersByTime(300);
    await vi.runAllTimersAsync();
    expect(store.getState().saveState).toBe('saved');
    const restored = await restoreAutosave(storage);
    expect(restored).toEqual({ kind: 'restored', doc: store.getState().doc });
    // Session changes do not trigger writes.
    store.getState().select([]);
    expect(store.getState().saveState).toBe('saved');
    stop();
  });

  it('restores nothing from an empty store', async () => {
    expect(await restoreAutosave(memoryKeyValue())).toEqual({ kind: 'none' });
  });
});
describe('jsonErrorLocation', () => {
  it('finds where JSON.parse would fail, or nothing for valid text', async () => {
    const { jsonErrorLocation } = await import('./jsonLocation');
    const cases: [string, { line: number; column: number } | undefined][] = [
      ['{"a": [1, 2, {"b": null}], "c": "\\u00e9"}', undefined],
      ['{\n  "a": [,]\n}', { line: 2, column: 9 }],
      ['{"a": 1', { line: 1, column: 8 }],
      ['{"a": 01}', { line: 1, column: 8 }],
      ['[1, 2] x', { line: 1, column: 8 }],
      ['{a: 1}', { line: 1, column: 2 }],
      ['', { line: 1, column: 1 }],
    ];
    for (const [text, expected] of cases) {
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      expect(valid, text).toBe(expected === undefined);
      expect(jsonErrorLocation(text), text).toEqual(expected);
    }
  });
});
