/// <reference lib="webworker" />
/** The training worker: exposes a Trainer over comlink. It owns every tensor and GPU buffer. */
// First: zod must not compile validators with `new Function` (the production build's CSP forbids eval).
import '../engine/graph/jitless';
import * as Comlink from 'comlink';
import type { GraphDocument } from '../engine/graph/document';
import { datasetBudgetError } from '../engine/graph/memory';
import { createBestBackend } from './backends';
import { browserDataSources } from './browserDataSources';
import { DatasetLoader } from './datasets';
import { batchEvents } from './eventBatch';
import type { TrainingConfig } from '../engine/graph/training';
import type { Upload } from './uploads';
import type { ObserveConfig } from './observeTypes';
import { importModelFile, type ImportKind } from './importModels';
import { packModelFile, unpackModelFile } from './modelFiles';
import type { PredictRequest } from './predict';
import { attentionMap, type AttentionRequest } from './attentionMap';
import { generate, generateInfo, greedyAccuracy, type GenerateRequest } from './generate';
import { Trainer } from './trainer';
import { indexedDbTuneStore } from './tuneStore';
import type { CheckpointPolicy, TrainEvent } from './types';

const datasets = new DatasetLoader(browserDataSources());
/** Measured GEMM variants survive reloads: only the first compile on an adapter measures. */
const tuneStore = indexedDbTuneStore();

const trainer = new Trainer({
  createBackend: () => createBestBackend('auto', undefined, tuneStore),
  loadDataset: (doc) => datasets.forDocument(doc),
});

/** The page's event stream, batched; undefined until the page subscribes. */
let events: ReturnType<typeof batchEvents> | undefined;

/** A command's result, once the events it caused have been sent: the page sees them before the reply. */
async function answer<T>(result: T | Promise<T>): Promise<T> {
  try {
    return await result;
  } finally {
    events?.flush();
  }
}

/** The API the page calls (see workers/client.ts and DESIGN.md's session protocol). */
const api = {
  ping: () => 'pong' as const,
  /** The backend the session trains on, with its limits (created now if need be). */
  backendInfo: () => trainer.backendInfo(),
  /** Where the session's events go, in batches of one flush (see eventBatch.ts). */
  subscribe(onEvents: (events: TrainEvent[]) => void) {
    events?.flush();
    events = batchEvents(onEvents);
    trainer.subscribe(events.emit);
  },
  /** A new run of `doc` from fresh weights; the previous run (if any) ends. */
  open: (doc: GraphDocument) => answer(trainer.open(doc)),
  /** The page's latest document: applied live, as a hot edit, or refused with the reason. */
  update: (doc: GraphDocument) => answer(trainer.update(doc)),
  /** Stop and forget the run (the page opened another document). */
  close: () => answer(trainer.close()),
  /** A new run from fresh weights on the user's request. */
  restart: (doc: GraphDocument) => answer(trainer.restart(doc)),
  /** A new run from a checkpoint of another, with `doc`'s settings. */
  fork: (run: string, step: number, doc: GraphDocument) => answer(trainer.fork(run, step, doc)),
  /** The current run continues from its checkpoint at `step`. */
  rollback: (step: number) => answer(trainer.rollback(step)),
  setCheckpointPolicy: (policy: CheckpointPolicy) => trainer.setCheckpointPolicy(policy),
  /** Weights from a safetensors file into the open run, matched by name and shape (the report names every mismatch). */
  loadWeights: (bytes: Uint8Array) => answer(trainer.loadWeights(bytes)),
  /** `doc` and the open run's weights in one model file (.wiregrad.zip). */
  async saveModel(doc: GraphDocument) {
    const bytes = packModelFile(doc, await trainer.saveWeights());
    return Comlink.transfer(bytes, [bytes.buffer]);
  },
  /** A model file's graph (as text, for the page's document gate) and its weights; never throws. */
  unpackModel(bytes: Uint8Array, fileName: string) {
    const result = unpackModelFile(bytes, fileName);
    return result.ok ? Comlink.transfer(result, [result.weights.buffer]) : result;
  },
  /** Another framework's model (ONNX, Keras JSON, Caffe prototxt) as document text and, for ONNX, weights; never throws. */
  importModel(kind: ImportKind, bytes: Uint8Array, fileName: string) {
    const result = importModelFile(kind, bytes, fileName);
    return result.ok && result.weights ? Comlink.transfer(result, [result.weights.buffer]) : result;
  },
  /** The open graph as PyTorch code (model.py, train.py) with its weights, zipped. */
  async exportPyTorch() {
    const bytes = await trainer.exportPyTorch();
    return Comlink.transfer(bytes, [bytes.buffer]);
  },
  /** The open graph's inference part as ONNX, with the current weights. */
  async exportOnnx() {
    const bytes = await trainer.exportOnnx();
    return Comlink.transfer(bytes, [bytes.buffer]);
  },
  /** What the inference panel feeds the open run and reads from it (workers/predict.ts). */
  predictInfo: () => trainer.predictInfo(),
  /** One sample through the inference program on the current weights; training goes on. */
  predict: (request: PredictRequest) => trainer.predict(request),
  /** A 2-D classifier's predicted class over its input plane, with its samples (undefined for other graphs). */
  predictPlane: () => trainer.predictPlane(),
  /** What the generation panel generates from: a sequence model's vocabulary and context (workers/generate.ts). */
  generateInfo: () => trainer.withSession(async (s) => generateInfo(s)),
  /** Tokens after a prompt, sampled from the current weights; training goes on between calls. */
  generate: (request: GenerateRequest) => trainer.withSession((s) => generate(s, request)),
  /** Greedy decoding of a synthetic task's validation split, with its exact-match accuracy. */
  greedyAccuracy: () => trainer.withSession((s) => greedyAccuracy(s)),
  /** A MultiHeadAttention node's weights for one input (workers/attentionMap.ts). */
  attentionMap: (request: AttentionRequest) => trainer.withSession((s) => attentionMap(s, request)),
  train: () => answer(trainer.train()),
  pause: () => answer(trainer.pause()),
  step: (n: number) => answer(trainer.step(n)),
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
  previewDataset: (training: TrainingConfig) => {
    // Generating a dataset over the memory budget would stall the worker for minutes: refuse it as the page does.
    const tooBig = datasetBudgetError(training.dataset);
    return tooBig ? Promise.reject(new Error(tooBig.message)) : datasets.preview(training);
  },
};

export type TrainerApi = typeof api;

Comlink.expose(api);
