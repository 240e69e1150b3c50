/**
 * How each ONNX operator becomes Wiregrad nodes (the importer's table). Layers where a pattern is
 * recognised: Gemm, MatMul (+ Add) → Dense; Conv → Conv2D; MaxPool / AveragePool → pooling;
 * BatchNormalization, LayerNormalization, Flatten, Reshape, Dropout; a following Relu / Tanh /
 * Sigmoid / Softmax … folds into the layer's activation when the layer's output feeds nothing else.
 * Other supported operators become the catalog's raw ops (add, mul, matmul, transpose, …).
 *
 * Layout: ONNX images are NCHW and Wiregrad's are NHWC. A value carries `nhwc` when Wiregrad holds
 * an NCHW ONNX value transposed to NHWC; convolutions and pooling take that form, elementwise ops keep
 * whichever they get, and ops that depend on the order of axes get a `transpose` node back first
 * (ctx.tensor(i, 'same')). Shapes are kept in ONNX's order, the batch dimension as null.
 */
import { windowPadding } from '../../graph/nodes/layers';
import type { Activation } from '../../graph/nodes/common';
import type { ConstTensor } from './importTensors';
import type { Attributes } from './importTensors';
import type { NodeProto, TensorProto } from './proto';

export type Shape = readonly (number | null)[];

/** A tensor computed by the document: a node's output port. */
export interface TensorValue {
  readonly kind: 'tensor';
  readonly node: string;
  readonly port: string;
  /** ONNX's shape (NCHW for an image even when `nhwc`); null for the batch and unknown dimensions. */
  readonly shape: Shape;
  /** Wiregrad holds this rank-4 NCHW value transposed to NHWC. */
  readonly nhwc: boolean;
}
export interface ConstValue {
  readonly kind: 'const';
  readonly name: string;
  readonly tensor: ConstTensor;
}
export type Value = TensorValue | ConstValue;

/** What an operator's converter can do. */
export interface OpContext {
  readonly node: NodeProto;
  readonly a: Attributes;
  /** Throws an ImportError naming the node. */
  fail(message: string): never;
  input(i: number): Value | undefined;
  /** Input i as a tensor in the layout asked for (`any`: as it is); a constant becomes a Constant node. */
  tensor(i: number, layout: 'same' | 'nhwc' | 'any'): TensorValue;
  /** Input i, which must be a constant (an initializer or a Constant node's value). */
  constant(i: number, what: string): ConstTensor;
  /** A node id for this operator: its weight's module name (`fc1.weight` → fc1), else its node name. */
  idBase(weightInput?: number): string;
  /** Adds a node wired from `wires` (port, value); returns its id. */
  emit(base: string, type: string, params: Record<string, unknown>, wires: readonly (readonly [string, TensorValue])[]): string;
  /** Stores a variable's weights: `<id>/<name>`, shaped as Wiregrad's variable is. */
  weight(id: string, name: string, data: Float32Array, shape: readonly number[]): void;
  /** Output i of this operator is `v`. */
  output(v: Value, i?: number): void;
  /** The single operator reading output 0, when exactly one does and it is not a graph output. */
  soleConsumer(): NodeProto | undefined;
  /** That consumer's work is done by this node: its output is this one's. */
  absorb(consumer: NodeProto, v: Value): void;
  /** The Attributes of another node. */
  attrsOf(node: NodeProto): Attributes;
  /** The constant a value name holds, or undefined when it is computed. */
  constOf(name: string): ConstTensor | undefined;
  /** A tensor proto's values (a Constant node's), or an ImportError naming this node. */
  readConst(t: TensorProto): ConstTensor;
}

type Converter = (c: OpContext) => void;

const TO_NHWC = [0, 2, 3, 1];
/** NCHW axis → NHWC axis. */
const NHWC_AXIS = [0, 3, 1, 2];

const tensorOut = (node: string, shape: Shape, nhwc: boolean, port = 'y'): TensorValue => ({ kind: 'tensor', node, port, shape, nhwc });
const normAxis = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);
const f32 = (data: ArrayLike<number>) => Float32Array.from(data as ArrayLike<number>);
const product = (s: Shape): number | null => s.reduce<number | null>((acc, d) => (acc === null || d === null ? null : acc * d), 1);

/** Broadcast two ONNX shapes (numpy rules); null where unknown. */
function broadcast(a: Shape, b: Shape): Shape {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_x, i) => {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x === null || y === null) return x === 1 ? y : y === 1 ? x : (x ?? y);
    return Math.max(x, y);
  });
}

/** The activation a layer can take over from its sole consumer, and that consumer. */
function followingActivation(c: OpContext, rank: number, nhwc: boolean): { name: Activation; node: NodeProto } | undefined {
  const next = c.soleConsumer();
  if (!next) return undefined;
  const a = c.attrsOf(next);
  const simple: Record<string, Activation> = { Relu: 'relu', Tanh: 'tanh', Sigmoid: 'sigmoid', Softplus: 'softplus' };
  if (simple[next.op_type]) return { name: simple[next.op_type]!, node: next };
  if (next.op_type === 'Elu' && a.float('alpha', 1) === 1) return { name: 'elu', node: next };
  if (next.op_type === 'LeakyRelu' && Math.abs(a.float('alpha', 0.01) - 0.2) < 1e-7) return { name: 'leaky_relu', node: next };
  // Wiregrad's softmax activation is along its last axis: ONNX's last, or channels of an NHWC-held image.
  if (next.op_type === 'Softmax' && normAxis(a.int('axis', -1), rank) === (nhwc ? 1 : rank - 1)) return { name: 'softmax', node: next };
  return undefined;
}

/** Adds the layer, folding a following activation into it; sets the output. */
function layer(c: OpContext, base: string, type: string, params: Record<string, unknown>, x: TensorValue, shape: Shape, nhwc: boolean): string {
  const act = followingActivation(c, shape.length, nhwc);
  const id = c.emit(base, type, { ...params, activation: act?.name ?? 'linear' }, [['x', x]]);
  const out = tensorOut(id, shape, nhwc);
  c.output(out);
  if (act) c.absorb(act.node, out);
  return id;
}

/** Gemm: Y = alpha·A·B' + beta·C with B (and C) constant → Dense (kernel [in, out]). */
const gemm: Converter = (c) => {
  if (c.a.int('transA', 0) !== 0) c.fail('transA = 1 has no Dense form');
  const w = c.constant(1, 'the weight B');
  if (w.dims.length !== 2) c.fail(`the weight B should be a matrix but has shape [${w.dims.join(', ')}]`);
  const x = c.tensor(0, 'same');
  if (x.shape.length !== 2) c.fail(`A should be [batch, features] but has shape [${x.shape.join(', ')}]`);
  const transB = c.a.int('transB', 0) === 1;
  const [rows, cols] = w.dims as [number, number];
  const inDim = transB ? cols : rows;
  const units = transB ? rows : cols;
  if (x.shape[1] !== null && x.shape[1] !== inDim) c.fail(`A has ${x.shape[1]} features but B expects ${inDim}`);
  const alpha = c.a.float('alpha', 1);
  const kernel = new Float32Array(inDim * units);
  for (let i = 0; i < inDim; i++) for (let o = 0; o < units; o++) kernel[i * units + o] = alpha * w.data[transB ? o * cols + i : i * cols + o]!;
  let bias: Float32Array | undefined;
  if (c.input(2)) {
    const b = c.constant(2, 'the bias C');
    const n = b.data.length;
    if (n !== units && n !== 1) c.fail(`the bias C has shape [${b.dims.join(', ')}]; Dense needs one value per output (${units})`);
    const beta = c.a.float('beta', 1);
    bias = Float32Array.from({ length: units }, (_x, i) => beta * b.data[n === 1 ? 0 : i]!);
  }
  const id = layer(c, c.idBase(1), 'Dense', { units, useBias: bias !== undefined }, x, [x.shape[0]!, units], false);
  c.weight(id, 'kernel', kernel, [inDim, units]);
  if (bias) c.weight(id, 'bias', bias, [units]);
};

/** MatMul by a constant matrix (+ a constant bias Add) → Dense; of two computed values → matmul. */
const matMul: Converter = (c) => {
  const right = c.input(1);
  if (right?.kind !== 'const' || right.tensor.dims.length !== 2) {
    const a = c.tensor(0, 'same');
    const b = c.tensor(1, 'same');
    const shape = [...broadcast(a.shape.slice(0, -2), b.shape.slice(0, -2)), a.shape[a.shape.length - 2] ?? null, b.shape[b.shape.length - 1] ?? null];
    c.output(
      tensorOut(
        c.emit(c.idBase(), 'matmul', {}, [
          ['a', a],
          ['b', b],
        ]),
        shape,
        false,
      ),
    );
    return;
  }
  const x = c.tensor(0, 'same');
  const [inDim, units] = right.tensor.dims as [number, number];
  if (x.shape.length < 2) c.fail(`Dense needs [batch, …, features] but the input has shape [${x.shape.join(', ')}]`);
  if (x.shape[x.shape.length - 1] !== null && x.shape[x.shape.length - 1] !== inDim)
    c.fail(`the input has ${x.shape[x.shape.length - 1]} features but the weight expects ${inDim}`);
  const shape = [...x.shape.slice(0, -1), units];
  // A following Add of a constant vector is the bias.
  const next = c.soleConsumer();
  let bias: Float32Array | undefined;
  if (next?.op_type === 'Add') {
    const otherName = next.input[0] === c.node.output[0] ? next.input[1] : next.input[0];
    const other = otherName ? c.constOf(otherName) : undefined;
    if (other && other.data.length === units && other.dims.filter((d) => d !== 1).length <= 1) bias = f32(other.data);
  }
  const base = c.idBase(1);
  if (bias) {
    const id = c.emit(base, 'Dense', { units, useBias: true, activation: 'linear' }, [['x', x]]);
    const out = tensorOut(id, shape, false);
    c.output(out);
    c.absorb(next!, out);
    c.weight(id, 'kernel', f32(right.tensor.data), [inDim, units]);
    c.weight(id, 'bias', bias, [units]);
    return;
  }
  const id = layer(c, base, 'Dense', { units, useBias: false }, x, shape, false);
  c.weight(id, 'kernel', f32(right.tensor.data), [inDim, units]);
};

/** pads [top, left, bottom, right] (ONNX order) as Wiregrad's 'valid' or 'same', or a failure. */
function padding(c: OpContext, inHW: Shape, k: readonly number[], stride: readonly number[], dilation: readonly number[]): 'valid' | 'same' {
  const autoPad = c.a.string('auto_pad', 'NOTSET');
  if (autoPad === 'VALID') return 'valid';
  if (autoPad === 'SAME_UPPER') return 'same';
  if (autoPad !== 'NOTSET') c.fail(`auto_pad = ${autoPad} has no Wiregrad form (SAME_UPPER and VALID do)`);
  const pads = c.a.ints('pads', [0, 0, 0, 0])!;
  if (pads.length !== 4) c.fail(`pads [${pads.join(', ')}] should have 4 values for a 2-D window`);
  if (pads.every((p) => p === 0)) return 'valid';
  if (inHW.some((d) => d === null)) c.fail("the input's height and width must be known to match its padding");
  const [top, bottom, left, right] = windowPadding('same', inHW as number[], k, stride, dilation);
  if (pads[0] === top && pads[1] === left && pads[2] === bottom && pads[3] === right) return 'same';
  c.fail(`pads [${pads.join(', ')}] are neither none nor "same" padding (${[top, left, bottom, right].join(', ')}), the two Wiregrad has`);
}

/** Output length of a window along one axis. */
const windowOut = (size: number | null, k: number, stride: number, dilation: number, mode: 'valid' | 'same') =>
  size === null ? null : mode === 'same' ? Math.ceil(size / stride) : Math.floor((size - (k - 1) * dilation - 1) / stride) + 1;

/** Conv (2-D, constant weight OIHW) → Conv2D (kernel HWIO). */
const conv: Converter = (c) => {
  const w = c.constant(1, 'the weight W');
  if (w.dims.length !== 4) c.fail(`only 2-D convolutions are imported; W has shape [${w.dims.join(', ')}]`);
  const x = c.tensor(0, 'nhwc');
  const [co, ci, kh, kw] = w.dims as [number, number, number, number];
  const k = c.a.ints('kernel_shape', [kh, kw])!;
  if (k[0] !== kh || k[1] !== kw) c.fail(`kernel_shape [${k.join(', ')}] does not match W's [${kh}, ${kw}]`);
  const strides = c.a.ints('strides', [1, 1])!;
  const dilations = c.a.ints('dilations', [1, 1])!;
  const groups = c.a.int('group', 1);
  if (x.shape[1] !== null && x.shape[1] !== ci * groups) c.fail(`the input has ${x.shape[1]} channels but W expects ${ci * groups}`);
  const mode = padding(c, x.shape.slice(2, 4), k, strides, dilations);
  const kernel = new Float32Array(w.data.length);
  for (let o = 0; o < co; o++)
    for (let i = 0; i < ci; i++)
      for (let h = 0; h < kh; h++)
        for (let q = 0; q < kw; q++) {
          kernel[((h * kw + q) * ci + i) * co + o] = w.data[((o * ci + i) * kh + h) * kw + q]!;
        }
  const shape = [x.shape[0]!, co, windowOut(x.shape[2]!, kh, strides[0]!, dilations[0]!, mode), windowOut(x.shape[3]!, kw, strides[1]!, dilations[1]!, mode)];
  const useBias = c.input(2) !== undefined;
  const id = layer(
    c,
    c.idBase(1),
    'Conv2D',
    { filters: co, kernelSize: [kh, kw], strides, padding: mode, dilation: dilations, groups, useBias },
    x,
    shape,
    true,
  );
  c.weight(id, 'kernel', kernel, [kh, kw, ci, co]);
  if (useBias) {
    const b = c.constant(2, 'the bias B');
    if (b.data.length !== co) c.fail(`the bias B has ${b.data.length} values for ${co} filters`);
    c.weight(id, 'bias', f32(b.data), [co]);
  }
};

function pool(type: 'MaxPool2D' | 'AvgPool2D'): Converter {
  return (c) => {
    const x = c.tensor(0, 'nhwc');
    if (x.shape.length !== 4) c.fail(`only 2-D pooling is imported; the input has shape [${x.shape.join(', ')}]`);
    const k = c.a.ints('kernel_shape') ?? c.fail('kernel_shape is missing');
    if (k.length !== 2) c.fail("kernel_shape should give the window's height and width");
    const strides = c.a.ints('strides', [1, 1])!;
    if ((c.a.ints('dilations', [1, 1]) ?? []).some((d) => d !== 1)) c.fail('dilated pooling has no Wiregrad form');
    const mode = padding(c, x.shape.slice(2, 4), k, strides, [1, 1]);
    if (type === 'AvgPool2D' && mode === 'same' && c.a.int('count_include_pad', 0) !== 0)
      c.fail('count_include_pad = 1 with padding has no Wiregrad form (its average leaves padding out)');
    const shape = [x.shape[0]!, x.shape[1]!, windowOut(x.shape[2]!, k[0]!, strides[0]!, 1, mode), windowOut(x.shape[3]!, k[1]!, strides[1]!, 1, mode)];
    if (c.a.int('ceil_mode', 0) === 1) {
      const ceil = [2, 3].map((i) => (x.shape[i] === null ? null : Math.ceil((x.shape[i]! - k[i - 2]!) / strides[i - 2]!) + 1));
      if (mode !== 'valid' || ceil[0] !== shape[2] || ceil[1] !== shape[3])
        c.fail("ceil_mode = 1 changes the output size here, which Wiregrad's pooling cannot");
    }
    const sameStrides = strides[0] === k[0] && strides[1] === k[1];
    const id = c.emit(c.idBase(), type, { poolSize: k, ...(sameStrides ? {} : { strides }), padding: mode }, [['x', x]]);
    c.output(tensorOut(id, shape, true));
  };
}

const globalAveragePool: Converter = (c) => {
  const x = c.tensor(0, 'nhwc');
  if (x.shape.length !== 4) c.fail(`expected an image [batch, channels, height, width] but got [${x.shape.join(', ')}]`);
  const id = c.emit(c.idBase(), 'mean', { axes: [1, 2], keepdims: true }, [['x', x]]);
  c.output(tensorOut(id, [x.shape[0]!, x.shape[1]!, 1, 1], true));
};

const batchNorm: Converter = (c) => {
  if (c.a.int('training_mode', 0) !== 0) c.fail('training_mode = 1 (a model exported for training) is not imported; export the model in eval mode');
  const x = c.tensor(0, 'any');
  const parts = ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((name, i) => [name, c.constant(i + 1, `input ${name}`)] as const);
  const channels = x.shape.length >= 2 ? x.shape[1] : null;
  for (const [name, t] of parts) if (channels !== null && t.data.length !== channels) c.fail(`${name} has ${t.data.length} values for ${channels} channels`);
  // ONNX's momentum is the old running value's weight (Keras'); Wiregrad's (PyTorch's) is the batch's.
  const id = c.emit(
    c.idBase(1),
    'BatchNorm',
    { axis: x.nhwc ? -1 : 1, epsilon: c.a.float('epsilon', 1e-5), momentum: Number((1 - c.a.float('momentum', 0.9)).toPrecision(12)) },
    [['x', x]],
  );
  for (const [name, t] of parts) c.weight(id, name, f32(t.data), [t.data.length]);
  c.output(tensorOut(id, x.shape, x.nhwc));
};

const layerNorm: Converter = (c) => {
  const x = c.tensor(0, 'same');
  const rank = x.shape.length;
  if (normAxis(c.a.int('axis', -1), rank) !== rank - 1)
    c.fail(`only normalisation over the last axis is imported (axis ${c.a.int('axis', -1)} of rank ${rank})`);
  const width = x.shape[rank - 1];
  const gamma = c.constant(1, 'the scale');
  const beta = c.input(2) ? c.constant(2, 'the bias') : undefined;
  if (width !== null && width !== undefined && gamma.data.length !== width) c.fail(`the scale has ${gamma.data.length} values for ${width} features`);
  const id = c.emit(c.idBase(1), 'LayerNorm', { epsilon: c.a.float('epsilon', 1e-5) }, [['x', x]]);
  const n = gamma.data.length;
  if (beta && beta.data.length !== n) c.fail(`the bias has ${beta.data.length} values for ${n} features`);
  c.weight(id, 'gamma', f32(gamma.data), [n]);
  c.weight(id, 'beta', beta ? f32(beta.data) : new Float32Array(n), [n]);
  c.output(tensorOut(id, x.shape, false));
};

/** An elementwise op of one input, in whichever layout the input has. */
function elementwise(type: string, params: (c: OpContext) => Record<string, unknown> = () => ({})): Converter {
  return (c) => {
    const x = c.tensor(0, 'any');
    c.output(tensorOut(c.emit(c.idBase(), type, params(c), [['x', x]]), x.shape, x.nhwc));
  };
}

function softmaxLike(type: 'Softmax' | 'LogSoftmax'): Converter {
  return (c) => {
    const x = c.tensor(0, 'any');
    const axis = normAxis(c.a.int('axis', -1), x.shape.length);
    const wgAxis = x.nhwc ? NHWC_AXIS[axis]! : axis;
    c.output(tensorOut(c.emit(c.idBase(), type, { axis: wgAxis === x.shape.length - 1 ? -1 : wgAxis }, [['x', x]]), x.shape, x.nhwc));
  };
}

/** A binary elementwise op; a constant operand of rank ≥ 1 needs the other in ONNX's layout. */
function binary(type: string, residual?: string): Converter {
  return (c) => {
    const l = c.input(0) ?? c.fail('needs two inputs');
    const r = c.input(1) ?? c.fail('needs two inputs');
    const scalarConst = (v: Value) => v.kind === 'const' && v.tensor.data.length === 1;
    const both = l.kind === 'tensor' && r.kind === 'tensor';
    let layout: 'same' | 'nhwc' | 'any' = 'same';
    if (both && l.nhwc && r.nhwc) layout = 'nhwc';
    else if ((l.kind === 'tensor' && l.nhwc && scalarConst(r)) || (r.kind === 'tensor' && r.nhwc && scalarConst(l))) layout = 'any';
    const a = c.tensor(0, layout);
    const b = c.tensor(1, layout);
    const nhwc = a.nhwc || b.nhwc;
    const shape = broadcast(l.kind === 'tensor' ? l.shape : l.tensor.dims, r.kind === 'tensor' ? r.shape : r.tensor.dims);
    const id =
      both && residual
        ? c.emit(c.idBase(), residual, {}, [
            ['inputs', a],
            ['inputs', b],
          ])
        : c.emit(c.idBase(), type, {}, [
            ['a', a],
            ['b', b],
          ]);
    c.output(tensorOut(id, shape, nhwc));
  };
}

const flatten: Converter = (c) => {
  const x = c.tensor(0, 'same');
  const axis = normAxis(c.a.int('axis', 1), x.shape.length);
  if (axis !== 1) c.fail(`only Flatten with axis 1 (keep the batch) is imported, not axis ${c.a.int('axis', 1)}`);
  c.output(tensorOut(c.emit(c.idBase(), 'Flatten', {}, [['x', x]]), [x.shape[0] ?? null, product(x.shape.slice(1))], false));
};

const reshape: Converter = (c) => {
  const x = c.tensor(0, 'same');
  const target = [...c.constant(1, 'the shape').data].map(Number);
  if (target.length === 0) c.fail('reshaping to a scalar is not imported');
  // 0 copies the input's dimension (allowzero = 0).
  const resolved = target.map((d, i) => (d === 0 ? (x.shape[i] ?? null) : d));
  if (resolved.slice(1).some((d) => d === null)) c.fail('copies a dimension Wiregrad does not know');
  const batchFirst = target[0] === 0 || (target[0] === -1 && !target.slice(1).includes(-1));
  const rest = resolved.slice(1) as number[];
  const known = x.shape.slice(1).every((d) => d !== null) ? (product(x.shape.slice(1)) as number) : null;
  const fill = (dims: number[]) =>
    known === null || !dims.includes(-1) ? dims : dims.map((d) => (d === -1 ? known / dims.reduce((p, q) => (q === -1 ? p : p * q), 1) : d));
  if (batchFirst) {
    const id = c.emit(c.idBase(), 'Reshape', { targetShape: rest }, [['x', x]]);
    c.output(tensorOut(id, [x.shape[0] ?? null, ...fill(rest)], false));
    return;
  }
  if (resolved.some((d) => d === null)) c.fail('copies a dimension Wiregrad does not know');
  const id = c.emit(c.idBase(), 'reshape', { shape: resolved }, [['x', x]]);
  c.output(
    tensorOut(
      id,
      resolved.map((d) => (d === -1 ? null : d)),
      false,
    ),
  );
};

const transpose: Converter = (c) => {
  const x = c.tensor(0, 'any');
  const rank = x.shape.length;
  const perm = c.a.ints(
    'perm',
    Array.from({ length: rank }, (_d, i) => rank - 1 - i),
  )!;
  const shape = perm.map((p) => x.shape[p] ?? null);
  // Moving channels last or first only changes how Wiregrad's value is read: no node.
  if (rank === 4 && x.nhwc && perm.join() === TO_NHWC.join()) return c.output({ ...x, shape, nhwc: false });
  if (rank === 4 && !x.nhwc && perm.join() === NHWC_AXIS.join()) return c.output({ ...x, shape, nhwc: true });
  const same = c.tensor(0, 'same');
  c.output(tensorOut(c.emit(c.idBase(), 'transpose', { perm }, [['x', same]]), shape, false));
};

const concat: Converter = (c) => {
  const inputs = c.node.input.map((_n, i) => c.input(i)).filter((v) => v !== undefined);
  const allNhwc = inputs.every((v) => v.kind === 'tensor' && v.nhwc);
  const xs = inputs.map((_v, i) => c.tensor(i, allNhwc ? 'nhwc' : 'same'));
  const rank = xs[0]?.shape.length ?? 0;
  const axis = normAxis(c.a.int('axis', 0), rank);
  const shape = xs[0]!.shape.map((d, i) =>
    i === axis ? xs.reduce<number | null>((acc, x) => (acc === null || x.shape[i] == null ? null : acc + x.shape[i]!), 0) : d,
  );
  const id = c.emit(
    c.idBase(),
    'Concat',
    { axis: allNhwc ? NHWC_AXIS[axis]! : axis },
    xs.map((x) => ['inputs', x] as const),
  );
  c.output(tensorOut(id, shape, allNhwc));
};

function reduce(type: 'mean' | 'sum' | 'max', axesFromInput: boolean): Converter {
  return (c) => {
    const x = c.tensor(0, 'same');
    const rank = x.shape.length;
    const given = axesFromInput ? (c.input(1) ? [...c.constant(1, 'the axes').data].map(Number) : undefined) : c.a.ints('axes');
    const axes = (given ?? x.shape.map((_d, i) => i)).map((a) => normAxis(a, rank));
    const keep = c.a.int('keepdims', 1) === 1;
    const shape = keep ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_d, i) => !axes.includes(i));
    c.output(tensorOut(c.emit(c.idBase(), type, { axes, keepdims: keep }, [['x', x]]), shape, false));
  };
}

/** Identity, and Pad by nothing: the value passes through. */
const passThrough: Converter = (c) => c.output(c.input(0) ?? c.fail('has no input'));

const pad: Converter = (c) => {
  const pads = c.input(1) ? [...c.constant(1, 'the pads').data] : c.a.ints('pads', []);
  if (pads!.some((p) => p !== 0)) c.fail(`pads [${pads!.join(', ')}]: only padding by nothing is imported (use the layer's own padding)`);
  passThrough(c);
};

const dropout: Converter = (c) => {
  const x = c.tensor(0, 'any');
  const rate = c.input(1) ? c.constant(1, 'the ratio').data[0]! : c.a.float('ratio', 0.5);
  if (!(rate >= 0 && rate < 1)) c.fail(`ratio ${rate} should be at least 0 and less than 1`);
  c.output(tensorOut(c.emit(c.idBase(), 'Dropout', { rate }, [['x', x]]), x.shape, x.nhwc));
};

const constant: Converter = (c) => {
  const t = c.a.tensor('value') ?? c.fail('only Constant nodes with a tensor value are imported');
  c.output({ kind: 'const', name: c.node.output[0]!, tensor: c.readConst(t) });
};

/** Every operator the importer knows, by op_type (default ONNX domain). */
export const CONVERTERS: Readonly<Record<string, Converter>> = {
  Gemm: gemm,
  MatMul: matMul,
  Conv: conv,
  MaxPool: pool('MaxPool2D'),
  AveragePool: pool('AvgPool2D'),
  GlobalAveragePool: globalAveragePool,
  BatchNormalization: batchNorm,
  LayerNormalization: layerNorm,
  Flatten: flatten,
  Reshape: reshape,
  Transpose: transpose,
  Concat: concat,
  Dropout: dropout,
  Identity: passThrough,
  Pad: pad,
  Constant: constant,
  Relu: elementwise('ReLU'),
  Sigmoid: elementwise('Sigmoid'),
  Tanh: elementwise('Tanh'),
  Softplus: elementwise('Softplus'),
  Elu: elementwise('ELU', (c) => ({ alpha: c.a.float('alpha', 1) })),
  LeakyRelu: elementwise('LeakyReLU', (c) => ({ alpha: c.a.float('alpha', 0.01) })),
  Exp: elementwise('exp'),
  Log: elementwise('log'),
  Sqrt: elementwise('sqrt'),
  Abs: elementwise('abs'),
  Neg: elementwise('neg'),
  Softmax: softmaxLike('Softmax'),
  LogSoftmax: softmaxLike('LogSoftmax'),
  Add: binary('add', 'Add'),
  Sub: binary('sub'),
  Mul: binary('mul'),
  Div: binary('div'),
  Pow: binary('pow'),
  Max: binary('maximum'),
  Min: binary('minimum'),
  ReduceMean: reduce('mean', false),
  ReduceMax: reduce('max', false),
  ReduceSum: reduce('sum', true),
};
