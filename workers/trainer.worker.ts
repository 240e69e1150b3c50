/// <reference lib="webworker" />
/** The training worker: exposes a Trainer over comlink. It owns every tensor and GPU buffer. */
import * as Comlink from 'comlink';
import type { GraphDocument } from '../engine/graph/document';
import { createBestBackend } from './backends';
import { browserDataSources } from './browserDataSources';
import { DatasetLoader } from './datasets';
import { batchEvents } from './eventBatch';
import type { TrainingConfig } from '../engine/graph/training';
import type { Upload } from './uploads';
import type { ObserveConfig } from './observeTypes';
import { Trainer } from './trainer';
import { indexedDbTuneStore } from './tuneStore';
import type { TrainEvent } from './types';

let prefer: 'auto' | 'cpu' = 'auto';

const datasets = new DatasetLoader(browserDataSources());
/** Measured GEMM variants survive reloads: only the first compile on an adapter measures. */
const tuneStore = indexedDbTuneStore();

const trainer = new Trainer({
  createBackend: () => createBestBackend(prefer, undefined, tuneStore),
  loadDataset: (doc) => datasets.forDocument(doc),
});

/** The page's event stream, batched; undefined until the page first calls train. */
let events: ReturnType<typeof batchEvents> | undefined;

/** A command's result, once the events it caused have been sent: the page sees them before the reply. */
async function answer<T>(result: T | Promise<T>): Promise<T> {
  try {
    return await result;
  } finally {
    events?.flush();
  }
}

/** The API the page calls (see workers/client.ts). */
const api = {
  ping: () => 'pong' as const,
  preferBackend(kind: 'auto' | 'cpu') {
    prefer = kind;
  },
  compile: (doc: GraphDocument) => answer(trainer.compile(doc)),
  /** Events come in batches, one message per flush (see eventBatch.ts). */
  train(onEvents: (events: TrainEvent[]) => void) {
    events?.flush();
    events = batchEvents(onEvents);
    return answer(trainer.train(events.emit));
  },
  pause: () => answer(trainer.pause()),
  step: (n: number) => answer(trainer.step(n)),
  reset: () => answer(trainer.reset()),
  stop: () => answer(trainer.stop()),
  setLearningRate: (lr: number) => trainer.setLearningRate(lr),
  status: () => trainer.status,
  async inspect(node: string, what: 'value' | 'grad', options?: { bins?: number; maxValues?: number }) {
    const result = await trainer.inspect(node, what, options);
    return Comlink.transfer(result, [result.values.buffer, result.histogram.counts.buffer, result.histogram.edges.buffer]);
  },
  async getWeights() {
    const w = await trainer.getWeights();
    return Comlink.transfer(w, Object.values(w).map((a) => a.buffer));
  },
  setWeights: (w: Record<string, Float32Array>) => trainer.setWeights(w),
  /** What the dashboard and probes want sampled while training (workers/observe.ts). */
  observe: (config: ObserveConfig) => trainer.observe(config),
  /** Sample it now, when not training; the events come back rather than through the stream. */
  observeNow: () => trainer.observeNow(),
  opGraph: () => trainer.opGraph(),
  /** Store uploaded files (kept in IndexedDB under their dataset name) and say what they hold. */
  putUpload: (upload: Omit<Upload, 'savedAt'>) => datasets.putUpload(upload),
  /** The stored upload's summary, or undefined when this browser does not have it. */
  describeUpload: (name: string) => datasets.describeUpload(name),
  /** A few samples, the class balance and the split sizes of the dataset a training config names. */
  previewDataset: (training: TrainingConfig) => datasets.preview(training),
};

export type TrainerApi = typeof api;

Comlink.expose(api);
