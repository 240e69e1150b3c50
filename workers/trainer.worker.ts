/// <reference lib="webworker" />
/** The training worker: exposes a Trainer over comlink. It owns every tensor and GPU buffer. */
import * as Comlink from 'comlink';
import { builtinDataset } from '../engine/data';
import type { GraphDocument } from '../engine/graph/document';
import { createBestBackend } from './backends';
import type { ObserveConfig } from './observeTypes';
import { Trainer } from './trainer';
import type { TrainEvent } from './types';

let prefer: 'auto' | 'cpu' = 'auto';

const trainer = new Trainer({
  createBackend: () => createBestBackend(prefer),
  loadDataset: async (doc) => builtinDataset(doc.training.dataset, doc.training.seed),
});

/** The API the page calls (see workers/client.ts). */
const api = {
  ping: () => 'pong' as const,
  preferBackend(kind: 'auto' | 'cpu') {
    prefer = kind;
  },
  compile: (doc: GraphDocument) => trainer.compile(doc),
  train: (onEvent: (e: TrainEvent) => void) => trainer.train(onEvent),
  pause: () => trainer.pause(),
  step: (n: number) => trainer.step(n),
  reset: () => trainer.reset(),
  stop: () => trainer.stop(),
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
};

export type TrainerApi = typeof api;

Comlink.expose(api);
