/** The keyboard shortcuts overlay, opened with `?` or the toolbar button; Escape or the button closes it. */
import { useEffect, useRef } from 'react';
import { useEditor, useEditorStore } from '../store/context';

const SHORTCUTS: readonly [keys: string, what: string][] = [
  ['Ctrl/⌘ + Z', 'Undo'],
  ['Ctrl/⌘ + Shift + Z, Ctrl + Y', 'Redo'],
  ['Delete, Backspace', 'Delete the selected nodes and edges'],
  ['Ctrl/⌘ + C', 'Copy the selected nodes'],
  ['Ctrl/⌘ + V', 'Paste'],
  ['Ctrl/⌘ + A', 'Select everything'],
  ['Ctrl/⌘ + click', 'Add to the selection'],
  ['Shift + drag', 'Select with a box'],
  ['Enter on a palette item', 'Add that node in the middle of the canvas'],
  ['Tab, Shift + Tab', 'Move between the edges and nodes on the canvas'],
  ['Enter on a node or edge', 'Select it (then Delete removes it)'],
  ['C on a node', 'Connect it: pick a compatible port from a list (also the Connect… button above a selected node)'],
  ['Arrow keys', 'Move the selected node'],
  ['?', 'Show this list'],
  ['Escape', 'Close this list, clear the selection'],
];

export function ShortcutsDialog() {
  const open = useEditor((s) => s.shortcutsOpen);
  const store = useEditorStore();
  const close = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const previous = document.activeElement as HTMLElement | null;
    close.current?.focus();
    return () => previous?.focus?.();
  }, [open]);

  if (!open) return null;
  const hide = () => store.getState().setShortcutsOpen(false);
  return (
    <div className="overlay" onPointerDown={(e) => e.target === e.currentTarget && hide()}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        onKeyDown={(e) => {
          if (e.key === 'Escape') hide();
          // Keep focus inside: the close button is the only focusable element.
          if (e.key === 'Tab') {
            e.preventDefault();
            close.current?.focus();
          }
        }}
      >
        <div className="dialog-head">
          <h2 id="shortcuts-title" className="dialog-title">
            Keyboard shortcuts
          </h2>
          <button ref={close} type="button" className="btn" onClick={hide}>
            Close
          </button>
        </div>
        <table className="shortcuts">
          <tbody>
            {SHORTCUTS.map(([keys, what]) => (
              <tr key={keys}>
                <th scope="row">
                  <kbd>{keys}</kbd>
                </th>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
