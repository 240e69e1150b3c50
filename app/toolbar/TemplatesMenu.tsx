/** The Templates menu button: a popup list of starting graphs (arrow keys move, Escape closes). */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useEditorStore } from '../store/context';
import { TEMPLATES } from '../templates';

export function TemplatesMenu() {
  const store = useEditorStore();
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    root.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const close = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', close);
    return () => document.removeEventListener('pointerdown', close);
  }, [open]);

  const onKeyDown = (e: KeyboardEvent) => {
    const items = [...(root.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape') {
      setOpen(false);
      button.current?.focus();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      items[(at + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
    }
  };

  const choose = (id: string) => {
    setOpen(false);
    store.getState().newFromTemplate(id);
  };

  return (
    <div className="menu-root" ref={root} onKeyDown={onKeyDown}>
      <button
        ref={button}
        type="button"
        className="btn"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen(!open)}
      >
        Templates <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <ul className="menu" role="menu" id={menuId} aria-label="Templates">
          {TEMPLATES.map((t) => (
            <li key={t.id} role="none">
              <button type="button" role="menuitem" className="menu-item" onClick={() => choose(t.id)} aria-describedby={`${menuId}-${t.id}`}>
                <span className="menu-item-name">{t.name}</span>
                <span className="menu-item-desc" id={`${menuId}-${t.id}`}>
                  {t.description}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
