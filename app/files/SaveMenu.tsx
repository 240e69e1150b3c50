/**
 * Save, and the ways a model leaves the tab: a split button whose first half saves the graph (as
 * Save always did) and whose second half opens a menu (arrow keys move, Escape closes): graph
 * only, graph + weights, ONNX, a share link. Items that need trained weights stay reachable when
 * they cannot act, and say why.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { Commands } from '../commands';
import { useEditor } from '../store/context';
import { useTraining } from '../training/TrainingContext';
import { weightsBlocker } from './modelFile';

interface Item {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** Why the item cannot act now; undefined when it can. */
  readonly blocked?: string;
  readonly run: () => void;
}

export function SaveMenu({ commands }: { commands: Commands }) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const doc = useEditor((s) => s.doc);
  const compiled = useTraining((s) => s.compiled);
  // Only computed while the menu is open: it compares the run's document with the canvas's.
  const blocked = open ? weightsBlocker(compiled, doc) : undefined;

  useEffect(() => {
    if (!open) return;
    root.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const close = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', close);
    return () => document.removeEventListener('pointerdown', close);
  }, [open]);

  const items: readonly Item[] = [
    { id: 'graph', name: 'Graph only (.wiregrad.json)', description: 'The graph and its training settings', run: commands.save },
    {
      id: 'model',
      name: 'Graph + weights (.wiregrad.zip)',
      description: 'Opens here again with the trained weights',
      blocked,
      run: () => void commands.saveModel(),
    },
    { id: 'onnx', name: 'ONNX model (.onnx)', description: 'The trained model, for ONNX Runtime', blocked, run: () => void commands.exportOnnx() },
    {
      id: 'pytorch',
      name: 'PyTorch code (.zip)',
      description: 'model.py, train.py and the weights, to go on in PyTorch',
      blocked,
      run: () => void commands.exportPyTorch(),
    },
    { id: 'link', name: 'Copy share link', description: 'The graph in a link, without its weights', run: () => void commands.copyShareLink() },
  ];

  const onKeyDown = (e: KeyboardEvent) => {
    const nodes = [...(root.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = nodes.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape') {
      setOpen(false);
      button.current?.focus();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      nodes[(at + (e.key === 'ArrowDown' ? 1 : nodes.length - 1)) % nodes.length]?.focus();
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      nodes[e.key === 'Home' ? 0 : nodes.length - 1]?.focus();
    }
  };

  const choose = (item: Item) => {
    if (item.blocked) return;
    setOpen(false);
    button.current?.focus();
    item.run();
  };

  return (
    <div className="menu-root split-button" ref={root} onKeyDown={onKeyDown}>
      <button type="button" className="btn split-main" onClick={commands.save} title="Save the graph (.wiregrad.json)">
        Save
      </button>
      <button
        ref={button}
        type="button"
        className="btn split-toggle"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label="Download or share"
        title="Save with weights, export ONNX or PyTorch code, copy a share link"
        onClick={() => setOpen(!open)}
      >
        <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <ul className="menu save-menu" role="menu" id={menuId} aria-label="Save">
          {items.map((item) => (
            <li key={item.id} role="none">
              <button
                type="button"
                role="menuitem"
                className="menu-item"
                aria-disabled={item.blocked ? true : undefined}
                aria-describedby={`${menuId}-${item.id}`}
                onClick={() => choose(item)}
              >
                <span className="menu-item-name">{item.name}</span>
                <span className={item.blocked ? 'menu-item-desc is-blocked' : 'menu-item-desc'} id={`${menuId}-${item.id}`}>
                  {item.blocked ?? item.description}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
