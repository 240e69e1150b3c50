import '@xyflow/react/dist/style.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { restoreAutosave, startAutosave } from './files/autosave';
import { memoryKeyValue, openKeyValue } from './files/keyValue';
import { createEditorStore } from './store/editorStore';
import { TEMPLATES } from './templates';
import { storedTheme } from './useTheme';
import './styles.css';
import './toolbar/toolbar.css';
import './panels/panels.css';
import './canvas/canvas.css';
import './canvas/notices.css';

/** Opens on the last autosaved graph, else on the first template, then keeps autosaving. */
async function boot(root: HTMLElement) {
  const storage = typeof indexedDB === 'undefined' ? memoryKeyValue() : openKeyValue();
  const restored = await restoreAutosave(storage);
  const store = createEditorStore(restored ?? TEMPLATES[0].build());
  store.getState().setTheme(storedTheme());
  startAutosave(store, storage);
  // A handle for tests and debugging from the console (DEV only), as Excalidraw's window.h.
  if (import.meta.env.DEV) Object.assign(window, { h: { store } });
  createRoot(root).render(
    <StrictMode>
      <App store={store} />
    </StrictMode>,
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
void boot(root);
