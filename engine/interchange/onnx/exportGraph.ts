/**
 * The ONNX export's building blocks: the graph under construction (unique names, initializers, the
 * NHWC ↔ NCHW transposes), what a node's emitter gets, and the helpers emitters share (activations,
 * softmax along an axis, elementwise ops on either layout). See export.ts for the layout rules.
 */
import type { Activation } from '../../graph/nodes/common';
import type { DType, TensorType } from '../../ops/types';
import { AttributeType, DataType, type AttributeProto, type NodeProto, type TensorProto } from './proto';

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

export type Layout = 'nhwc' | 'nchw';

/** A value of the ONNX graph: its name, Wiregrad's (logical, NHWC) type, and how it is laid out in ONNX. */
export interface Val {
  readonly name: string;
  readonly type: TensorType;
  readonly layout: Layout;
}

export const TO_NCHW = [0, 3, 1, 2];
export const TO_NHWC = [0, 2, 3, 1];
export const ELEM: Readonly<Record<DType, number>> = { f32: DataType.FLOAT, i32: DataType.INT32, bool: DataType.BOOL };

export const attrInt = (name: string, i: number): AttributeProto => ({ name, type: AttributeType.INT, i });
export const attrInts = (name: string, ints: readonly number[]): AttributeProto => ({ name, type: AttributeType.INTS, ints: [...ints] });
export const attrFloat = (name: string, f: number): AttributeProto => ({ name, type: AttributeType.FLOAT, f });

/** Little-endian bytes of a tensor. */
export function rawData(dtype: 'f32' | 'i32' | 'i64' | 'bool', values: ArrayLike<number>): Uint8Array {
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
export class GraphBuilder {
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
export interface NodeContext {
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

export type Emitter = (c: NodeContext) => Val;

export const normAxis = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);

/** A Val made by `c` with the node's output type. */
export const val = (c: NodeContext, name: string, layout: Layout): Val => ({ name, type: c.out, layout });

/** Activation by its Keras name; layout-preserving, softmax along Wiregrad's last axis. */
export function activation(c: NodeContext, x: Val, name: Activation): Val {
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
export function gelu(g: GraphBuilder, x: string): string {
  const cube = g.op('Mul', [g.op('Mul', [x, x]), x]);
  const inner = g.op('Add', [x, g.op('Mul', [cube, g.scalar('gelu_k', 0.044715)])]);
  const t = g.op('Tanh', [g.op('Mul', [inner, g.scalar('gelu_c', Math.sqrt(2 / Math.PI))])]);
  return g.op('Mul', [g.op('Mul', [x, g.op('Add', [t, g.scalar('one', 1)])]), g.scalar('half', 0.5)]);
}

/** Softmax or LogSoftmax along Wiregrad's `axis`, on either layout. */
export function softmaxLike(c: NodeContext, x: Val, opType: 'Softmax' | 'LogSoftmax', axis: number): Val {
  const a = normAxis(axis, x.type.shape.length);
  const onnxAxis = x.layout === 'nchw' ? TO_NCHW.indexOf(a) : a;
  return { name: c.g.op(opType, [x.name], [attrInt('axis', onnxAxis)]), type: x.type, layout: x.layout };
}

export const unary =
  (opType: string): Emitter =>
  (c) => {
    const x = c.one('x');
    return val(c, c.g.op(opType, [x.name]), x.layout);
  };

/** Values combined elementwise: in NCHW when all of them are, else in NHWC. */
export function common(c: NodeContext, xs: readonly Val[]): { names: string[]; layout: Layout } {
  if (xs.every((x) => x.layout === 'nchw')) return { names: xs.map((x) => x.name), layout: 'nchw' };
  return { names: xs.map((x) => c.g.nhwc(x)), layout: 'nhwc' };
}

export const binary =
  (opType: string): Emitter =>
  (c) => {
    const { names, layout } = common(c, [c.one('a'), c.one('b')]);
    return val(c, c.g.op(opType, names), layout);
  };

export function concat(c: NodeContext): Val {
  const xs = c.many('inputs');
  const { names, layout } = common(c, xs);
  const a = normAxis(c.p.axis, c.out.shape.length);
  return val(c, c.g.op('Concat', names, [attrInt('axis', layout === 'nchw' ? TO_NCHW.indexOf(a) : a)]), layout);
}
