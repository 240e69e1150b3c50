/**
 * ONNX export (opset 17) of a document's inference graph: layers as their natural ONNX ops (Dense →
 * Gemm or MatMul + Add, Conv2D → Conv, pooling → MaxPool / AveragePool, BatchNorm →
 * BatchNormalization, LayerNorm → LayerNormalization, RNN/LSTM/GRU → RNN/LSTM/GRU, Conv1D → Conv, …), the trained weights as initializers named
 * as in safetensors (`dense1.kernel`), dropout as Identity. Losses, metrics, and whatever only they
 * read (labels) are left out; a node without an ONNX form is an ExportError naming it.
 *
 * Layout: Wiregrad images are NHWC and ONNX's Conv and pooling want NCHW. The model's inputs and
 * outputs stay exactly Wiregrad's (NHWC); each value carries its layout, convolutions and pooling
 * take NCHW (one Transpose in where needed), elementwise ops keep whichever layout they get, and
 * anything that depends on the order of axes (Flatten, Dense, reshapes, reductions, outputs) gets a
 * Transpose back to NHWC first. So a conv stack transposes once in and once out, and Dense kernels
 * after a Flatten keep Wiregrad's order. Conv kernels are stored OIHW, as ONNX's Conv reads them.
 */
import type { GraphDocument } from '../../graph/document';
import { nodeName } from '../../graph/errors';
import { lowerDocument, typeEmitter } from '../../graph/lower';
import { getNodeSpec } from '../../graph/nodes';
import type { Activation } from '../../graph/nodes/common';
import { timePadding } from '../../graph/nodes/conv1d';
import { windowPadding } from '../../graph/nodes/layers';
import { incoming, topologicalOrder } from '../../graph/structure';
import type { VariableRequest } from '../../graph/spec';
import { validateDocument } from '../../graph/validate';
import type { DType, TensorType } from '../../ops/types';
import { AttributeType, DataType, encodeModel, type AttributeProto, type ModelProto, type NodeProto, type TensorProto, type ValueInfoProto } from './proto';
import { tensorNameOf } from '../weights';

export const ONNX_OPSET = 17;
/** The IR version that goes with opset 17 (ONNX 1.12). */
export const ONNX_IR_VERSION = 8;

/** The document cannot be exported; `node` is the document node at fault, when there is one. */
export class ExportError extends Error {
  constructor(
    message: string,
    readonly node?: string,
  ) {
    super(message);
    this.name = 'ExportError';
  }
}

export interface OnnxExportOptions {
  /** Nodes whose outputs the model returns (default: every exported node whose output no other exported node reads). */
  readonly outputs?: readonly string[];
  /** Written into the model as producer_version. */
  readonly producerVersion?: string;
}

/** One input or output of the exported model. */
export interface OnnxValue {
  /** Its name in the ONNX graph (inputs: the dataset field). */
  readonly name: string;
  /** The document node it comes from (an input's first Input node). */
  readonly node: string;
  /** Wiregrad's shape (NHWC), with null for the dimensions that are the batch size. */
  readonly shape: readonly (number | null)[];
  readonly dtype: DType;
}

export interface OnnxExport {
  /** The .onnx file. */
  readonly bytes: Uint8Array;
  readonly inputs: readonly OnnxValue[];
  readonly outputs: readonly OnnxValue[];
}

type Layout = 'nhwc' | 'nchw';

/** A value of the ONNX graph: its name, Wiregrad's (logical, NHWC) type, and how it is laid out in ONNX. */
interface Val {
  readonly name: string;
  readonly type: TensorType;
  readonly layout: Layout;
}

const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];
const ELEM: Readonly<Record<DType, number>> = { f32: DataType.FLOAT, i32: DataType.INT32, bool: DataType.BOOL };

const attrInt = (name: string, i: number): AttributeProto => ({ name, type: AttributeType.INT, i });
const attrInts = (name: string, ints: readonly number[]): AttributeProto => ({ name, type: AttributeType.INTS, ints: [...ints] });
const attrFloat = (name: string, f: number): AttributeProto => ({ name, type: AttributeType.FLOAT, f });

/** Little-endian bytes of a tensor. */
function rawData(dtype: 'f32' | 'i32' | 'i64' | 'bool', values: ArrayLike<number>): Uint8Array {
  const size = dtype === 'i64' ? 8 : dtype === 'bool' ? 1 : 4;
  const out = new Uint8Array(values.length * size);
  const v = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    if (dtype === 'f32') v.setFloat32(i * 4, values[i]!, true);
    else if (dtype === 'i32') v.setInt32(i * 4, values[i]!, true);
    else if (dtype === 'i64') v.setBigInt64(i * 8, BigInt(values[i]!), true);
    else v.setUint8(i, values[i] ? 1 : 0);
  }
  return out;
}

/** The ONNX graph under construction: unique names, nodes in order, initializers, layout changes. */
class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly names = new Set<string>();
  private readonly nodeNames = new Set<string>();
  /** Transposed copies already made, by source name. */
  private readonly transposed = new Map<string, string>();
  /** The document node being emitted, prefixed to the names of its ONNX nodes and values. */
  current = '';

  claim(base: string): string {
    let name = base;
    for (let k = 2; this.names.has(name); k++) name = `${base}_${k}`;
    this.names.add(name);
    return name;
  }

  op(opType: string, inputs: readonly string[], attribute: AttributeProto[] = [], output?: string): string {
    const out = output ?? this.claim(`${this.current}/${opType}`);
    let name = `${this.current}/${opType}`;
    for (let k = 2; this.nodeNames.has(name); k++) name = `${this.current}/${opType}_${k}`;
    this.nodeNames.add(name);
    this.nodes.push({ name, op_type: opType, input: [...inputs], output: [out], attribute });
    return out;
  }

  init(base: string, dims: readonly number[], dtype: 'f32' | 'i32' | 'i64' | 'bool', values: ArrayLike<number>): string {
    const name = this.claim(base);
    const data_type = { f32: DataType.FLOAT, i32: DataType.INT32, i64: DataType.INT64, bool: DataType.BOOL }[dtype];
    this.initializers.push({ name, dims: [...dims], data_type, raw_data: rawData(dtype, values) });
    return name;
  }

  /** A scalar f32 constant for this node's arithmetic. */
  scalar(what: string, value: number): string {
    return this.init(`${this.current}/${what}`, [], 'f32', [value]);
  }

  /** The value laid out as Wiregrad lays it out. `output` names the result when one is made. */
  nhwc(v: Val, output?: string): string {
    if (v.layout === 'nhwc') return v.name;
    return this.transpose(v.name, TO_NHWC, output);
  }

  /** The (rank 4) value laid out as ONNX's Conv and pooling want it. */
  nchw(v: Val): string {
    if (v.layout === 'nchw') return v.name;
    if (v.type.shape.length !== 4)
      throw new ExportError(`expected an image [batch, height, width, channels] but got [${v.type.shape.join(', ')}]`, this.current);
    return this.transpose(v.name, TO_NCHW);
  }

  private transpose(name: string, perm: readonly number[], output?: string): string {
    const key = `${name}|${perm.join()}`;
    const done = this.transposed.get(key);
    if (done) return done;
    const out = this.op('Transpose', [name], [attrInts('perm', perm)], output);
    this.transposed.set(key, out);
    return out;
  }
}

/** What one document node's emitter gets. */
interface NodeContext {
  readonly g: GraphBuilder;
  readonly id: string;
  // The node type's own params, already checked by its zod schema.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly p: any;
  /** Incoming values by port; a `multiple` port gives all of them. */
  one(port: string): Val;
  many(port: string): Val[];
  /** The node's output type (Wiregrad's). */
  readonly out: TensorType;
  /** An initializer holding the node's variable `name`, optionally reordered and reshaped. */
  weight(name: string, transform?: { dims: readonly number[]; permute?: (data: ArrayLike<number>) => Float32Array }): string;
  /** The variable's shape. */
  weightShape(name: string): readonly number[];
}

type Emitter = (c: NodeContext) => Val;

const normAxis = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);

/** A Val made by `c` with the node's output type. */
const val = (c: NodeContext, name: string, layout: Layout): Val => ({ name, type: c.out, layout });

/** Activation by its Keras name; layout-preserving, softmax along Wiregrad's last axis. */
function activation(c: NodeContext, x: Val, name: Activation): Val {
  const { g } = c;
  const same = (opType: string, attrs: AttributeProto[] = []): Val => ({ name: g.op(opType, [x.name], attrs), type: x.type, layout: x.layout });
  switch (name) {
    case 'linear':
      return x;
    case 'relu':
      return same('Relu');
    case 'leaky_relu':
      return same('LeakyRelu', [attrFloat('alpha', 0.2)]);
    case 'elu':
      return same('Elu', [attrFloat('alpha', 1)]);
    case 'gelu':
      return { name: gelu(g, x.name), type: x.type, layout: x.layout };
    case 'sigmoid':
      return same('Sigmoid');
    case 'tanh':
      return same('Tanh');
    case 'softplus':
      return same('Softplus');
    case 'softmax':
      return softmaxLike(c, x, 'Softmax', -1);
    default:
      return name satisfies never;
  }
}

/** GELU, tanh approximation, as Wiregrad computes it (opset 17 has no Gelu): 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))). */
function gelu(g: GraphBuilder, x: string): string {
  const cube = g.op('Mul', [g.op('Mul', [x, x]), x]);
  const inner = g.op('Add', [x, g.op('Mul', [cube, g.scalar('gelu_k', 0.044715)])]);
  const t = g.op('Tanh', [g.op('Mul', [inner, g.scalar('gelu_c', Math.sqrt(2 / Math.PI))])]);
  return g.op('Mul', [g.op('Mul', [x, g.op('Add', [t, g.scalar('one', 1)])]), g.scalar('half', 0.5)]);
}

/** Softmax or LogSoftmax along Wiregrad's `axis`, on either layout. */
function softmaxLike(c: NodeContext, x: Val, opType: 'Softmax' | 'LogSoftmax', axis: number): Val {
  const a = normAxis(axis, x.type.shape.length);
  const onnxAxis = x.layout === 'nchw' ? TO_NCHW.indexOf(a) : a;
  return { name: c.g.op(opType, [x.name], [attrInt('axis', onnxAxis)]), type: x.type, layout: x.layout };
}

const unary =
  (opType: string): Emitter =>
  (c) => {
    const x = c.one('x');
    return val(c, c.g.op(opType, [x.name]), x.layout);
  };

/** Values combined elementwise: in NCHW when all of them are, else in NHWC. */
function common(c: NodeContext, xs: readonly Val[]): { names: string[]; layout: Layout } {
  if (xs.every((x) => x.layout === 'nchw')) return { names: xs.map((x) => x.name), layout: 'nchw' };
  return { names: xs.map((x) => c.g.nhwc(x)), layout: 'nhwc' };
}

const binary =
  (opType: string): Emitter =>
  (c) => {
    const { names, layout } = common(c, [c.one('a'), c.one('b')]);
    return val(c, c.g.op(opType, names), layout);
  };

function concat(c: NodeContext): Val {
  const xs = c.many('inputs');
  const { names, layout } = common(c, xs);
  const a = normAxis(c.p.axis, c.out.shape.length);
  return val(c, c.g.op('Concat', names, [attrInt('axis', layout === 'nchw' ? TO_NCHW.indexOf(a) : a)]), layout);
}

function pool(opType: 'MaxPool' | 'AveragePool'): Emitter {
  return (c) => {
    const x = c.one('x');
    const s = x.type.shape;
    const stride: number[] = c.p.strides ?? c.p.poolSize;
    const [top, bottom, left, right] = windowPadding(c.p.padding, s.slice(1, 3), c.p.poolSize, stride);
    const attrs = [attrInts('kernel_shape', c.p.poolSize), attrInts('strides', stride), attrInts('pads', [top, left, bottom, right])];
    // Wiregrad's average ignores padding (TensorFlow's), as count_include_pad = 0 does.
    if (opType === 'AveragePool') attrs.push(attrInt('count_include_pad', 0));
    return val(c, c.g.op(opType, [c.g.nchw(x)], attrs), 'nchw');
  };
}

/** A reduction over Wiregrad's axes (all when none are given); no axes at all is the identity. */
function reduce(opType: 'ReduceSum' | 'ReduceMean' | 'ReduceMax'): Emitter {
  return (c) => {
    const x = c.one('x');
    const rank = x.type.shape.length;
    const axes: number[] = (c.p.axes ?? x.type.shape.map((_d: number, i: number) => i)).map((a: number) => normAxis(a, rank));
    if (axes.length === 0) return val(c, c.g.op('Identity', [x.name]), x.layout);
    const keep = attrInt('keepdims', c.p.keepdims ? 1 : 0);
    const input = c.g.nhwc(x);
    // Opset 13 moved ReduceSum's axes to an input; ReduceMean and ReduceMax follow only in opset 18.
    const out =
      opType === 'ReduceSum'
        ? c.g.op(opType, [input, c.g.init(`${c.id}/axes`, [axes.length], 'i64', axes)], [keep])
        : c.g.op(opType, [input], [attrInts('axes', axes), keep]);
    return val(c, out, 'nhwc');
  };
}

/** HWIO (Wiregrad's Conv2D kernel) to OIHW (ONNX's Conv weight). */
function hwioToOihw([kh, kw, ci, co]: readonly number[]): (data: ArrayLike<number>) => Float32Array {
  return (data) => {
    const out = new Float32Array(data.length);
    for (let h = 0; h < kh!; h++)
      for (let w = 0; w < kw!; w++)
        for (let i = 0; i < ci!; i++)
          for (let o = 0; o < co!; o++) {
            out[((o * ci! + i) * kh! + h) * kw! + w] = data[((h * kw! + w) * ci! + i) * co! + o]!;
          }
    return out;
  };
}

/** Rows of a [G·H, K] gate matrix (or a [G·H] bias) with its G blocks of H reordered: block k of the result is block order[k]. */
function reorderGates(order: readonly number[], h: number, k: number): (data: ArrayLike<number>) => Float32Array {
  return (data) => {
    const out = new Float32Array(data.length);
    order.forEach((from, to) =>
      out.set(
        Array.from({ length: h * k }, (_v, i) => data[from * h * k + i]!),
        to * h * k,
      ),
    );
    return out;
  };
}

/**
 * ONNX's gate order from PyTorch's (Wiregrad's): LSTM i,f,g,o → i,o,f,c; GRU r,z,n → z,r,h
 * (with linear_before_reset = 1, PyTorch's placement of b_hn); RNN has one gate.
 */
const ONNX_GATES: Readonly<Record<'RNN' | 'LSTM' | 'GRU', readonly number[]>> = { RNN: [0], LSTM: [0, 3, 1, 2], GRU: [1, 0, 2] };

/** RNN, LSTM, GRU as ONNX's ops of those names (sequence-first, so a Transpose in and out). */
function recurrent(kind: 'RNN' | 'LSTM' | 'GRU'): Emitter {
  return (c) => {
    const { g } = c;
    const x = c.one('x');
    const [, time, features] = x.type.shape as [number, number, number];
    const h: number = c.p.units;
    const order = ONNX_GATES[kind];
    const gh = order.length * h;
    const w = c.weight('weight_ih', { dims: [1, gh, features], permute: reorderGates(order, h, features) });
    const r = c.weight('weight_hh', { dims: [1, gh, h], permute: reorderGates(order, h, h) });
    const inputs = [g.op('Transpose', [g.nhwc(x)], [attrInts('perm', [1, 0, 2])]), w, r];
    if (c.p.useBias) {
      const bias = (name: string) => c.weight(name, { dims: [1, gh], permute: reorderGates(order, h, 1) });
      inputs.push(g.op('Concat', [bias('bias_ih'), bias('bias_hh')], [attrInt('axis', 1)]));
    }
    const attrs = [attrInt('hidden_size', h)];
    if (kind === 'GRU') attrs.push(attrInt('linear_before_reset', 1));
    if (kind === 'RNN')
      attrs.push({ name: 'activations', type: AttributeType.STRINGS, strings: [new TextEncoder().encode(c.p.activation === 'relu' ? 'Relu' : 'Tanh')] });
    const y = g.op(kind, inputs, attrs); // Y: [time, directions = 1, batch, units]
    if (c.p.returnSequences) {
      const seq = g.op('Squeeze', [y, g.init(`${c.id}/axes`, [1], 'i64', [1])]);
      return val(c, g.op('Transpose', [seq], [attrInts('perm', [1, 0, 2])]), 'nhwc');
    }
    const last = g.op('Gather', [y, g.init(`${c.id}/last`, [], 'i64', [time - 1])], [attrInt('axis', 0)]);
    return val(c, g.op('Squeeze', [last, g.init(`${c.id}/axes`, [1], 'i64', [0])]), 'nhwc');
  };
}

/** Batch norm's per-channel vectors reshaped to broadcast along `axis` of a rank-`rank` value. */
const alongAxis = (c: number, rank: number, axis: number) => Array.from({ length: rank }, (_d, i) => (i === axis ? c : 1));

const EMITTERS: Readonly<Record<string, Emitter>> = {
  Parameter: (c) => val(c, c.weight('value'), 'nhwc'),
  Constant: (c) => {
    const n = c.out.shape.reduce((a, d) => a * d, 1);
    const values: number[] = c.p.values ?? new Array(n).fill(c.p.value);
    return val(c, c.g.init(`${c.id}.value`, c.out.shape, c.out.dtype === 'i32' ? 'i32' : c.out.dtype === 'bool' ? 'bool' : 'f32', values), 'nhwc');
  },
  Dense: (c) => {
    const x = c.g.nhwc(c.one('x'));
    const kernel = c.weight('kernel');
    const bias = c.p.useBias ? c.weight('bias') : undefined;
    let y: string;
    if (c.one('x').type.shape.length === 2) y = c.g.op('Gemm', bias ? [x, kernel, bias] : [x, kernel]);
    else {
      y = c.g.op('MatMul', [x, kernel]);
      if (bias) y = c.g.op('Add', [y, bias]);
    }
    return activation(c, val(c, y, 'nhwc'), c.p.activation);
  },
  Conv2D: (c) => {
    const x = c.one('x');
    const shape = c.weightShape('kernel');
    const [kh, kw, ci, co] = shape;
    const kernel = c.weight('kernel', { dims: [co!, ci!, kh!, kw!], permute: hwioToOihw(shape) });
    const [top, bottom, left, right] = windowPadding(c.p.padding, x.type.shape.slice(1, 3), c.p.kernelSize, c.p.strides, c.p.dilation);
    const inputs = [c.g.nchw(x), kernel, ...(c.p.useBias ? [c.weight('bias')] : [])];
    const y = c.g.op('Conv', inputs, [
      attrInts('kernel_shape', c.p.kernelSize),
      attrInts('strides', c.p.strides),
      attrInts('dilations', c.p.dilation),
      attrInts('pads', [top, left, bottom, right]),
      attrInt('group', c.p.groups),
    ]);
    return activation(c, val(c, y, 'nchw'), c.p.activation);
  },
  MaxPool2D: pool('MaxPool'),
  AvgPool2D: pool('AveragePool'),
  Flatten: (c) => val(c, c.g.op('Flatten', [c.g.nhwc(c.one('x'))], [attrInt('axis', 1)]), 'nhwc'),
  Reshape: (c) => {
    const target: number[] = c.p.targetShape;
    if (target.includes(0)) throw new ExportError(`a Reshape to a zero-sized dimension has no ONNX form here`, c.id);
    // 0 copies the batch dimension, so the model keeps any batch size.
    const shape = c.g.init(`${c.id}/shape`, [target.length + 1], 'i64', [0, ...target]);
    return val(c, c.g.op('Reshape', [c.g.nhwc(c.one('x')), shape]), 'nhwc');
  },
  Dropout: (c) => {
    const x = c.one('x');
    return val(c, c.g.op('Identity', [x.name]), x.layout);
  },
  BatchNorm: (c) => {
    const x = c.one('x');
    const rank = x.type.shape.length;
    const axis = normAxis(c.p.axis, rank);
    const ch = x.type.shape[axis]!;
    const eps: number = c.p.epsilon;
    // ONNX's momentum is the old running value's weight; Wiregrad's (PyTorch's) is the batch's.
    const names = ['gamma', 'beta', 'moving_mean', 'moving_variance'];
    if ((rank === 4 && axis === 3) || (rank >= 2 && axis === 1)) {
      const nchw = rank === 4 && axis === 3;
      const [gamma, beta, mean, variance] = names.map((n) => c.weight(n));
      const y = c.g.op(
        'BatchNormalization',
        [nchw ? c.g.nchw(x) : c.g.nhwc(x), gamma!, beta!, mean!, variance!],
        [attrFloat('epsilon', eps), attrFloat('momentum', Number((1 - c.p.momentum).toPrecision(12)))],
      );
      return val(c, y, nchw ? 'nchw' : 'nhwc');
    }
    // Any other axis: the same arithmetic as Wiregrad's, with the statistics shaped to broadcast.
    const dims = alongAxis(ch, rank, axis);
    const [gamma, beta, mean, variance] = names.map((n) => c.weight(n, { dims }));
    const std = c.g.op('Sqrt', [c.g.op('Add', [variance!, c.g.scalar('epsilon', eps)])]);
    const normed = c.g.op('Div', [c.g.op('Sub', [c.g.nhwc(x), mean!]), std]);
    return val(c, c.g.op('Add', [c.g.op('Mul', [normed, gamma!]), beta!]), 'nhwc');
  },
  LayerNorm: (c) =>
    val(
      c,
      c.g.op('LayerNormalization', [c.g.nhwc(c.one('x')), c.weight('gamma'), c.weight('beta')], [attrInt('axis', -1), attrFloat('epsilon', c.p.epsilon)]),
      'nhwc',
    ),
  Activation: (c) => activation(c, c.one('x'), c.p.activation),
  Add: (c) => {
    const { names, layout } = common(c, c.many('inputs'));
    return val(
      c,
      names.slice(1).reduce((acc, x) => c.g.op('Add', [acc, x]), names[0]!),
      layout,
    );
  },
  Concat: concat,
  Embedding: (c) => val(c, c.g.op('Gather', [c.weight('embeddings'), c.g.nhwc(c.one('x'))], [attrInt('axis', 0)]), 'nhwc'),
  RNN: recurrent('RNN'),
  LSTM: recurrent('LSTM'),
  GRU: recurrent('GRU'),
  Conv1D: (c) => {
    const x = c.one('x');
    const [k, ci, co] = c.weightShape('kernel') as [number, number, number];
    // [k, C/groups, filters] (Keras) → [filters, C/groups, k] (ONNX's Conv over [batch, channels, time]).
    const kernel = c.weight('kernel', {
      dims: [co, ci, k],
      permute: (data) =>
        Float32Array.from({ length: data.length }, (_v, i) => data[(i % k) * ci * co + (Math.floor(i / k) % ci) * co + Math.floor(i / (k * ci))]!),
    });
    const [left, right] = timePadding(c.p.padding, x.type.shape[1]!, k, c.p.strides, c.p.dilation);
    const input = c.g.op('Transpose', [c.g.nhwc(x)], [attrInts('perm', [0, 2, 1])]);
    const y = c.g.op(
      'Conv',
      [input, kernel, ...(c.p.useBias ? [c.weight('bias')] : [])],
      [
        attrInts('kernel_shape', [k]),
        attrInts('strides', [c.p.strides]),
        attrInts('dilations', [c.p.dilation]),
        attrInts('pads', [left, right]),
        attrInt('group', c.p.groups),
      ],
    );
    const back = val(c, c.g.op('Transpose', [y], [attrInts('perm', [0, 2, 1])]), 'nhwc');
    return activation(c, back, c.p.activation);
  },
  GlobalAveragePool1D: (c) => val(c, c.g.op('ReduceMean', [c.g.nhwc(c.one('x'))], [attrInts('axes', [1]), attrInt('keepdims', 0)]), 'nhwc'),

  ReLU: unary('Relu'),
  LeakyReLU: (c) => val(c, c.g.op('LeakyRelu', [c.one('x').name], [attrFloat('alpha', c.p.alpha)]), c.one('x').layout),
  ELU: (c) => val(c, c.g.op('Elu', [c.one('x').name], [attrFloat('alpha', c.p.alpha)]), c.one('x').layout),
  GELU: (c) => val(c, gelu(c.g, c.one('x').name), c.one('x').layout),
  Sigmoid: unary('Sigmoid'),
  Tanh: unary('Tanh'),
  Softplus: unary('Softplus'),
  Softmax: (c) => softmaxLike(c, c.one('x'), 'Softmax', c.p.axis),
  LogSoftmax: (c) => softmaxLike(c, c.one('x'), 'LogSoftmax', c.p.axis),

  matmul: (c) => {
    const swap = (v: Val) => {
      const r = v.type.shape.length;
      return c.g.op('Transpose', [c.g.nhwc(v)], [attrInts('perm', [...Array.from({ length: r - 2 }, (_d, i) => i), r - 1, r - 2])]);
    };
    const a = c.p.transA ? swap(c.one('a')) : c.g.nhwc(c.one('a'));
    const b = c.p.transB ? swap(c.one('b')) : c.g.nhwc(c.one('b'));
    return val(c, c.g.op('MatMul', [a, b]), 'nhwc');
  },
  add: binary('Add'),
  sub: binary('Sub'),
  mul: binary('Mul'),
  div: binary('Div'),
  pow: binary('Pow'),
  minimum: binary('Min'),
  maximum: binary('Max'),
  less: binary('Less'),
  greater: binary('Greater'),
  equal: binary('Equal'),
  neg: unary('Neg'),
  exp: unary('Exp'),
  log: unary('Log'),
  sqrt: unary('Sqrt'),
  abs: unary('Abs'),
  square: (c) => {
    const x = c.one('x');
    return val(c, c.g.op('Mul', [x.name, x.name]), x.layout);
  },
  stop_gradient: unary('Identity'),
  sum: reduce('ReduceSum'),
  mean: reduce('ReduceMean'),
  max: reduce('ReduceMax'),
  argmax: (c) => {
    const x = c.one('x');
    const i64 = c.g.op('ArgMax', [c.g.nhwc(x)], [attrInt('axis', normAxis(c.p.axis, x.type.shape.length)), attrInt('keepdims', 0)]);
    return val(c, c.g.op('Cast', [i64], [attrInt('to', DataType.INT32)]), 'nhwc');
  },
  reshape: (c) => {
    const shape = c.g.init(`${c.id}/shape`, [c.p.shape.length], 'i64', c.p.shape);
    // allowzero: a 0 in the shape is a zero-sized dimension, as in Wiregrad, not "copy this one".
    return val(c, c.g.op('Reshape', [c.g.nhwc(c.one('x')), shape], [attrInt('allowzero', 1)]), 'nhwc');
  },
  transpose: (c) => {
    const x = c.one('x');
    const r = x.type.shape.length;
    const perm: number[] = c.p.perm ?? Array.from({ length: r }, (_d, i) => r - 1 - i);
    return val(c, c.g.op('Transpose', [c.g.nhwc(x)], [attrInts('perm', perm)]), 'nhwc');
  },
  concat,
  slice: (c) => {
    const begin: number[] = c.p.begin;
    const axes = begin.map((_b, i) => i);
    const ends = begin.map((b, i) => b + c.out.shape[i]!);
    const inputs = [
      c.g.nhwc(c.one('x')),
      c.g.init(`${c.id}/starts`, [begin.length], 'i64', begin),
      c.g.init(`${c.id}/ends`, [ends.length], 'i64', ends),
      c.g.init(`${c.id}/axes`, [axes.length], 'i64', axes),
    ];
    return val(c, c.g.op('Slice', inputs), 'nhwc');
  },
  gather: (c) =>
    val(c, c.g.op('Gather', [c.g.nhwc(c.one('x')), c.g.nhwc(c.one('indices'))], [attrInt('axis', normAxis(c.p.axis, c.one('x').type.shape.length))]), 'nhwc'),
  one_hot: (c) => {
    const indices = c.g.op('Cast', [c.g.nhwc(c.one('x'))], [attrInt('to', DataType.INT64)]);
    const depth = c.g.init(`${c.id}/depth`, [1], 'i64', [c.p.depth]);
    const values = c.g.init(`${c.id}/values`, [2], c.out.dtype === 'i32' ? 'i32' : 'f32', [0, 1]);
    return val(c, c.g.op('OneHot', [indices, depth, values], [attrInt('axis', -1)]), 'nhwc');
  },
  where: (c) => {
    const { names, layout } = common(c, [c.one('condition'), c.one('a'), c.one('b')]);
    return val(c, c.g.op('Where', names), layout);
  },
  cast: (c) => {
    const x = c.one('x');
    return val(c, c.g.op('Cast', [x.name], [attrInt('to', ELEM[c.p.dtype as DType])]), x.layout);
  },
};

/** Node types of the catalog that an exported graph can hold (Input nodes become the model's inputs). */
export const ONNX_NODE_TYPES: ReadonlySet<string> = new Set(['Input', ...Object.keys(EMITTERS)]);

/** Every node's output types in the inference graph at `batchSize`. */
function inferTypes(doc: GraphDocument, batchSize: number) {
  return lowerDocument(
    doc,
    {
      emitter: typeEmitter,
      input: (_field, shape, dtype) => ({ shape, dtype }),
      variable: (_name, req) => ({ shape: req.shape, dtype: 'f32' as const }),
      counter: () => ({ shape: [], dtype: 'i32' as const }),
    },
    { training: false, batchSize, seed: doc.training.seed },
  );
}

/**
 * The ONNX model of the document's inference graph with `weights` (Program.getWeights: values by
 * `<node>/<variable>`). Throws ExportError for an invalid document, a node without an ONNX form,
 * or a missing or wrongly sized weight, naming the node.
 */
export function exportOnnx(doc: GraphDocument, weights: Readonly<Record<string, ArrayLike<number>>>, options: OnnxExportOptions = {}): OnnxExport {
  const { errors } = validateDocument(doc, { requireLoss: false });
  if (errors.length) throw new ExportError(`the graph has errors: ${errors.map((e) => e.message).join('; ')}`, errors[0]!.node);
  const lowered = inferTypes(doc, doc.training.batchSize);
  // The same graph one sample larger: the output dimensions that grow with it are batch dimensions.
  const grown = inferTypes(doc, doc.training.batchSize + 1);
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const label = (id: string) => `node ${nodeName(byId.get(id)!)} (${byId.get(id)!.type})`;
  const edgesIn = incoming(doc);
  const order = topologicalOrder(doc);

  // Losses and metrics, and everything that reads one, exist only for training.
  const trainingOnly = new Set<string>();
  for (const id of order) {
    const spec = getNodeSpec(byId.get(id)!.type)!;
    const reads = [...(edgesIn.get(id)?.values() ?? [])].flat().map((e) => e.from.node);
    if (spec.role === 'loss' || spec.role === 'metric' || reads.some((r) => trainingOnly.has(r))) trainingOnly.add(id);
  }
  const consumers = new Map<string, number>();
  for (const e of doc.edges) if (!trainingOnly.has(e.to.node)) consumers.set(e.from.node, (consumers.get(e.from.node) ?? 0) + 1);
  const SOURCES = new Set(['Input', 'Parameter', 'Constant']);
  const outputNodes = options.outputs
    ? [...options.outputs]
    : order.filter((id) => !trainingOnly.has(id) && !consumers.has(id) && !SOURCES.has(byId.get(id)!.type));
  for (const id of outputNodes) {
    if (!byId.has(id)) throw new ExportError(`there is no node "${id}" to export`, id);
    if (trainingOnly.has(id)) throw new ExportError(`${label(id)} is part of training only (a loss or metric, or reads one): it has no inference form`, id);
  }
  if (!outputNodes.length) throw new ExportError('the graph has no output to export: every node feeds a loss or metric, or nothing');

  // Only what the outputs need is exported.
  const needed = new Set<string>();
  const stack = [...outputNodes];
  while (stack.length) {
    const id = stack.pop()!;
    if (needed.has(id)) continue;
    needed.add(id);
    for (const edges of edgesIn.get(id)?.values() ?? []) for (const e of edges) stack.push(e.from.node);
  }
  for (const id of order) {
    const type = byId.get(id)!.type;
    if (needed.has(id) && !ONNX_NODE_TYPES.has(type)) throw new ExportError(`${label(id)} has no ONNX form`, id);
  }

  const g = new GraphBuilder();
  const inputs: OnnxValue[] = [];
  const graphInputs: ValueInfoProto[] = [];
  const values = new Map<string, Val>();
  // Dataset fields name the model's inputs; then each node's output takes its node id.
  for (const [field, info] of lowered.inputs) {
    if (!info.nodes.some((n) => needed.has(n))) continue;
    const name = g.claim(field);
    inputs.push({ name, node: info.nodes[0]!, shape: [null, ...info.type.shape.slice(1)], dtype: info.type.dtype });
    graphInputs.push({
      name,
      type: {
        tensor_type: { elem_type: ELEM[info.type.dtype], shape: { dim: [{ dim_param: 'batch' }, ...info.type.shape.slice(1).map((d) => ({ dim_value: d }))] } },
      },
    });
    for (const n of info.nodes) values.set(n, { name, type: info.type, layout: 'nhwc' });
  }
  const canonical = new Map<string, string>();
  for (const id of order) if (needed.has(id) && byId.get(id)!.type !== 'Input') canonical.set(id, g.claim(id));

  const variables = new Map<string, VariableRequest>(lowered.variables.map((v) => [v.name, v.request]));
  for (const id of order) {
    if (!needed.has(id) || byId.get(id)!.type === 'Input') continue;
    const node = byId.get(id)!;
    const spec = getNodeSpec(node.type)!;
    const outs = lowered.outputs.get(id);
    if (spec.outputs.length !== 1 || !outs) throw new ExportError(`${label(id)} has no ONNX form`, id);
    const ports = edgesIn.get(id)!;
    const input = (port: string) => (ports.get(port) ?? []).map((e) => values.get(e.from.node)!);
    g.current = id;
    const c: NodeContext = {
      g,
      id,
      p: spec.params.parse(node.params),
      out: outs[spec.outputs[0]!.name]!,
      one: (port) => input(port)[0]!,
      many: input,
      weightShape: (name) => variables.get(`${id}/${name}`)!.shape,
      weight(name, transform) {
        const variable = `${id}/${name}`;
        const request = variables.get(variable);
        if (!request) throw new ExportError(`${label(id)} has no variable ${name}`, id);
        const data = weights[variable];
        if (!data) throw new ExportError(`${label(id)}: no weights for ${variable}`, id);
        const n = request.shape.reduce((a, d) => a * d, 1);
        if (data.length !== n)
          throw new ExportError(`${label(id)}: ${variable} has ${data.length} values but its shape [${request.shape.join(', ')}] holds ${n}`, id);
        return g.init(tensorNameOf(variable), transform?.dims ?? request.shape, 'f32', transform?.permute ? transform.permute(data) : data);
      },
    };
    let v: Val;
    try {
      v = EMITTERS[node.type]!(c);
    } catch (e) {
      if (e instanceof ExportError) throw e;
      throw new ExportError(`${label(id)}: ${e instanceof Error ? e.message : String(e)}`, id);
    }
    // The node's value in Wiregrad's layout takes the node's name: rename the op that made it.
    const last = g.nodes[g.nodes.length - 1];
    if (v.layout === 'nhwc' && last && last.output[0] === v.name && v.name.startsWith(`${id}/`)) {
      last.output[0] = canonical.get(id)!;
      v = { ...v, name: last.output[0] };
    }
    values.set(id, v);
  }

  const outputs: OnnxValue[] = [];
  const graphOutputs: ValueInfoProto[] = [];
  for (const id of outputNodes) {
    const v = values.get(id)!;
    const want = canonical.get(id) ?? g.claim(id);
    g.current = id;
    let name = g.nhwc(v, v.layout === 'nchw' ? want : undefined);
    if (name !== want) name = g.op('Identity', [name], [], want);
    const other = grown.outputs.get(id)?.[getNodeSpec(byId.get(id)!.type)!.outputs[0]!.name]?.shape;
    const batchDim = (d: number, i: number) => other !== undefined && other.length === v.type.shape.length && other[i] !== d;
    outputs.push({ name, node: id, shape: v.type.shape.map((d, i) => (batchDim(d, i) ? null : d)), dtype: v.type.dtype });
    const dim = v.type.shape.map((d, i) => (batchDim(d, i) ? { dim_param: 'batch' } : { dim_value: d }));
    graphOutputs.push({ name, type: { tensor_type: { elem_type: ELEM[v.type.dtype], shape: { dim } } } });
  }

  const model: ModelProto = {
    ir_version: ONNX_IR_VERSION,
    producer_name: 'wiregrad',
    producer_version: options.producerVersion ?? '0.1.0',
    doc_string: doc.meta.description ?? '',
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    metadata_props: [{ key: 'wiregrad.layout', value: 'inputs and outputs NHWC as in Wiregrad; Conv weights OIHW' }],
    graph: { name: doc.meta.name || 'wiregrad', node: g.nodes, initializer: g.initializers, input: graphInputs, output: graphOutputs },
  };
  return { bytes: encodeModel(model), inputs, outputs };
}
