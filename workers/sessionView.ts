/**
 * The session's reading side: the commands that read the open run without training it — predict,
 * generation and attention maps (through withSession), inspect, the op graph, weights and model
 * files. The Trainer (workers/trainer.ts) extends it with the commands that change the run.
 */
import type { Backend } from '../engine/backends/backend';
import type { OpView, Program } from '../engine/compile/program';
import type { Dataset } from '../engine/data';
import type { GraphDocument } from '../engine/graph/document';
import { predict, predictInfo, unscaledDoc, type PredictInfo, type PredictRequest, type Prediction } from './predict';
import { decisionPlane } from './observe';
import type { DecisionBoundary } from './observeTypes';
import { inspectNode, onnxFile, pytorchZip, weightsFile } from './runFiles';
import type { BackendInfo, Inspection } from './types';

/** Where the trainer gets its backend and data; the worker passes real ones, tests pass CPU ones. */
export interface TrainerDeps {
  createBackend(): Promise<{ backend: Backend; info: BackendInfo }>;
  loadDataset(doc: GraphDocument): Promise<Dataset>;
  /** Milliseconds clock. */
  now?(): number;
}

/** The compiled run as the reading commands see it. */
export interface OpenSession {
  program: Program;
  doc: GraphDocument;
  dataset: Dataset;
  /** Sample indices of the training and validation splits. */
  split: { train: Int32Array; validation: Int32Array };
}

const NOT_COMPILED = 'nothing is compiled: train (or open) a graph first';

/** The open run's state and the commands that only read it; the Trainer sets the state. */
export abstract class SessionView {
  protected doc: GraphDocument | undefined;
  protected program: Program | undefined;
  protected dataset: Dataset | undefined;
  protected split: { train: Int32Array; validation: Int32Array } | undefined;
  /** Session commands (open, update, predict …) one at a time, in the order they came. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(protected readonly deps: TrainerDeps) {}

  /** `f` after every command queued before it, and before any queued after it. */
  protected exclusive<T>(f: () => Promise<T>): Promise<T> {
    const result = this.queue.then(f);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** The open run, or undefined before a graph is compiled. */
  protected session(): OpenSession | undefined {
    const [program, doc, dataset, split] = [this.program, this.doc, this.dataset, this.split];
    return program && doc && dataset && split ? { program, doc, dataset, split } : undefined;
  }

  /** The compiled training program's ops (forward, autodiff's backward, updates); empty before compiling. */
  opGraph(): OpView[] {
    return this.program?.opGraph() ?? [];
  }

  /** A node's value or gradient at the current step, summarised for display. */
  async inspect(node: string, what: 'value' | 'grad', options: { bins?: number; maxValues?: number } = {}): Promise<Inspection> {
    if (!this.program) throw new Error('nothing is compiled');
    return inspectNode(this.program, node, what, options);
  }

  async getWeights(): Promise<Record<string, Float32Array>> {
    if (!this.program) throw new Error('nothing is compiled');
    return this.program.getWeights();
  }

  /** What the inference panel feeds and reads (workers/predict.ts); rejects before a graph is compiled. */
  async predictInfo(): Promise<PredictInfo> {
    const session = this.session();
    if (!session) throw new Error(NOT_COMPILED);
    return predictInfo(session);
  }

  /** One sample through the inference program on the weights the run holds now (no step, no gradient); training goes on. */
  predict(request: PredictRequest): Promise<Prediction> {
    return this.withSession((s) => predict({ ...s, unscaled: () => this.deps.loadDataset(unscaledDoc(s.doc)) }, request));
  }

  /** The predicted class over a 2-D classifier's input plane, with its samples (the Try-it picker); undefined for other graphs. */
  predictPlane(): Promise<DecisionBoundary | undefined> {
    return this.withSession((s) => decisionPlane(s));
  }

  /** `f` on the compiled run (generation, attention maps: workers/generate.ts, attentionMap.ts) between training steps. */
  withSession<T>(f: (session: OpenSession) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      const session = this.session();
      if (!session) throw new Error(NOT_COMPILED);
      return f(session);
    });
  }

  /** The trained parameters (and running statistics) as a safetensors file named by node (`dense1.kernel`). */
  async saveWeights(): Promise<Uint8Array> {
    if (!this.program || !this.doc) throw new Error(NOT_COMPILED);
    return weightsFile(this.program, this.doc);
  }

  /** The open graph's inference part as an ONNX model (opset 17) with the current weights. */
  async exportOnnx(): Promise<Uint8Array> {
    if (!this.program || !this.doc) throw new Error(NOT_COMPILED);
    return onnxFile(this.program, this.doc);
  }

  /**
   * The open graph as PyTorch code with its weights, zipped: model.py (an nn.Module named by node),
   * train.py (same loss, optimizer and schedule; single process or data-parallel) and weights.safetensors.
   */
  async exportPyTorch(): Promise<Uint8Array> {
    if (!this.program || !this.doc) throw new Error(NOT_COMPILED);
    return pytorchZip(this.program, this.doc);
  }
}
