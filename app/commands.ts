/**
 * Commands shared by the toolbar, the keyboard and the palette: the things that need the canvas
 * (viewport centre, fit view) or the file system as well as the store.
 */
import { useReactFlow, useStoreApi } from '@xyflow/react';
import { useMemo } from 'react';
import type { GraphDocument } from '../engine/graph/document';
import { quote } from '../engine/graph/limits';
import { downloadBlob } from './browser/download';
import { fileNameFor, readGraphFile, serializeDocument } from './files/documentFile';
import { importKindOf, readImportedModel } from './files/importModel';
import { OPEN_HEAD_BYTES, openSizeProblem, weightsSizeProblem } from './files/openSize';
import { isZip, modelFileName, onnxFileName, pytorchFileName, readModelFile, weightsBlocker, weightsNotice } from './files/modelFile';
import { shareLinkProblem, shareUrl } from './files/shareLink';
import { DEFAULT_NODE_SIZE, layoutPositions } from './layout/autoLayout';
import { useEditorStore } from './store/context';
import { redo, undo } from './store/editorStore';
import { useTrainingHandle } from './training/TrainingContext';
import { useTrainingCommands } from './training/useTrainingCommands';

/** Step used to find a free spot when several nodes are added at the centre. */
const CASCADE = 24;

export interface Commands {
  undo(): void;
  redo(): void;
  /** Adds a node at the centre of the visible canvas (keyboard and click in the palette). */
  addAtCentre(type: string): void;
  /** Downloads the graph alone (.wiregrad.json). */
  save(): void;
  /** Downloads the graph with the open run's weights (.wiregrad.zip). */
  saveModel(): Promise<void>;
  /** Opens a graph (.json), a model file (.wiregrad.zip: the graph, then a run with its weights), or imports an ONNX, Keras or Caffe model. */
  open(file: File): Promise<void>;
  /** Loads a safetensors file's weights into the canvas's graph, matched by node and shape. */
  loadWeights(file: File): Promise<void>;
  /** Downloads the open run's inference graph and weights as ONNX. */
  exportOnnx(): Promise<void>;
  /** Downloads the open run as PyTorch code (model.py, train.py) with its weights, zipped. */
  exportPyTorch(): Promise<void>;
  /** Puts a link carrying the graph (not its weights) on the clipboard. */
  copyShareLink(): Promise<void>;
  /** Opens a document that came in a share link, as a file is opened. */
  openShared(doc: GraphDocument): void;
  autoLayout(): Promise<void>;
  fitView(): void;
  toggleTheme(): void;
}

export function useCommands(): Commands {
  const store = useEditorStore();
  const flow = useReactFlow();
  const flowStore = useStoreApi();
  const training = useTrainingHandle();
  const { restart } = useTrainingCommands();

  return useMemo<Commands>(() => {
    const notify = (kind: 'info' | 'error', text: string) => store.getState().notify(kind, text);
    const failure = (e: unknown) => (e instanceof Error ? e.message : String(e));

    /** The open run's weights, or undefined (and a notice saying why) when they do not belong to the canvas's graph. */
    const currentWeights = async <T>(what: string, read: () => Promise<T>): Promise<T | undefined> => {
      const blocked = weightsBlocker(training.store.getState().compiled, store.getState().doc);
      if (blocked) {
        notify('error', `Could not ${what}. ${blocked}`);
        return undefined;
      }
      try {
        return await read();
      } catch (e) {
        notify('error', `Could not ${what}: ${failure(e)}`);
        return undefined;
      }
    };

    /**
     * A new run of the canvas's document (the Training panel's own restart, untrained), then
     * `bytes` loaded into it; the notice (after `opened`, a sentence or '') names `source` and every node that did not match.
     */
    const compileAndLoad = async (bytes: Uint8Array, source: string, opened: string) => {
      const doc = store.getState().doc;
      await restart(false);
      if (training.store.getState().compiled !== doc) {
        const why = training.store.getState().error?.message;
        notify('error', `${opened}The graph does not compile, so the weights in ${source} were not loaded${why ? `: ${why}` : '.'}`);
        return;
      }
      try {
        const match = await training.client().api.loadWeights(bytes);
        const notice = weightsNotice(match, source);
        notify(notice.kind, `${opened}${notice.text}`);
      } catch (e) {
        notify('error', `${opened}Could not load the weights in ${source}: ${failure(e)}`);
      }
    };

    const readBytes = async (file: Blob & { name?: string }, name = file.name ?? 'the file'): Promise<Uint8Array | undefined> => {
      try {
        return new Uint8Array(await file.arrayBuffer());
      } catch (e) {
        notify('error', `Could not read ${quote(name)}: ${failure(e)}`);
        return undefined;
      }
    };

    return {
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
        const name = downloadBlob(new Blob([serializeDocument(doc)], { type: 'application/json' }), fileNameFor(doc));
        notify('info', `Saved ${name}`);
      },

      async saveModel() {
        const doc = store.getState().doc;
        const bytes = await currentWeights('save the weights', () => training.client().api.saveModel(doc));
        if (!bytes) return;
        const name = downloadBlob(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), modelFileName(doc));
        notify('info', `Saved ${name} (the graph and its weights, ${Math.max(1, Math.round(bytes.byteLength / 1024))} KB)`);
      },

      async open(file) {
        // The size is checked before the file is read whole: a huge file never fills the tab.
        const head = await readBytes(file.slice(0, OPEN_HEAD_BYTES), file.name);
        if (!head) return;
        const tooBig = openSizeProblem(file.name, file.size, head);
        if (tooBig) {
          notify('error', tooBig);
          return;
        }
        const bytes = await readBytes(file);
        if (!bytes) return;
        const kind = importKindOf(file.name, bytes);
        if (kind) {
          // Another framework's model: nothing changes on the canvas unless all of it imports.
          const { width, height } = flowStore.getState();
          const read = await readImportedModel(await training.client().api.importModel(kind, bytes, file.name), file.name, { width, height });
          if (!read.ok) notify('error', read.message);
          else if (store.getState().loadDocument(read.doc).ok) {
            if (read.weights) await compileAndLoad(read.weights, quote(file.name), `${read.notice} `);
            else notify('info', read.notice);
          }
          return;
        }
        if (!isZip(bytes)) {
          let text: string;
          try {
            text = new TextDecoder().decode(bytes);
          } catch (e) {
            notify('error', `Could not read ${quote(file.name)}: ${failure(e)}`);
            return;
          }
          const read = readGraphFile(text, file.name);
          if (!read.ok) notify('error', read.message);
          else if (store.getState().loadDocument(read.doc).ok) notify('info', `Opened ${file.name}`);
          return;
        }
        // A model file: nothing changes on the canvas unless the whole file reads.
        const read = readModelFile(await training.client().api.unpackModel(bytes, file.name), file.name);
        if (!read.ok) {
          notify('error', read.message);
          return;
        }
        if (!store.getState().loadDocument(read.doc).ok) return;
        notify('info', `Opened ${file.name}; compiling it to load its weights…`);
        await compileAndLoad(read.weights, quote(file.name), `Opened ${file.name}. `);
      },

      async loadWeights(file) {
        // As Open does: a file too large to be weights is refused before it is read whole.
        const tooBig = weightsSizeProblem(file.name, file.size);
        if (tooBig) {
          notify('error', tooBig);
          return;
        }
        const bytes = await readBytes(file);
        if (!bytes) return;
        const { compiled } = training.store.getState();
        const doc = store.getState().doc;
        // A run of this very graph takes the weights as it is (even while it trains); otherwise compile one first.
        if (compiled && !weightsBlocker(compiled, doc)) {
          try {
            const notice = weightsNotice(await training.client().api.loadWeights(bytes), quote(file.name));
            notify(notice.kind, notice.text);
          } catch (e) {
            notify('error', `Could not load weights from ${quote(file.name)}: ${failure(e)}`);
          }
          return;
        }
        await compileAndLoad(bytes, quote(file.name), '');
      },

      async exportOnnx() {
        const doc = store.getState().doc;
        const bytes = await currentWeights('export ONNX', () => training.client().api.exportOnnx());
        if (!bytes) return;
        const name = downloadBlob(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }), onnxFileName(doc));
        notify('info', `Exported ${name}`);
      },

      async exportPyTorch() {
        const doc = store.getState().doc;
        const bytes = await currentWeights('export PyTorch code', () => training.client().api.exportPyTorch());
        if (!bytes) return;
        const name = downloadBlob(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), pytorchFileName(doc));
        notify('info', `Exported ${name}: model.py, train.py and the weights (python3 train.py --help)`);
      },

      async copyShareLink() {
        const url = shareUrl(store.getState().doc, window.location.href);
        const tooLarge = shareLinkProblem(url.slice(url.indexOf('#') + 1));
        if (tooLarge) {
          notify('error', tooLarge);
          return;
        }
        try {
          await navigator.clipboard.writeText(url);
          notify('info', 'Copied a link to this graph (without its weights).');
        } catch (e) {
          notify('error', `Could not copy the link: the browser refused the clipboard (${failure(e)}).`);
        }
      },

      openShared(doc) {
        if (store.getState().loadDocument(doc).ok) {
          notify(
            'info',
            `Opened ${quote(doc.meta.name || 'a graph')} from a share link: press Train in the Training panel to train it. Undo brings back the graph you had.`,
          );
        }
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
    };
  }, [store, flow, flowStore, training, restart]);
}
