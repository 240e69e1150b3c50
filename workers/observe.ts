/**
 * What the trainer samples for the dashboard and probes besides the loss: called on every event
 * flush while training (≤ 10/s) and once when a run pauses or ends. Each view has its own
 * minimum interval, so watching costs a bounded share of the training time however fast steps are.
 */
import type { Program } from '../engine/compile/program';
import { gatherBatch, type Dataset } from '../engine/data';
import type { GraphDocument } from '../engine/graph/document';
import { getNodeSpec } from '../engine/graph/nodes';
import type { ClassifierReading, DecisionBoundary, ObserveConfig, ParamHistogram, ProbeReading, ProbeTarget, TensorSummary } from './observeTypes';
import { histogram, rms, tensorStats, tensorView } from './stats';
import type { TrainEvent } from './types';

export type { ObserveConfig } from './observeTypes';

/** What afterFlush can look at: the compiled program (at its latest step), the data and its split. */
export interface ObserveContext {
  readonly program: Program;
  readonly doc: GraphDocument;
  readonly dataset: Dataset;
  readonly split: { readonly train: Int32Array; readonly validation: Int32Array };
  /** True on the last call of a run (paused, done or failed). */
  readonly final: boolean;
}

/** Minimum milliseconds between samples of each view while training (final calls ignore them). */
export const OBSERVE_INTERVALS_MS = { histograms: 400, probes: 250, gradients: 500, confusion: 1000, boundary: 1500 } as const;

/**
 * Share of wall time sampling may take while training: after a sample that took d ms, the next
 * waits at least d·(1/share − 1) ms, so watching slows training by about this much at most on
 * any device (reads are cheap on a GPU and slow on a software one).
 */
export const OBSERVE_TIME_SHARE = 0.05;

type Clock = () => number;

/** A tensor's statistics, histogram and shape-fitting view. */
export function summarize(data: ArrayLike<number>, shape: readonly number[], bins = 30, layout: 'nhwc' | 'hwio' = 'nhwc'): TensorSummary {
  const stats = tensorStats(data);
  return { shape: [...shape], stats, histogram: histogram(data, bins, stats), view: tensorView(data, shape, layout) };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class Observer {
  private config: ObserveConfig = {};
  /** When each view was last sampled (clock ms) and at which step. */
  private last = { histograms: -Infinity, probes: -Infinity, gradients: -Infinity, confusion: -Infinity, boundary: -Infinity };
  private lastStep = { histograms: -1, probes: -1, gradients: -1, confusion: -1, boundary: -1 };
  private program: Program | undefined;
  /** Clock time before which a non-final call samples nothing (the time budget). */
  private quietUntil = -Infinity;

  constructor(private readonly now: Clock = () => performance.now()) {}

  configure(config: ObserveConfig): void {
    const probesChanged = JSON.stringify(config.probes ?? []) !== JSON.stringify(this.config.probes ?? []);
    this.config = config;
    this.quietUntil = -Infinity;
    // A newly opened probe or view is read at the next chance, not after the interval.
    if (probesChanged) this.lastStep.probes = -1;
    this.last = { histograms: -Infinity, probes: -Infinity, gradients: -Infinity, confusion: -Infinity, boundary: -Infinity };
    this.lastStep = {
      ...this.lastStep,
      gradients: -1,
      confusion: -1,
      boundary: -1,
      probes: -1,
      histograms: this.config.histogramEvery ? this.lastStep.histograms : -1,
    };
  }

  async afterFlush(ctx: ObserveContext): Promise<TrainEvent[]> {
    if (ctx.program !== this.program) {
      // A fresh program (compile, reset): its steps count from 0 again, so every view starts over.
      this.program = ctx.program;
      this.last = { histograms: -Infinity, probes: -Infinity, gradients: -Infinity, confusion: -Infinity, boundary: -Infinity };
      this.lastStep = { histograms: -1, probes: -1, gradients: -1, confusion: -1, boundary: -1 };
      this.quietUntil = -Infinity;
    }
    const c = this.config;
    const step = ctx.program.stepCount;
    if (step === 0) return [];
    const started = this.now();
    if (!ctx.final && started < this.quietUntil) return [];
    const events = await this.sample(ctx, c, step);
    if (events.length) this.quietUntil = this.now() + (this.now() - started) * (1 / OBSERVE_TIME_SHARE - 1);
    return events;
  }

  private async sample(ctx: ObserveContext, c: ObserveConfig, step: number): Promise<TrainEvent[]> {
    const events: TrainEvent[] = [];
    let grads: Promise<Record<string, Float32Array>> | undefined;
    const gradients = () => (grads ??= ctx.program.readGradients());

    // A view that fails (a node without a value, a device error) is skipped: watching must never stop training.
    const attempt = async (view: string, f: () => Promise<TrainEvent | undefined>) => {
      try {
        const e = await f();
        if (e) events.push(e);
      } catch (e) {
        console.warn(`[observe] ${view}: ${message(e)}`);
      }
    };
    const every = c.histogramEvery ?? 0;
    if (every > 0 && this.due('histograms', step, ctx.final, (s) => s - this.lastStep.histograms >= every)) {
      await attempt('histograms', async () => ({ type: 'histograms', step, tensors: await this.histograms(ctx, await gradients()) }));
    }
    if (c.probes?.length && this.due('probes', step, ctx.final)) {
      await attempt('probes', async () => ({ type: 'probes', readings: await Promise.all(c.probes!.map((p) => this.probe(ctx, p, gradients))) }));
    }
    if (c.edgeGradients && this.due('gradients', step, ctx.final)) {
      await attempt('gradients', async () => ({ type: 'gradients', step, rms: await this.edgeGradients(ctx) }));
    }
    const wantsBoundary = !!c.decisionBoundary && isPlanar(ctx.dataset) && this.due('boundary', step, ctx.final);
    const wantsConfusion = !!(c.confusion || c.decisionBoundary) && this.due('confusion', step, ctx.final);
    if (wantsConfusion || wantsBoundary) {
      await attempt('classifier', async () => {
        const reading = await classify(ctx, wantsBoundary);
        return reading && { type: 'classifier', reading };
      });
    }
    return events;
  }

  /** Whether a view should be sampled now: new steps since its last sample, and its interval passed (or the run's last call). */
  private due(
    view: keyof typeof OBSERVE_INTERVALS_MS,
    step: number,
    final: boolean,
    enough: (step: number) => boolean = (s) => s > this.lastStep[view],
  ): boolean {
    if (step === this.lastStep[view] || (!enough(step) && !final)) return false;
    const now = this.now();
    if (!final && now - this.last[view] < OBSERVE_INTERVALS_MS[view]) return false;
    this.last[view] = now;
    this.lastStep[view] = step;
    return true;
  }

  private async histograms(ctx: ObserveContext, grads: Record<string, Float32Array>): Promise<ParamHistogram[]> {
    const bins = this.config.histogramBins ?? 30;
    const out: ParamHistogram[] = [];
    const weights = await ctx.program.getWeights();
    for (const v of ctx.program.variables) {
      // Frozen parameters too (their values, which must stay put; they have no gradient).
      if (!v.trainable && !v.frozen) continue;
      for (const [what, data] of [
        ['value', weights[v.name]],
        ['grad', grads[v.name]],
      ] as const) {
        if (!data) continue;
        const stats = tensorStats(data);
        const h = histogram(data, bins, stats);
        out.push({ name: v.name, node: v.node, what, min: stats.min, max: stats.max, counts: Array.from(h.counts), nan: stats.nan, inf: stats.inf });
      }
    }
    return out;
  }

  private async probe(ctx: ObserveContext, p: ProbeTarget, gradients: () => Promise<Record<string, Float32Array>>): Promise<ProbeReading> {
    const { program } = ctx;
    const step = program.stepCount;
    try {
      if (p.variable) {
        const info = program.variables.find((v) => v.name === p.variable);
        if (!info) return { key: p.key, step, error: `node ${p.node} has no parameter ${p.variable}` };
        const layout = info.shape.length === 4 ? 'hwio' : 'nhwc';
        const value = summarize(await program.backend.readVariable(info.name), info.shape, 30, layout);
        const g = info.trainable ? (await gradients())[info.name] : undefined;
        return {
          key: p.key,
          step,
          value,
          ...(g
            ? { grad: summarize(g, info.shape, 30, layout) }
            : { gradError: info.trainable ? 'no gradient reaches this parameter' : 'this parameter is not trained' }),
        };
      }
      const value = await program.read(p.node, 'value', p.port);
      const reading: ProbeReading = { key: p.key, step, value: summarize(value.data, value.shape) };
      try {
        const grad = await program.read(p.node, 'grad', p.port);
        return { ...reading, grad: summarize(grad.data, grad.shape) };
      } catch (e) {
        return { ...reading, gradError: message(e) };
      }
    } catch (e) {
      return { key: p.key, step, error: message(e) };
    }
  }

  private async edgeGradients(ctx: ObserveContext): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    const sources = new Set(ctx.doc.edges.map((e) => `${e.from.node}.${e.from.port}`));
    for (const key of sources) {
      const dot = key.lastIndexOf('.');
      const grad = await ctx.program.read(key.slice(0, dot), 'grad', key.slice(dot + 1)).catch(() => undefined);
      if (grad) out[key] = rms(grad.data);
    }
    return out;
  }
}

/** A dataset of 2-D points with class labels (the decision boundary's input plane). */
function isPlanar(ds: Dataset): boolean {
  const x = ds.fields.x;
  return !!ds.classes && !!ds.fields.label && !!x && x.shape.length === 1 && x.shape[0] === 2;
}

/** The node and port whose output are the classifier's logits, if the graph is a classifier. */
function logitsOf(doc: GraphDocument): { node: string; port: string } | undefined {
  for (const n of doc.nodes) {
    if (getNodeSpec(n.type)?.classifier !== true) continue; // a loss or metric whose `pred` input is a classifier's logits
    const e = doc.edges.find((x) => x.to.node === n.id && x.to.port === 'pred');
    if (e) return e.from;
  }
  return undefined;
}

/** Argmax class and its softmax probability per row of [n, c] logits (c = 1: sigmoid, class 1 when > 0). */
export function predictions(logits: ArrayLike<number>, n: number, c: number): { cls: Int32Array; prob: Float32Array } {
  const cls = new Int32Array(n);
  const prob = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (c === 1) {
      const p = 1 / (1 + Math.exp(-logits[i]!));
      cls[i] = p > 0.5 ? 1 : 0;
      prob[i] = p > 0.5 ? p : 1 - p;
      continue;
    }
    let best = 0;
    for (let k = 1; k < c; k++) if (logits[i * c + k]! > logits[i * c + best]!) best = k;
    let z = 0;
    for (let k = 0; k < c; k++) z += Math.exp(logits[i * c + k]! - logits[i * c + best]!);
    cls[i] = best;
    prob[i] = 1 / z;
  }
  return { cls, prob };
}

/** Confusion matrix (true × predicted) of `predicted` against `labels`. */
export function confusionMatrix(labels: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[] {
  const m = new Array<number>(classes * classes).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const t = labels[i]!;
    const p = predicted[i]!;
    if (t >= 0 && t < classes && p < classes) m[t * classes + p]!++;
  }
  return m;
}

/** Logits of `samples` through the inference program: one forward per call, batch as given. */
async function logitsFor(ctx: PlaneContext, batch: Record<string, Float32Array | Int32Array>, target: { node: string; port: string }) {
  const out = await ctx.program.forward(batch, { nodes: [target.node] });
  const t = out.get(target.node)?.[target.port];
  if (!t) throw new Error(`the classifier's logits (node ${target.node}) could not be computed`);
  const n = t.shape[0] ?? 1;
  return { data: t.data, n, c: t.data.length / n };
}

/** Confusion matrix on the validation split (or a training sample) and, when asked, the decision boundary. */
async function classify(ctx: ObserveContext, withBoundary: boolean): Promise<ClassifierReading | undefined> {
  const target = logitsOf(ctx.doc);
  const labels = ctx.dataset.data.label;
  if (!target || !labels || !ctx.dataset.classes) return undefined;
  const split = ctx.split.validation.length ? 'validation' : 'training';
  const indices = split === 'validation' ? ctx.split.validation : ctx.split.train.subarray(0, 512);
  const batch = gatherBatch(ctx.dataset, indices);
  const logits = await logitsFor(ctx, batch, target);
  const classes = Math.max(ctx.dataset.classes, logits.c, 2);
  const { cls } = predictions(logits.data, logits.n, logits.c);
  const reading: ClassifierReading = { step: ctx.program.stepCount, classes, split, confusion: confusionMatrix(batch.label!, cls, classes) };
  if (!withBoundary) return reading;
  return { ...reading, boundary: await boundary(ctx, target, indices) };
}

/** The range of 2-D points (x, y pairs). */
export function planeBounds(xy: ArrayLike<number>): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i + 1 < xy.length; i += 2) {
    b[0] = Math.min(b[0], xy[i]!);
    b[1] = Math.max(b[1], xy[i]!);
    b[2] = Math.min(b[2], xy[i + 1]!);
    b[3] = Math.max(b[3], xy[i + 1]!);
  }
  return b;
}

/** What a decision boundary reads: the open run, without the observer's timing. */
export type PlaneContext = Omit<ObserveContext, 'final'>;

/**
 * The predicted class over the input plane of a 2-D classifier on the weights held now (the Try-it
 * panel's picker draws it); undefined when the graph is not a classifier of 2-D points.
 */
export async function decisionPlane(ctx: PlaneContext): Promise<DecisionBoundary | undefined> {
  const target = logitsOf(ctx.doc);
  if (!target || !ctx.dataset.data.label || !isPlanar(ctx.dataset)) return undefined;
  return boundary(ctx, target, ctx.split.validation.length ? ctx.split.validation : ctx.split.train.subarray(0, 512));
}

/**
 * The predicted class over a grid covering the data. The grid goes through the inference program
 * in chunks the size of the split batch, with the same fields fed, so no new program is compiled.
 */
async function boundary(ctx: PlaneContext, target: { node: string; port: string }, indices: Int32Array): Promise<DecisionBoundary> {
  const xs = ctx.dataset.data.x!;
  let [x0, x1, y0, y1] = planeBounds(xs);
  const [mx, my] = [(x1 - x0) * 0.08 || 1, (y1 - y0) * 0.08 || 1];
  [x0, x1, y0, y1] = [x0 - mx, x1 + mx, y0 - my, y1 + my];
  const chunk = indices.length;
  const resolution = Math.max(16, Math.min(48, Math.floor(Math.sqrt(8 * chunk))));
  const cells = resolution * resolution;
  const predicted = new Uint8Array(cells);
  const confidence = new Float32Array(cells);
  for (let start = 0; start < cells; start += chunk) {
    const x = new Float32Array(chunk * 2);
    for (let k = 0; k < chunk && start + k < cells; k++) {
      const i = Math.floor((start + k) / resolution);
      const j = (start + k) % resolution;
      x[2 * k] = x0 + ((j + 0.5) * (x1 - x0)) / resolution;
      x[2 * k + 1] = y1 - ((i + 0.5) * (y1 - y0)) / resolution;
    }
    const logits = await logitsFor(ctx, { x, label: new Int32Array(chunk) }, target);
    const { cls, prob } = predictions(logits.data, logits.n, logits.c);
    const take = Math.min(chunk, cells - start);
    predicted.set(cls.subarray(0, take), start);
    confidence.set(prob.subarray(0, take), start);
  }
  const shown = ctx.split.train.subarray(0, 400);
  const all = Int32Array.from([...shown, ...indices]);
  const points = new Float32Array(all.length * 2);
  const labels = new Int32Array(all.length);
  all.forEach((s, k) => {
    points[2 * k] = xs[2 * s]!;
    points[2 * k + 1] = xs[2 * s + 1]!;
    labels[k] = ctx.dataset.data.label![s]!;
  });
  return { resolution, x0, x1, y0, y1, predicted, confidence, points, labels };
}
