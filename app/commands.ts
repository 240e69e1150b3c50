/**
 * Commands shared by the toolbar, the keyboard and the palette: the things that need the canvas
 * (viewport centre, fit view) or the file system as well as the store.
 */
import { useReactFlow, useStoreApi } from '@xyflow/react';
import { useMemo } from 'react';
import { fileNameFor, readGraphFile, serializeDocument } from './files/documentFile';
import { DEFAULT_NODE_SIZE, layoutPositions } from './layout/autoLayout';
import { useEditorStore } from './store/context';
import { redo, undo } from './store/editorStore';

/** Step used to find a free spot when several nodes are added at the centre. */
const CASCADE = 24;

export interface Commands {
  undo(): void;
  redo(): void;
  /** Adds a node at the centre of the visible canvas (keyboard and click in the palette). */
  addAtCentre(type: string): void;
  save(): void;
  open(file: File): Promise<void>;
  autoLayout(): Promise<void>;
  fitView(): void;
  toggleTheme(): void;
}

export function useCommands(): Commands {
  const store = useEditorStore();
  const flow = useReactFlow();
  const flowStore = useStoreApi();

  return useMemo<Commands>(
    () => ({
      undo: () => undo(store),
      redo: () => redo(store),

      addAtCentre(type) {
        const { width, height, transform } = flowStore.getState();
        const [tx, ty, zoom] = transform;
        let x = Math.round((width / 2 - tx) / zoom - DEFAULT_NODE_SIZE.width / 2);
        let y = Math.round((height / 2 - ty) / zoom - DEFAULT_NODE_SIZE.height / 2);
        const taken = new Set(store.getState().doc.nodes.map((n) => `${n.position.x},${n.position.y}`));
        while (taken.has(`${x},${y}`)) {
          x += CASCADE;
          y += CASCADE;
        }
        store.getState().addNode(type, { x, y });
      },

      save() {
        const { doc } = store.getState();
        const url = URL.createObjectURL(new Blob([serializeDocument(doc)], { type: 'application/json' }));
        const link = document.createElement('a');
        link.href = url;
        link.download = fileNameFor(doc);
        link.click();
        setTimeout(() => URL.revokeObjectURL(url), 0);
        store.getState().notify('info', `Saved ${link.download}`);
      },

      async open(file) {
        let text: string;
        try {
          text = await file.text();
        } catch (e) {
          store.getState().notify('error', `Could not read ${JSON.stringify(file.name)}: ${e instanceof Error ? e.message : String(e)}`);
          return;
        }
        const read = readGraphFile(text, file.name);
        if (!read.ok) {
          store.getState().notify('error', read.message);
          return;
        }
        if (store.getState().loadDocument(read.doc).ok) store.getState().notify('info', `Opened ${file.name}`);
      },

      async autoLayout() {
        const { doc, measured } = store.getState();
        const { width, height } = flowStore.getState();
        try {
          const positions = await layoutPositions(doc, measured, { width, height });
          // The document may have changed while ELK ran; only lay out if it did not.
          if (store.getState().doc !== doc) return;
          store.getState().moveNodes(positions);
          store.getState().requestFit();
        } catch (e) {
          store.getState().notify('error', `Auto-layout failed: ${e instanceof Error ? e.message : String(e)}`);
        }
      },

      fitView: () => void flow.fitView({ padding: 0.15, duration: 200 }),

      toggleTheme() {
        const { theme, setTheme } = store.getState();
        const dark = theme === 'dark' || (theme === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
        setTheme(dark ? 'light' : 'dark');
      },
    }),
    [store, flow, flowStore],
  );
}
