/** The top bar: file actions, templates, history, layout and view, theme and help. */
import { useRef } from 'react';
import { useCommands } from '../commands';
import { IMPORT_ACCEPT } from '../files/importModel';
import { SaveMenu } from '../files/SaveMenu';
import { useShareLinkOpener } from '../files/useShareLink';
import { useEditor, useEditorStore, useHistory } from '../store/context';
import { TemplatesMenu } from './TemplatesMenu';

const SAVE_TEXT = { idle: '', pending: 'Saving…', saved: 'Saved in this browser', failed: 'Autosave failed' } as const;

export function Toolbar() {
  const store = useEditorStore();
  const commands = useCommands();
  const fileInput = useRef<HTMLInputElement>(null);
  const weightsInput = useRef<HTMLInputElement>(null);
  const name = useEditor((s) => s.doc.meta.name);
  const saveState = useEditor((s) => s.saveState);
  const canUndo = useHistory((s) => s.pastStates.length > 0);
  const canRedo = useHistory((s) => s.futureStates.length > 0);
  const mod = navigator.platform.startsWith('Mac') ? '⌘' : 'Ctrl+';
  // The toolbar is always mounted: it opens the graph of a share link the page starts on (or navigates to).
  useShareLinkOpener(commands.openShared);

  return (
    <header className="toolbar">
      <div className="brand">
        <img src="/favicon.svg" alt="" width={24} height={24} />
        <h1 className="brand-name">Wiregrad</h1>
      </div>
      <span className="doc-name" title={name}>
        {name}
      </span>
      <nav className="toolbar-groups" aria-label="Editor toolbar">
        <div className="toolbar-group" role="group" aria-label="File">
          <button type="button" className="btn" onClick={() => store.getState().newDocument()}>
            New
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => fileInput.current?.click()}
            title="Open a graph (.json), a model with its weights (.wiregrad.zip), or import an ONNX model (.onnx), a Keras model.to_json() (.json) or a Caffe net (.prototxt)"
          >
            Open
          </button>
          <input
            ref={fileInput}
            type="file"
            accept={`.json,.zip,application/json,application/zip,${IMPORT_ACCEPT}`}
            aria-label="Open graph file"
            className="visually-hidden"
            tabIndex={-1}
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void commands.open(file);
            }}
          />
          <SaveMenu commands={commands} />
          <button
            type="button"
            className="btn"
            onClick={() => weightsInput.current?.click()}
            title="Load weights (.safetensors) into this graph, matched by node and shape"
          >
            Load weights…
          </button>
          <input
            ref={weightsInput}
            type="file"
            accept=".safetensors"
            aria-label="Load weights file"
            className="visually-hidden"
            tabIndex={-1}
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void commands.loadWeights(file);
            }}
          />
          <TemplatesMenu />
        </div>
        <div className="toolbar-group" role="group" aria-label="History">
          <button type="button" className="btn" onClick={commands.undo} disabled={!canUndo} title={`Undo (${mod}Z)`}>
            Undo
          </button>
          <button type="button" className="btn" onClick={commands.redo} disabled={!canRedo} title={`Redo (${mod}Shift+Z)`}>
            Redo
          </button>
        </div>
        <div className="toolbar-group" role="group" aria-label="View">
          <button type="button" className="btn" onClick={() => void commands.autoLayout()}>
            Auto-layout
          </button>
          <button type="button" className="btn" onClick={commands.fitView}>
            Fit view
          </button>
        </div>
      </nav>
      <span className={`save-state is-${saveState}`} aria-live="off">
        {SAVE_TEXT[saveState]}
      </span>
      <div className="toolbar-group" role="group" aria-label="Preferences">
        <button type="button" className="btn btn-icon" onClick={commands.toggleTheme} aria-label="Toggle dark theme" title="Toggle light/dark theme">
          <span aria-hidden="true">◐</span>
        </button>
        <button
          type="button"
          className="btn btn-icon"
          onClick={() => store.getState().setShortcutsOpen(true)}
          aria-label="Keyboard shortcuts"
          title="Keyboard shortcuts (?)"
        >
          <span aria-hidden="true">?</span>
        </button>
      </div>
    </header>
  );
}
