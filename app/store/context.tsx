/** The editor store reaches components through context (no module-level store), read with narrow selectors. */
import { createContext, useContext, type ReactNode } from 'react';
import type { TemporalState } from 'zundo';
import { useStore } from 'zustand';
import type { EditorStore, History } from './editorStore';
import type { EditorState } from './types';

const EditorContext = createContext<EditorStore | null>(null);

export function EditorProvider({ store, children }: { store: EditorStore; children: ReactNode }) {
  return <EditorContext.Provider value={store}>{children}</EditorContext.Provider>;
}

/** The store itself, for actions and one-off reads in event handlers. */
export function useEditorStore(): EditorStore {
  const store = useContext(EditorContext);
  if (store === null) throw new Error('useEditorStore must be used inside <EditorProvider>');
  return store;
}

/** Subscribes to a slice of editor state; wrap object-returning selectors in useShallow. */
export function useEditor<T>(selector: (state: EditorState) => T): T {
  return useStore(useEditorStore(), selector);
}

/** Subscribes to undo history (e.g. whether undo is possible). */
export function useHistory<T>(selector: (state: TemporalState<History>) => T): T {
  return useStore(useEditorStore().temporal, selector);
}
