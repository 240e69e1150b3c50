/**
 * ONNX import: an .onnx file as a Wiregrad document with its weights. Operators become layers
 * where a pattern is recognised and raw ops otherwise (./importOps.ts has the table and the layout
 * rules); every operator the table lacks is listed, by type and node name, in one ImportError
 * before anything is built, so a file either imports whole or not at all.
 *
 * Inputs: a rank-4 input of a foreign model is an NCHW image; its Input node takes Wiregrad's NHWC
 * ([height, width, channels]) and the importer transposes where ONNX's order matters. A file that
 * Wiregrad exported (metadata `wiregrad.layout`) already has NHWC inputs. Outputs are ONNX's.
 *
 * Weights come back by variable (`<node id>/<name>`, as Program.getWeights gives them) with their
 * shapes; `onnxWeightsFile` writes them as the safetensors file the worker loads.
 */
import type { GraphDocument } from '../../graph/document';
import { DocumentBuilder, ImportError, listByKind } from '../importDocument';
import { MODEL_FILE_LIMITS } from '../modelFile';
import { writeSafetensors, type TensorToWrite } from '../safetensors';
import { tensorNameOf } from '../weights';
import { CONVERTERS, type ConstValue, type OpContext, type Shape, type TensorValue, type Value } from './importOps';
import { Attributes, readTensor, type ConstTensor } from './importTensors';
import { DataType, decodeModel, type ModelProto, type NodeProto } from './proto';

export interface OnnxImportOptions {
  /** The document's name (default: the graph's name). */
  readonly name?: string;
  /**
   * Make the model trainable as it opens: for one float input and output, add a target Input
   * (field y) and an MSE loss, name the input's field x and train on random data of those shapes.
   */
  readonly trainingHead?: boolean;
}

/** One input of the imported model. */
export interface ImportedInput {
  /** The ONNX input's name. */
  readonly name: string;
  /** Its Input node and the dataset field that feeds it. */
  readonly node: string;
  readonly field: string;
  /** Wiregrad's shape without the batch (NHWC for images). */
  readonly shape: readonly number[];
  /** ONNX feeds it NCHW; Wiregrad NHWC. */
  readonly nchw: boolean;
}

export interface OnnxImport {
  readonly doc: GraphDocument;
  /** Variable values by `<node id>/<name>`. */
  readonly weights: Readonly<Record<string, Float32Array>>;
  /** Variable shapes by the same names. */
  readonly shapes: Readonly<Record<string, readonly number[]>>;
  readonly inputs: readonly ImportedInput[];
  /** The graph's outputs: ONNX name, and the node and port that compute it (in ONNX's layout). */
  readonly outputs: readonly { name: string; node: string; port: string }[];
  /** The nodes the training head added (target Input, loss), when it was asked for and fits. */
  readonly head: readonly string[];
}

/** Constants up to this many values become Constant nodes; larger ones frozen Parameters with weights. */
const INLINE_CONSTANT = 256;

const label = (n: NodeProto) => `node ${JSON.stringify(n.name || n.output[0] || '?')} (${n.op_type})`;
const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];

class Importer {
  readonly b = new DocumentBuilder();
  readonly values = new Map<string, Value>();
  readonly weights: Record<string, Float32Array> = {};
  readonly shapes: Record<string, readonly number[]> = {};
  readonly consumers = new Map<string, NodeProto[]>();
  readonly graphOutputs: Set<string>;
  readonly absorbed = new Set<NodeProto>();
  private readonly layoutCache = new Map<string, TensorValue>();
  private readonly constNodes = new Map<string, TensorValue>();

  constructor(readonly model: ModelProto) {
    this.graphOutputs = new Set((model.graph.output ?? []).map((o) => o.name));
    for (const n of model.graph.node ?? []) for (const i of n.input ?? []) if (i) this.consumers.set(i, [...(this.consumers.get(i) ?? []), n]);
  }

  /** `v` laid out as asked, adding a transpose node (once per value) when it is not. */
  layout(v: TensorValue, want: 'same' | 'nhwc' | 'any', who: string): TensorValue {
    if (want === 'any' || (want === 'nhwc') === v.nhwc) return v;
    if (v.shape.length !== 4) throw new ImportError(`${who} needs an image [batch, channels, height, width] but its input has shape [${v.shape.join(', ')}]`);
    const key = `${v.node}|${v.port}|${want}`;
    const done = this.layoutCache.get(key);
    if (done) return done;
    const perm = want === 'same' ? TO_NCHW : TO_NHWC;
    const id = this.b.add(`${v.node}_${want === 'same' ? 'nchw' : 'nhwc'}`, 'transpose', { perm });
    this.b.connect(v.node, id, 'x', v.port);
    const out: TensorValue = { kind: 'tensor', node: id, port: 'y', shape: v.shape, nhwc: want === 'nhwc' };
    this.layoutCache.set(key, out);
    return out;
  }

  /** A constant as a node: Constant with its values when small, else a frozen Parameter with weights. */
  constNode(v: ConstValue, base: string): TensorValue {
    const done = this.constNodes.get(v.name);
    if (done) return done;
    const { dims, data } = v.tensor;
    let id: string;
    if (data.length <= INLINE_CONSTANT || dims.length === 0) {
      const values = [...data];
      id = this.b.add(
        base,
        'Constant',
        values.every((x) => x === values[0]) && values.length > 0 ? { shape: [...dims], value: values[0] } : { shape: [...dims], values },
      );
    } else {
      id = this.b.add(base, 'Parameter', { shape: [...dims], trainable: false, init: { kind: 'zeros' } });
      this.weights[`${id}/value`] = Float32Array.from(data);
      this.shapes[`${id}/value`] = [...dims];
    }
    const out: TensorValue = { kind: 'tensor', node: id, port: 'y', shape: dims, nhwc: false };
    this.constNodes.set(v.name, out);
    return out;
  }

  context(node: NodeProto): OpContext {
    const who = label(node);
    const a = new Attributes(node, who);
    const fail = (message: string): never => {
      throw new ImportError(`${who}: ${message}`, { node: node.name });
    };
    const input = (i: number): Value | undefined => {
      const name = node.input[i];
      if (!name) return undefined;
      const v = this.values.get(name);
      if (!v) fail(`reads ${JSON.stringify(name)}, which no input, initializer or earlier node makes`);
      return v;
    };
    const idBase = (weightInput?: number): string => {
      const w = weightInput === undefined ? undefined : node.input[weightInput];
      if (w && this.values.get(w)?.kind === 'const' && /^[A-Za-z_][\w.]*\.[A-Za-z_]\w*$/.test(w)) return w.slice(0, w.lastIndexOf('.'));
      const parts = (node.name ?? '').split('/').filter(Boolean);
      if (parts.length > 1 && parts[parts.length - 1]!.startsWith(node.op_type)) parts.pop();
      return parts.join('.') || node.op_type;
    };
    return {
      node,
      a,
      fail,
      input,
      idBase,
      tensor: (i, want) => {
        const v = input(i) ?? fail(`input ${i + 1} is missing`);
        const t = v.kind === 'const' ? this.constNode(v, `${idBase()}_const`) : v;
        return this.layout(t, want, who);
      },
      constant: (i, what) => {
        const v = input(i) ?? fail(`${what} is missing`);
        return v.kind === 'const' ? v.tensor : fail(`${what} must be a constant (an initializer), not a computed value`);
      },
      emit: (base, type, params, wires) => {
        const id = this.b.add(base, type, params);
        for (const [port, v] of wires) this.b.connect(v.node, id, port, v.port);
        return id;
      },
      weight: (id, name, data, shape) => {
        this.weights[`${id}/${name}`] = data;
        this.shapes[`${id}/${name}`] = shape;
      },
      output: (v, i = 0) => {
        const name = node.output[i];
        if (name) this.values.set(name, v);
      },
      soleConsumer: () => {
        const out = node.output[0];
        const readers = out ? (this.consumers.get(out) ?? []) : [];
        return readers.length === 1 && !this.graphOutputs.has(out!) && !this.absorbed.has(readers[0]!) ? readers[0] : undefined;
      },
      absorb: (consumer, v) => {
        this.absorbed.add(consumer);
        for (const o of consumer.output) if (o) this.values.set(o, v);
      },
      attrsOf: (other) => new Attributes(other, label(other)),
      constOf: (name) => {
        const v = this.values.get(name);
        return v?.kind === 'const' ? v.tensor : undefined;
      },
      readConst: (t) => readTensor(t, `${who}'s value`),
    };
  }
}

/** The model's message, or an ImportError saying why the bytes are not one. */
function decode(bytes: Uint8Array): ModelProto {
  if (bytes.length > MODEL_FILE_LIMITS.fileBytes)
    throw new ImportError(
      `the file is ${Math.round(bytes.length / 2 ** 20)} MiB, over the ${MODEL_FILE_LIMITS.fileBytes / 2 ** 20} MiB an imported model may be`,
    );
  let model: ModelProto;
  try {
    model = decodeModel(bytes);
  } catch (e) {
    throw new ImportError(`this is not an ONNX model (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!model.graph || !(model.graph.node ?? []).length) throw new ImportError('this is not an ONNX model: it holds no graph of operators');
  return model;
}

/** Whether a value's element type is one Wiregrad's Input takes, and which. */
function inputDType(elem: number | undefined, name: string): 'f32' | 'i32' {
  if (elem === DataType.FLOAT || elem === DataType.DOUBLE) return 'f32';
  if (elem === DataType.INT32 || elem === DataType.INT64) return 'i32';
  throw new ImportError(`input ${JSON.stringify(name)} has element type ${elem ?? 'unknown'}; Wiregrad's inputs are float or integer`, { node: name });
}

/** The document, weights and input/output mapping of an .onnx file; throws ImportError. */
export function importOnnx(bytes: Uint8Array, options: OnnxImportOptions = {}): OnnxImport {
  const model = decode(bytes);
  const graph = model.graph;
  const nodes = graph.node ?? [];
  const unsupported = nodes.filter((n) => (n.domain && n.domain !== 'ai.onnx') || !Object.hasOwn(CONVERTERS, n.op_type));
  if (unsupported.length) {
    const kinds = new Set(unsupported.map((n) => n.op_type)).size;
    throw new ImportError(
      `the model uses ${kinds === 1 ? 'an operator' : `${kinds} operators`} Wiregrad cannot import: ` +
        listByKind(
          unsupported.map((n) => ({ kind: n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.op_type}` : n.op_type, name: n.name || n.output[0] || '?' })),
        ),
      { node: unsupported[0]!.name },
    );
  }
  const im = new Importer(model);
  for (const t of graph.initializer ?? [])
    im.values.set(t.name, { kind: 'const', name: t.name, tensor: readTensor(t, `initializer ${JSON.stringify(t.name)}`) });

  const fromWiregrad = (model.metadata_props ?? []).some((p) => p.key === 'wiregrad.layout');
  const inputs: ImportedInput[] = [];
  for (const vi of graph.input ?? []) {
    if (im.values.has(vi.name)) continue; // an initializer listed as an input (IR < 4)
    const tt = vi.type?.tensor_type;
    const dims = (tt?.shape?.dim ?? []).map((d) => ('dim_value' in d && d.dim_value ? Number(d.dim_value) : null));
    if (dims.length === 0) throw new ImportError(`input ${JSON.stringify(vi.name)} has no shape; Wiregrad needs [batch, …]`, { node: vi.name });
    const rest = dims.slice(1);
    if (rest.some((d) => d === null))
      throw new ImportError(
        `input ${JSON.stringify(vi.name)} has shape [${dims.map((d) => d ?? '?').join(', ')}]: only the first (batch) dimension may be unknown`,
        { node: vi.name },
      );
    const dtype = inputDType(tt?.elem_type, vi.name);
    const nchw = dims.length === 4 && !fromWiregrad && dtype === 'f32';
    const shape = (nchw ? [rest[1], rest[2], rest[0]] : rest) as number[];
    const id = im.b.add(vi.name, 'Input', { field: vi.name, shape, dtype });
    inputs.push({ name: vi.name, node: id, field: vi.name, shape, nchw });
    const onnxShape: Shape = [null, ...rest];
    im.values.set(vi.name, { kind: 'tensor', node: id, port: 'y', shape: onnxShape, nhwc: nchw });
  }
  if (!inputs.length) throw new ImportError('the model has no inputs to feed');

  for (const node of nodes) {
    if (im.absorbed.has(node)) continue;
    const ctx = im.context(node);
    try {
      CONVERTERS[node.op_type]!(ctx);
    } catch (e) {
      if (e instanceof ImportError) throw e;
      throw new ImportError(`${label(node)}: ${e instanceof Error ? e.message : String(e)}`, { node: node.name });
    }
  }

  const outputs: { name: string; node: string; port: string }[] = [];
  const outShapes: Shape[] = [];
  for (const o of graph.output ?? []) {
    const v = im.values.get(o.name);
    if (!v) throw new ImportError(`output ${JSON.stringify(o.name)} is made by no node`, { node: o.name });
    if (v.kind === 'const') throw new ImportError(`output ${JSON.stringify(o.name)} is a constant; Wiregrad imports computed outputs`, { node: o.name });
    const t = im.layout(v, 'same', `output ${JSON.stringify(o.name)}`);
    outputs.push({ name: o.name, node: t.node, port: t.port });
    outShapes.push(t.shape);
  }
  if (!outputs.length) throw new ImportError('the model has no outputs');

  let training: Record<string, unknown> = {};
  const head: string[] = [];
  const target = outShapes[0]!.slice(1);
  if (options.trainingHead && inputs.length === 1 && inputs[0]!.shape.length > 0 && target.length > 0 && target.every((d) => d !== null)) {
    const [input] = inputs;
    const doc0 = input!;
    const targetShape = target as number[];
    const y = im.b.add('target', 'Input', { field: 'y', shape: targetShape, dtype: 'f32' });
    const loss = im.b.add('loss', 'MSELoss', {});
    im.b.connect(outputs[0]!.node, loss, 'pred', outputs[0]!.port);
    im.b.connect(y, loss, 'target');
    head.push(y, loss);
    inputs[0] = { ...doc0, field: 'x' };
    training = { dataset: { kind: 'random', inputShape: doc0.shape, targetShape } };
  }
  const built = im.b.finish(
    options.name ?? (graph.name || 'Imported ONNX model'),
    training,
    `Imported from ONNX (${model.producer_name || 'unknown producer'}${model.producer_version ? ` ${model.producer_version}` : ''})`,
  );
  // The head renamed the input's field: the Input node follows.
  const doc: GraphDocument = {
    ...built,
    nodes: built.nodes.map((n) => {
      const input = inputs.find((i) => i.node === n.id);
      return input && n.params.field !== input.field ? { ...n, params: { ...n.params, field: input.field } } : n;
    }),
  };
  return { doc, weights: im.weights, shapes: im.shapes, inputs, outputs, head };
}

/** The imported weights as a safetensors file named as Wiregrad names them (`fc1.kernel`). */
export function onnxWeightsFile(imported: Pick<OnnxImport, 'weights' | 'shapes'>): Uint8Array {
  const tensors = new Map<string, TensorToWrite>();
  for (const [variable, data] of Object.entries(imported.weights))
    tensors.set(tensorNameOf(variable), { dtype: 'F32', shape: imported.shapes[variable]!, data });
  return writeSafetensors(tensors, { format: 'wiregrad', source: 'onnx import' });
}

export type { ConstTensor };
