/**
 * The inference panel's command: one sample through the session's inference program (no training
 * step, no gradient) on the weights the run holds now — while it trains, or after weights were
 * loaded from a file. The sample is the user's own (drawn, typed, clicked) or one of the validation
 * split. Pure TypeScript over a Program, so it is tested in Node against the CPU backend.
 */
import type { Program } from '../engine/compile/program';
import { gatherBatch, type Dataset } from '../engine/data';
import type { GraphDocument } from '../engine/graph/document';
import { getNodeSpec } from '../engine/graph/nodes';
import { imageTensor, type DecodedImage } from '../engine/data/images';
import { planeBounds, summarize } from './observe';
import type { ProbeReading, ProbeTarget } from './observeTypes';

/** What the panel needs to build an input form for the open run. */
export interface PredictInfo {
  /** The dataset field the user's input feeds (the graph's one input besides its targets). */
  readonly field: string;
  /** Per-sample shape of that field as the graph reads it, e.g. [784] or [4]. */
  readonly shape: readonly number[];
  /** Per-sample shape of that field as the dataset holds it ([28, 28, 1] for MNIST even when the graph reads [784]). */
  readonly dataShape: readonly number[];
  readonly dataset: GraphDocument['training']['dataset']['kind'];
  /** What each element of the field stands for (CSV columns, Iris measurements). */
  readonly featureNames?: readonly string[];
  readonly classNames?: readonly string[];
  /** class: softmax over classes; binary: sigmoid of one logit; value: the output is the answer. */
  readonly task: 'class' | 'binary' | 'value';
  /** Samples in the validation split. */
  readonly validation: number;
  /** True when typed values are in the file's units and the dataset rescales them (the command does too). */
  readonly scalesInput: boolean;
  /** Node and port whose output is the prediction. */
  readonly output: { readonly node: string; readonly port: string };
  /** For 2-D inputs: the data's range [x0, x1, y0, y1], to click a point in. */
  readonly bounds?: readonly [number, number, number, number];
}

/** One input to predict on. */
export type PredictRequest =
  /** The user's own sample, per-sample shape of the input field, in the units the user sees (raw CSV values). */
  (
    | { readonly kind: 'values'; readonly values: Float32Array }
    /** The `index`-th sample of the validation split. */
    | { readonly kind: 'sample'; readonly index: number }
    /** A decoded picture (RGBA, any size): resized and converted as the image datasets are, to the field's [height, width, channels]. */
    | { readonly kind: 'image'; readonly image: DecodedImage }
  ) & {
    /** Probes open on the canvas: their node outputs for this input come back as readings. */
    readonly probes?: readonly ProbeTarget[];
  };

export interface Prediction {
  /** The training step of the weights used. */
  readonly step: number;
  /** The input as fed to the graph (after any scaling), per-sample shape of the field. */
  readonly input: Float32Array;
  /** The prediction node's raw output for this sample. */
  readonly output: Float32Array;
  /** Class probabilities (softmax, or [1 − p, p] for a sigmoid output); absent for regression. */
  readonly probabilities?: Float32Array;
  /** The most probable class. */
  readonly predicted?: number;
  /** For a validation sample: its label (classifiers) or target values (regression). */
  readonly truth?: { readonly label?: number; readonly values?: Float32Array; readonly index: number };
  /** The open probes' outputs on this input (value only: one prediction has no gradient). */
  readonly probes: readonly ProbeReading[];
}

/** What a prediction reads from the session. */
export interface PredictContext {
  readonly program: Program;
  readonly doc: GraphDocument;
  readonly dataset: Dataset;
  readonly split: { readonly validation: Int32Array };
  /** The same dataset without rescaling (CSV, Iris), to map typed values as training did; undefined when nothing is rescaled. */
  readonly unscaled?: () => Promise<Dataset>;
}

const LOSS_TASKS: Readonly<Record<string, PredictInfo['task']>> = { SoftmaxCrossEntropy: 'class', BinaryCrossEntropy: 'binary' };

/** True when the document's dataset rescales its features (the typed values need the same map). */
export function rescales(doc: GraphDocument): boolean {
  const d = doc.training.dataset;
  return (d.kind === 'iris' || d.kind === 'csv') && d.scaling !== 'none';
}

/** The prediction node, the task it is trained for, and the fields its losses' targets read. */
function analyse(doc: GraphDocument): { output: { node: string; port: string }; task: PredictInfo['task']; targetFields: Set<string> } {
  const losses = doc.nodes.filter((n) => getNodeSpec(n.type)?.role === 'loss');
  const targetFields = new Set<string>();
  for (const loss of losses) {
    for (const e of doc.edges.filter((x) => x.to.node === loss.id && x.to.port === 'target')) {
      const src = doc.nodes.find((n) => n.id === e.from.node);
      if (src?.type === 'Input') targetFields.add(String((src.params as { field?: unknown }).field ?? 'x'));
    }
  }
  for (const loss of losses) {
    const e = doc.edges.find((x) => x.to.node === loss.id && x.to.port === 'pred');
    if (e) return { output: e.from, task: LOSS_TASKS[loss.type] ?? 'value', targetFields };
  }
  throw new Error('the graph has no loss node with a prediction wired to its "pred" port: there is nothing to predict');
}

/** What the open run takes as input and gives as output. */
export function predictInfo(ctx: Omit<PredictContext, 'unscaled'>): PredictInfo {
  const { output, task, targetFields } = analyse(ctx.doc);
  const field = inputField(ctx.program, targetFields);
  const ds = ctx.dataset;
  return {
    field,
    shape: [...ctx.program.fields.get(field)!.shape],
    dataShape: [...(ds.fields[field]?.shape ?? ctx.program.fields.get(field)!.shape)],
    dataset: ctx.doc.training.dataset.kind,
    ...(ds.featureNames && field === 'x' ? { featureNames: ds.featureNames } : {}),
    ...(ds.classNames ? { classNames: ds.classNames } : {}),
    task,
    validation: ctx.split.validation.length,
    scalesInput: rescales(ctx.doc),
    output,
    ...(ctx.program.fields.get(field)!.shape.join() === '2' ? { bounds: planeBounds(ds.data[field]!) } : {}),
  };
}

function inputField(program: Program, targetFields: ReadonlySet<string>): string {
  const inputs = [...program.fields.keys()].filter((f) => !targetFields.has(f));
  if (inputs.length !== 1)
    throw new Error(`the inference panel feeds one input field, but this graph reads ${inputs.length ? inputs.join(', ') : 'none besides its targets'}`);
  return inputs[0]!;
}

/**
 * Per-column affine map (scaled = (raw − offset) / scale) recovered from the same rows before and
 * after the dataset's rescaling, so typed values are mapped exactly as training's were whatever the
 * scaling kind. A column with one value throughout maps every input to that column's scaled value.
 */
export function recoverScaling(raw: Float32Array, scaled: Float32Array, width: number): { offset: Float64Array; scale: Float64Array; constant: Float64Array } {
  const offset = new Float64Array(width);
  const scale = new Float64Array(width).fill(1);
  const constant = new Float64Array(width).fill(NaN);
  const rows = raw.length / width;
  for (let c = 0; c < width; c++) {
    // The two rows farthest apart in this column give the best-conditioned slope.
    let lo = 0;
    let hi = 0;
    for (let r = 1; r < rows; r++) {
      if (raw[r * width + c]! < raw[lo * width + c]!) lo = r;
      if (raw[r * width + c]! > raw[hi * width + c]!) hi = r;
    }
    const [r0, r1, s0, s1] = [raw[lo * width + c]!, raw[hi * width + c]!, scaled[lo * width + c]!, scaled[hi * width + c]!];
    if (r1 === r0) {
      constant[c] = s0;
      continue;
    }
    scale[c] = (r1 - r0) / (s1 - s0);
    offset[c] = r0 - s0 * scale[c]!;
  }
  return { offset, scale, constant };
}

/** Softmax (float64 accumulation) of one row of logits; a single logit is a sigmoid: [1 − p, p]. */
export function classProbabilities(logits: ArrayLike<number>): Float32Array {
  if (logits.length === 1) {
    const p = 1 / (1 + Math.exp(-logits[0]!));
    return Float32Array.from([1 - p, p]);
  }
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!);
  let z = 0;
  for (let i = 0; i < logits.length; i++) z += Math.exp(logits[i]! - max);
  return Float32Array.from({ length: logits.length }, (_v, i) => Math.exp(logits[i]! - max) / z);
}

/** Run one sample through the inference program and read the prediction (and the open probes). */
export async function predict(ctx: PredictContext, request: PredictRequest): Promise<Prediction> {
  const info = predictInfo(ctx);
  const size = info.shape.reduce((a, d) => a * d, 1);
  let input: Float32Array;
  let truth: Prediction['truth'];
  if (request.kind === 'sample') {
    const { index } = request;
    const val = ctx.split.validation;
    if (!Number.isInteger(index) || index < 0 || index >= val.length)
      throw new Error(`there is no validation sample ${index}: the validation split holds ${val.length} samples`);
    const batch = gatherBatch(ctx.dataset, [val[index]!]);
    input = Float32Array.from(batch[info.field]!);
    const label = ctx.dataset.data.label && batch.label;
    const target = [...ctx.program.fields.keys()].find((f) => f !== info.field);
    truth = label ? { label: label[0]!, index } : target && batch[target] ? { values: Float32Array.from(batch[target]!), index } : { index };
  } else if (request.kind === 'image') {
    const [height, width, channels] = info.dataShape;
    if (info.dataShape.length !== 3 || (channels !== 1 && channels !== 3))
      throw new Error(`field "${info.field}" holds [${info.dataShape.join(', ')}], not an image of [height, width, 1 or 3 channels]`);
    const { image } = request;
    if (!(image.width > 0 && image.height > 0) || image.rgba.length !== 4 * image.width * image.height)
      throw new Error(`the picture's pixels (${image.rgba.length} bytes) do not fit its size ${image.width}×${image.height}`);
    input = imageTensor(image, { width: width!, height: height!, color: channels === 3 ? 'rgb' : 'grayscale' });
  } else {
    if (request.values.length !== size)
      throw new Error(`the input has ${request.values.length} values but field "${info.field}" takes ${size} ([${info.shape.join(', ')}])`);
    const bad = request.values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Error(`input value ${bad + 1}${info.featureNames?.[bad] ? ` (${info.featureNames[bad]})` : ''} is not a number`);
    input = Float32Array.from(request.values);
    if (info.scalesInput && ctx.unscaled) {
      const raw = (await ctx.unscaled()).data[info.field] as Float32Array;
      const map = recoverScaling(raw, ctx.dataset.data[info.field] as Float32Array, size);
      input = input.map((v, c) => (Number.isNaN(map.constant[c]!) ? (v - map.offset[c]!) / map.scale[c]! : map.constant[c]!));
    }
  }
  const probeNodes = (request.probes ?? []).filter((p) => !p.variable).map((p) => p.node);
  const out = await ctx.program.forward({ [info.field]: input }, { nodes: [...new Set([info.output.node, ...probeNodes])] });
  const t = out.get(info.output.node)?.[info.output.port];
  if (!t) throw new Error(`node ${info.output.node} (the prediction) could not be computed from field "${info.field}" alone`);
  const output = Float32Array.from(t.data);
  const step = ctx.program.stepCount;
  const probes = (request.probes ?? []).map((p): ProbeReading => {
    if (p.variable) return { key: p.key, step, error: 'a parameter does not change with the input' };
    const v = out.get(p.node)?.[p.port ?? 'y'] ?? Object.values(out.get(p.node) ?? {})[0];
    return v
      ? { key: p.key, step, value: summarize(v.data, v.shape), gradError: 'one prediction has no gradient' }
      : { key: p.key, step, error: `node ${p.node} does not depend on the input alone` };
  });
  if (info.task === 'value') return { step, input, output, probes, ...(truth ? { truth } : {}) };
  const probabilities = classProbabilities(output);
  let predicted = 0;
  for (let k = 1; k < probabilities.length; k++) if (probabilities[k]! > probabilities[predicted]!) predicted = k;
  return { step, input, output, probabilities, predicted, probes, ...(truth ? { truth } : {}) };
}

/** The document with its features left unscaled (the dataset typed values are mapped from). */
export function unscaledDoc(doc: GraphDocument): GraphDocument {
  const d = doc.training.dataset;
  if (d.kind !== 'iris' && d.kind !== 'csv') return doc;
  return { ...doc, training: { ...doc.training, dataset: { ...d, scaling: 'none' } } };
}
