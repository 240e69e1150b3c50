/**
 * Wiring with the keyboard: a dialog listing every port of other nodes that one node can connect to
 * (a combobox over a listbox). Typing filters, arrows move, Enter connects, Escape closes. Ports that
 * cannot connect stay listed, disabled, with the reason mouse wiring would give.
 */
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useEditor, useEditorStore } from '../store/context';
import type { GraphDocument } from '../../engine/graph/document';
import { displayName } from '../store/names';
import { checkOption, checkSome, connectableFirst, filterOptions, hasUnchecked, listConnectOptions, type ConnectOption } from './connectOptions';

/** Shape checks done before the first paint, and per later slice, in ms: a 300-node graph stays responsive. */
const FIRST_BUDGET_MS = 40;
const SLICE_BUDGET_MS = 12;
/** How far Page Up / Page Down move. */
const PAGE = 8;

interface Listing {
  readonly doc: GraphDocument;
  readonly nodeId: string;
  readonly options: readonly ConnectOption[];
}

const listing = (doc: GraphDocument, nodeId: string): Listing => ({ doc, nodeId, options: checkSome(doc, listConnectOptions(doc, nodeId), FIRST_BUDGET_MS) });

function OptionRow({ option, id, active, onPick }: { option: ConnectOption; id: string; active: boolean; onPick: () => void }) {
  const refused = option.refusal !== undefined && option.refusal !== 'unchecked';
  return (
    <div
      id={id}
      role="option"
      aria-selected={active}
      aria-disabled={refused || undefined}
      aria-label={option.text}
      aria-describedby={`${id}-about`}
      className={`connect-option${active ? ' is-active' : ''}${refused ? ' is-refused' : ''}`}
      // Keep focus in the search field; a click picks.
      onMouseDown={(e) => e.preventDefault()}
      onClick={onPick}
    >
      <span className="connect-wire">
        <span className="connect-end">
          <span className="connect-node">{option.fromName}</span>
          <span className="connect-port">.{option.from.port}</span>
        </span>
        <span className="connect-arrow">→</span>
        <span className="connect-end">
          <span className="connect-node">{option.toName}</span>
          <span className="connect-port">.{option.to.port}</span>
        </span>
      </span>
      <span className="connect-type" title="The type the source port carries">
        {option.type === '?' ? '' : option.type}
      </span>
      {/* Read after the name: the reason it cannot connect, or the type it would carry. */}
      <span id={`${id}-about`} className={refused ? 'connect-reason' : option.refusal === 'unchecked' ? 'connect-reason is-pending' : 'visually-hidden'}>
        {refused ? option.refusal : option.refusal === 'unchecked' ? 'Checking shapes…' : option.type === '?' ? 'type not known yet' : `carries ${option.type}`}
      </span>
    </div>
  );
}

export function ConnectDialog({ nodeId, onClose }: { nodeId: string; onClose: () => void }) {
  const store = useEditorStore();
  const doc = useEditor((s) => s.doc);
  const baseId = useId();
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const [query, setQuery] = useState('');
  const [activeKey, setActiveKey] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState('');

  // The options follow the document (they are recomputed if it changes while the list is open).
  const [state, setState] = useState(() => listing(doc, nodeId));
  let current = state;
  if (state.doc !== doc || state.nodeId !== nodeId) {
    current = listing(doc, nodeId);
    setState(current);
  }
  const { options } = current;
  const index = useMemo(() => new Map(options.map((o, i) => [o.key, i])), [options]);
  const filtered = useMemo(() => filterOptions(options, query), [options, query]);
  const { open, refused } = useMemo(() => connectableFirst(filtered), [filtered]);
  const shown = useMemo(() => [...open, ...refused], [open, refused]);
  const active = shown.find((o) => o.key === activeKey) ?? shown[0];

  // Shape checks left over after the first paint run in slices, the options on screen first.
  const pending = hasUnchecked(options);
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(() => {
      const first = filtered.map((o) => index.get(o.key)!);
      setState((s) => (s.doc === doc && s.nodeId === nodeId ? { ...s, options: checkSome(doc, s.options, SLICE_BUDGET_MS, first) } : s));
    }, 0);
    return () => clearTimeout(timer);
  }, [pending, options, filtered, index, doc, nodeId]);

  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    if (active === undefined) return;
    list.current?.querySelector(`#${CSS.escape(optionId(active))}`)?.scrollIntoView({ block: 'nearest' });
  });

  const node = doc.nodes.find((n) => n.id === nodeId);
  const title = node ? displayName(node) : nodeId;
  function optionId(o: ConnectOption) {
    return `${baseId}-option-${index.get(o.key)}`;
  }

  function pick(option: ConnectOption | undefined) {
    if (option === undefined) return;
    const verdict = checkOption(store.getState().doc, option);
    if (verdict.refusal !== undefined) {
      if (verdict !== option) setState((s) => ({ ...s, options: s.options.map((o) => (o.key === option.key ? verdict : o)) }));
      setMessage(`Cannot connect ${option.text}: ${verdict.refusal}`);
      return;
    }
    const result = store.getState().connect(option.from, option.to);
    if (!result.ok) {
      setMessage(result.reason);
      return;
    }
    store.getState().notify('info', `Connected ${option.text}`);
    onClose();
  }

  function move(to: number) {
    if (shown.length === 0) return;
    setActiveKey(shown[Math.max(0, Math.min(shown.length - 1, to))].key);
    setMessage('');
  }

  function onKeyDown(e: KeyboardEvent) {
    const at = active === undefined ? -1 : shown.indexOf(active);
    const keys: Record<string, (() => void) | undefined> = {
      ArrowDown: () => move(at + 1),
      ArrowUp: () => move(at - 1),
      PageDown: () => move(at + PAGE),
      PageUp: () => move(at - PAGE),
      Home: e.target === input.current && query !== '' ? undefined : () => move(0),
      End: e.target === input.current && query !== '' ? undefined : () => move(shown.length - 1),
      Enter: () => pick(active),
      Escape: onClose,
    };
    const action = Object.hasOwn(keys, e.key) ? keys[e.key] : undefined;
    if (action !== undefined) {
      e.preventDefault();
      e.stopPropagation();
      action();
    } else if (e.key === 'Tab') {
      // Focus stays in the dialog: the search field and the close button.
      e.preventDefault();
      const focusables = [...(e.currentTarget as HTMLElement).querySelectorAll<HTMLElement>('input, button')];
      const at = focusables.indexOf(document.activeElement as HTMLElement);
      focusables[(at + (e.shiftKey ? -1 : 1) + focusables.length) % focusables.length]?.focus();
    }
  }

  const summary = pending
    ? 'Checking shapes…'
    : open.length === 0
      ? query
        ? `Nothing that can connect matches “${query}”.`
        : `${title} cannot connect to anything now.`
      : `${open.length} ${open.length === 1 ? 'port' : 'ports'} can connect${refused.length > 0 ? `, ${refused.length} cannot` : ''}.`;

  const group = (label: string, items: readonly ConnectOption[], id: string) =>
    items.length > 0 && (
      <div role="group" aria-labelledby={id} className="connect-group">
        <div id={id} role="presentation" className="connect-group-title">
          {label} <span className="connect-count">{items.length}</span>
        </div>
        {items.map((o) => (
          <OptionRow key={o.key} option={o} id={optionId(o)} active={o === active} onPick={() => pick(o)} />
        ))}
      </div>
    );

  return (
    <div className="overlay connect-overlay" onPointerDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="dialog connect-dialog" role="dialog" aria-modal="true" aria-labelledby={`${baseId}-title`} onKeyDown={onKeyDown}>
        <div className="dialog-head">
          <h2 id={`${baseId}-title`} className="dialog-title">
            Connect {title}
          </h2>
          <button type="button" className="btn" onClick={onClose}>
            Close
          </button>
        </div>
        <input
          ref={input}
          type="text"
          className="input connect-search"
          role="combobox"
          aria-expanded="true"
          aria-controls={`${baseId}-list`}
          aria-autocomplete="list"
          aria-activedescendant={active ? optionId(active) : undefined}
          aria-describedby={`${baseId}-hint`}
          aria-label="Filter ports"
          placeholder="Filter by node or port…"
          autoComplete="off"
          spellCheck={false}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActiveKey(undefined);
            setMessage('');
          }}
        />
        <p id={`${baseId}-hint`} className="connect-hint">
          <kbd>↑</kbd> <kbd>↓</kbd> choose · <kbd>Enter</kbd> connect · <kbd>Esc</kbd> close
        </p>
        <div ref={list} id={`${baseId}-list`} role="listbox" aria-label={`Ports ${title} can connect to`} className="connect-list">
          {group('Can connect', open, `${baseId}-open`)}
          {group('Cannot connect', refused, `${baseId}-refused`)}
        </div>
        <p role="status" className={`connect-status${message ? ' is-error' : ''}`}>
          {message || summary}
        </p>
      </div>
    </div>
  );
}
