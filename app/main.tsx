// First: zod must not compile validators with `new Function` (the production build's CSP forbids eval).
import '../engine/graph/jitless';
import '@xyflow/react/dist/style.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { autosaveFailureText, dismissUnreadable, earlierUnreadable, restoreAutosave, startAutosave, type Restored } from './files/autosave';
import { createAutosaveStatus } from './files/autosaveStatus';
import { broadcastTabChannel, watchOtherTabs, type OtherTabs } from './files/otherTabs';
import { memoryKeyValue, openKeyValue, storageUnloadCopy, type UnloadCopy } from './files/keyValue';
import { dismissHeld, heldEdits, restoreHeld } from './files/autosaveHeld';
import { openStudioDatabase } from './storage/database';
import { createEditorStore } from './store/editorStore';
import { TEMPLATES } from './templates';
import { storedTheme } from './useTheme';
import './styles.css';
import './toolbar/toolbar.css';
import './panels/panels.css';
import './canvas/canvas.css';
import './canvas/notices.css';
import './files/autosave.css';

/** The document a visit opens on, from what autosave kept. */
function firstDocument(restored: Restored) {
  if (restored.kind === 'restored') return restored.doc;
  if (restored.kind === 'unreadable' && restored.recovered !== undefined) return restored.recovered.doc;
  return TEMPLATES[0].build();
}

/**
 * Opens on the last autosaved graph, else on the first template, then keeps autosaving. An autosave
 * that cannot be read is kept aside and reported; when it could not be kept, or the storage could
 * not be read at all, autosave stays off so it never writes over work it could not read.
 */
async function boot(root: HTMLElement) {
  // Synchronous Web Storage copies of what must outlive a reload that comes before IndexedDB commits.
  let unloadCopy: UnloadCopy | undefined;
  let dismissedCopy: UnloadCopy | undefined;
  let heldCopy: UnloadCopy | undefined;
  try {
    unloadCopy = storageUnloadCopy(window.localStorage);
    dismissedCopy = storageUnloadCopy(window.localStorage, 'wiregrad/autosave/dismissed-copy');
    heldCopy = storageUnloadCopy(window.localStorage, 'wiregrad/autosave/held-copy');
  } catch {
    // A page that may not use localStorage (sandboxed, or site settings) relies on IndexedDB alone.
  }
  const status = createAutosaveStatus(
    (key) => void dismissUnreadable(storage, key, dismissedCopy).catch(() => {}),
    (key) => void dismissHeld(storage, key, dismissedCopy).catch(() => {}),
  );
  // Another tab blocking or outdating the database is said at once, before a write fails on it.
  const database = openStudioDatabase({ onProblem: (e) => status.getState().setFailure(autosaveFailureText(e)) });
  const storage = typeof indexedDB === 'undefined' ? memoryKeyValue() : openKeyValue(database);
  const restored = await restoreAutosave(storage, new Date(), unloadCopy);
  const store = createEditorStore(firstDocument(restored));
  store.getState().setTheme(storedTheme());
  if (restored.kind === 'unreadable') status.getState().setUnreadable(restored);
  else {
    const earlier = await earlierUnreadable(storage, dismissedCopy);
    if (earlier !== undefined) status.getState().setUnreadable(earlier);
  }
  if (restored.kind !== 'unavailable') {
    const held = await restoreHeld(storage, heldCopy, dismissedCopy);
    if (held !== undefined) status.getState().setHeld(held);
  }
  if (restored.kind === 'unavailable') status.getState().setOff(restored.reason);
  const safeToWrite = restored.kind !== 'unavailable' && (restored.kind !== 'unreadable' || restored.keptAs !== undefined);
  if (safeToWrite) {
    const channel = broadcastTabChannel();
    let tabs: OtherTabs | undefined;
    if (channel !== undefined) {
      const watcher = watchOtherTabs(store, channel, (conflict) => status.getState().setOtherTab(conflict === null ? null : watcher));
      tabs = watcher;
    }
    startAutosave(store, storage, {
      tabs,
      held: heldEdits(storage, heldCopy),
      page: { window, document },
      unloadCopy,
      report: (failure) => status.getState().setFailure(failure === undefined ? null : autosaveFailureText(failure)),
    });
  } else store.getState().setSaveState('failed');
  // A handle for tests and debugging from the console (DEV only), as Excalidraw's window.h.
  if (import.meta.env.DEV) Object.assign(window, { h: { store, autosave: status, database } });
  createRoot(root).render(
    <StrictMode>
      <App store={store} autosave={status} />
    </StrictMode>,
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
void boot(root);
