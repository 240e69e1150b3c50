/** Editor-wide keyboard shortcuts; keys typed into fields are left alone. */
import { useEffect } from 'react';
import type { Commands } from './commands';
import type { EditorStore } from './store/editorStore';

function typingInField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** What a key press does, or undefined when it is not a shortcut. Exported for tests. */
export function shortcutFor(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): string | undefined {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (e.altKey) return undefined;
  if (mod && key === 'z') return e.shiftKey ? 'redo' : 'undo';
  if (mod && key === 'y') return 'redo';
  if (mod && key === 'c') return 'copy';
  if (mod && key === 'v') return 'paste';
  if (mod && key === 'a') return 'selectAll';
  if (!mod && (key === 'delete' || key === 'backspace')) return 'delete';
  if (!mod && e.key === '?') return 'help';
  if (!mod && key === 'escape') return 'escape';
  return undefined;
}

export function useShortcuts(store: EditorStore, commands: Commands): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || typingInField(e.target)) return;
      const action = shortcutFor(e);
      if (action === undefined) return;
      const state = store.getState();
      if (state.shortcutsOpen && action !== 'help' && action !== 'escape') return;
      // Copy leaves a text selection on the page to the browser.
      if (action === 'copy' && (state.selection.length === 0 || (window.getSelection()?.toString() ?? '') !== '')) return;
      e.preventDefault();
      switch (action) {
        case 'undo':
          return commands.undo();
        case 'redo':
          return commands.redo();
        case 'copy':
          state.copySelection();
          return state.notify('info', `Copied ${state.selection.length} node${state.selection.length === 1 ? '' : 's'}`);
        case 'paste':
          return state.paste();
        case 'selectAll':
          return state.selectAll();
        case 'delete':
          return state.deleteSelection();
        case 'help':
          return state.setShortcutsOpen(!state.shortcutsOpen);
        case 'escape':
          return state.shortcutsOpen ? state.setShortcutsOpen(false) : state.select([]);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store, commands]);
}
