/**
 * Keras import: the architecture of a `model.to_json()` file (Sequential or Functional, Keras 2's
 * `inbound_nodes` lists and Keras 3's `keras_history` tensors) as a document, without weights.
 * Layers map to the catalog's (Dense, Conv2D, MaxPooling2D / AveragePooling2D, Flatten, Reshape,
 * Dropout, BatchNormalization, LayerNormalization, Activation, ReLU / Softmax, Add, Concatenate,
 * Embedding); every layer class without a counterpart is named, with its layer, in one ImportError.
 * Keras' layout is Wiregrad's (channels last), so shapes carry over as they are.
 */
import type { GraphDocument } from '../../graph/document';
import { ACTIVATIONS, type Activation } from '../../graph/nodes/common';
import { DocumentBuilder, ImportError, listByKind } from '../importDocument';

type Json = Record<string, unknown>;
const isRecord = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

interface Layer {
  readonly className: string;
  readonly name: string;
  readonly config: Json;
  /** The layers whose outputs it reads, in order (Functional); undefined in a Sequential model. */
  readonly inbound?: string[];
}

/** Converts one layer: its Wiregrad type and params, and the port its inputs go to. */
type Converter = (l: Layer, fail: (m: string) => never) => { type: string; params: Record<string, unknown>; port?: string };

const pairOf = (v: unknown, fail: (m: string) => never, what: string): [number, number] => {
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0)) return [v[0], v[1]];
  return fail(`${what} should be a positive integer or a pair, not ${JSON.stringify(v)}`);
};
const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

function activationOf(v: unknown, fail: (m: string) => never): Activation {
  const name = v === undefined || v === null ? 'linear' : v;
  if (typeof name === 'string' && (ACTIVATIONS as readonly string[]).includes(name)) return name as Activation;
  return fail(`activation ${JSON.stringify(name)} has no Wiregrad form (${ACTIVATIONS.join(', ')} do)`);
}

function padding(v: unknown, fail: (m: string) => never): 'valid' | 'same' {
  const p = v ?? 'valid';
  if (p === 'valid' || p === 'same') return p;
  return fail(`padding ${JSON.stringify(p)} has no Wiregrad form ('valid' and 'same' do)`);
}

function channelsLast(c: Json, fail: (m: string) => never): void {
  if (c.data_format !== undefined && c.data_format !== null && c.data_format !== 'channels_last')
    fail(`data_format ${JSON.stringify(c.data_format)}: Wiregrad's images are channels_last`);
}

/** The node types the converters make that own weights (the ones a Trainable switch applies to). */
const WEIGHTED = new Set(['Dense', 'Conv2D', 'BatchNorm', 'LayerNorm', 'Embedding']);

const pool =
  (type: string): Converter =>
  ({ config: c }, fail) => {
    channelsLast(c, fail);
    const size = pairOf(c.pool_size ?? 2, fail, 'pool_size');
    return {
      type,
      params: { poolSize: size, ...(c.strides == null ? {} : { strides: pairOf(c.strides, fail, 'strides') }), padding: padding(c.padding, fail) },
    };
  };

const CONVERTERS: Readonly<Record<string, Converter>> = {
  Dense: ({ config: c }, fail) => ({
    type: 'Dense',
    params: {
      units: num(c.units, 0) > 0 ? c.units : fail('units should be a positive integer'),
      activation: activationOf(c.activation, fail),
      useBias: c.use_bias !== false,
    },
  }),
  Conv2D: ({ config: c }, fail) => {
    channelsLast(c, fail);
    return {
      type: 'Conv2D',
      params: {
        filters: num(c.filters, 0) > 0 ? c.filters : fail('filters should be a positive integer'),
        kernelSize: pairOf(c.kernel_size, fail, 'kernel_size'),
        strides: pairOf(c.strides ?? 1, fail, 'strides'),
        padding: padding(c.padding, fail),
        dilation: pairOf(c.dilation_rate ?? 1, fail, 'dilation_rate'),
        groups: num(c.groups, 1),
        activation: activationOf(c.activation, fail),
        useBias: c.use_bias !== false,
      },
    };
  },
  MaxPooling2D: pool('MaxPool2D'),
  AveragePooling2D: pool('AvgPool2D'),
  Flatten: ({ config: c }, fail) => {
    channelsLast(c, fail);
    return { type: 'Flatten', params: {} };
  },
  Reshape: ({ config: c }, fail) => ({
    type: 'Reshape',
    params: { targetShape: Array.isArray(c.target_shape) ? c.target_shape : fail('target_shape should be a list') },
  }),
  Dropout: ({ config: c }) => ({ type: 'Dropout', params: { rate: num(c.rate, 0.5) } }),
  BatchNormalization: ({ config: c }) => {
    const axis = Array.isArray(c.axis) ? c.axis[0] : c.axis;
    // Keras' momentum is the old running value's weight; Wiregrad's (PyTorch's) is the new batch's.
    return { type: 'BatchNorm', params: { axis: num(axis, -1), momentum: Number((1 - num(c.momentum, 0.99)).toPrecision(12)), epsilon: num(c.epsilon, 1e-3) } };
  },
  LayerNormalization: ({ config: c }, fail) => {
    const axis = Array.isArray(c.axis) ? c.axis : [c.axis ?? -1];
    if (axis.length !== 1 || axis[0] !== -1) fail(`only normalisation over the last axis (-1) is imported, not ${JSON.stringify(c.axis)}`);
    return { type: 'LayerNorm', params: { epsilon: num(c.epsilon, 1e-3) } };
  },
  Activation: ({ config: c }, fail) => ({ type: 'Activation', params: { activation: activationOf(c.activation, fail) } }),
  ReLU: ({ config: c }, fail) => {
    if (c.max_value != null || num(c.negative_slope, 0) !== 0 || num(c.threshold, 0) !== 0)
      fail('only a plain ReLU (no max_value, negative_slope or threshold) is imported');
    return { type: 'ReLU', params: {} };
  },
  Softmax: ({ config: c }) => ({ type: 'Softmax', params: { axis: num(Array.isArray(c.axis) ? c.axis[0] : c.axis, -1) } }),
  Add: () => ({ type: 'Add', params: {}, port: 'inputs' }),
  Concatenate: ({ config: c }) => ({ type: 'Concat', params: { axis: num(c.axis, -1) }, port: 'inputs' }),
  Embedding: ({ config: c }, fail) => ({
    type: 'Embedding',
    params: {
      inputDim: num(c.input_dim, 0) > 0 ? c.input_dim : fail('input_dim should be a positive integer'),
      outputDim: num(c.output_dim, 0) > 0 ? c.output_dim : fail('output_dim should be a positive integer'),
    },
  }),
};

/** Keras class names that Wiregrad reads (besides InputLayer). */
export const KERAS_LAYER_CLASSES: readonly string[] = Object.keys(CONVERTERS);

/** The layer names a Functional layer's inbound nodes read (Keras 2 lists or Keras 3 keras_history). */
function inboundNames(layer: Json, where: string): string[] {
  const nodes = layer.inbound_nodes;
  if (!Array.isArray(nodes) || nodes.length === 0) return [];
  if (nodes.length > 1) throw new ImportError(`${where} is called more than once (shared layers are not imported)`, { node: where });
  const node = nodes[0];
  const names: string[] = [];
  // Keras 2: [[name, node_index, tensor_index, kwargs], …]
  if (Array.isArray(node)) {
    for (const entry of node) if (Array.isArray(entry) && typeof entry[0] === 'string') names.push(entry[0]);
    return names;
  }
  // Keras 3: {args: [...], kwargs: {...}} with tensors {class_name: "__keras_tensor__", config: {keras_history: [name, 0, 0]}}.
  const stack: unknown[] = [isRecord(node) ? node.args : undefined];
  while (stack.length) {
    const v = stack.shift();
    if (Array.isArray(v)) stack.unshift(...v);
    else if (isRecord(v)) {
      const history = isRecord(v.config) ? v.config.keras_history : undefined;
      if (v.class_name === '__keras_tensor__' && Array.isArray(history) && typeof history[0] === 'string') names.push(history[0]);
    }
  }
  return names;
}

/** An input shape from an InputLayer or a first layer: batch_input_shape / batch_shape without the batch, or input_shape / shape. */
function inputShape(c: Json): number[] | undefined {
  const withBatch = c.batch_input_shape ?? c.batch_shape;
  const shape = Array.isArray(withBatch) ? withBatch.slice(1) : Array.isArray(c.input_shape) ? c.input_shape : Array.isArray(c.shape) ? c.shape : undefined;
  return shape?.every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0) ? (shape as number[]) : undefined;
}

/** The document of a Keras `model.to_json()` text (architecture only); throws ImportError. */
export function importKeras(text: string, options: { name?: string } = {}): GraphDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ImportError(`this is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isRecord(json) || typeof json.class_name !== 'string' || !isRecord(json.config))
    throw new ImportError('this is not a Keras model.to_json() file: it has no class_name and config');
  const kind = json.class_name;
  if (!['Sequential', 'Functional', 'Model'].includes(kind))
    throw new ImportError(`the model's class ${JSON.stringify(kind)} is not imported (Sequential and Functional models are)`);
  const config = json.config;
  const raw = config.layers;
  if (!Array.isArray(raw) || raw.length === 0) throw new ImportError('the model lists no layers');
  const sequential = kind === 'Sequential';
  const layers: Layer[] = raw.map((l, i) => {
    if (!isRecord(l) || typeof l.class_name !== 'string' || !isRecord(l.config)) throw new ImportError(`layer #${i + 1} has no class_name and config`);
    const name = typeof l.name === 'string' ? l.name : typeof l.config.name === 'string' ? l.config.name : `layer_${i + 1}`;
    return { className: l.class_name, name, config: l.config, ...(sequential ? {} : { inbound: inboundNames(l, name) }) };
  });
  const unknown = layers.filter((l) => l.className !== 'InputLayer' && !Object.hasOwn(CONVERTERS, l.className));
  if (unknown.length) {
    throw new ImportError(`the model uses layer classes Wiregrad cannot import: ${listByKind(unknown.map((l) => ({ kind: l.className, name: l.name })))}`, {
      node: unknown[0]!.name,
    });
  }

  const b = new DocumentBuilder();
  const ids = new Map<string, string>();
  const addInput = (name: string, shape: number[] | undefined, c: Json) => {
    if (!shape) throw new ImportError(`layer ${JSON.stringify(name)} gives no input shape (batch_input_shape or batch_shape)`, { node: name });
    const dtype = typeof c.dtype === 'string' && c.dtype.startsWith('int') ? 'i32' : 'f32';
    return b.add(name, 'Input', { field: ids.size === 0 ? 'x' : name, shape, dtype }, name);
  };
  let previous: string | undefined;
  for (const l of layers) {
    const fail = (m: string): never => {
      throw new ImportError(`layer ${JSON.stringify(l.name)} (${l.className}): ${m}`, { node: l.name });
    };
    if (l.className === 'InputLayer') {
      const id = addInput(l.name, inputShape(l.config), l.config);
      ids.set(l.name, id);
      previous = id;
      continue;
    }
    if (sequential && previous === undefined) previous = addInput('input', inputShape(l.config), l.config);
    const { type, params, port = 'x' } = CONVERTERS[l.className]!(l, fail);
    const id = b.add(l.name, type, params, l.name);
    // Keras' per-layer `trainable: false` is the node's Trainable switch (parameter-free layers ignore it).
    if (l.config.trainable === false && WEIGHTED.has(type)) b.freeze(id);
    const sources = sequential
      ? [previous!]
      : l.inbound!.map((n) => ids.get(n) ?? fail(`reads layer ${JSON.stringify(n)}, which comes later or does not exist`));
    if (sources.length === 0) fail('reads no layer');
    if (port === 'x' && sources.length !== 1) fail(`takes one input but is given ${sources.length}`);
    for (const s of sources) b.connect(s, id, port);
    ids.set(l.name, id);
    previous = id;
  }
  const name = options.name ?? (typeof config.name === 'string' ? config.name : 'Keras model');
  return b.finish(name, {}, `Imported from Keras (${kind}${typeof json.keras_version === 'string' ? `, Keras ${json.keras_version}` : ''}); architecture only`);
}
