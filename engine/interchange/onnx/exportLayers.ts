/** ONNX export of the layers (Dense, Conv2D, pooling, normalisation, activations, …). */
import { windowPadding } from '../../graph/nodes/layers';
import { activation, attrFloat, attrInt, attrInts, common, concat, ExportError, gelu, normAxis, softmaxLike, unary, val, type Emitter } from './exportGraph';

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

/** Batch norm's per-channel vectors reshaped to broadcast along `axis` of a rank-`rank` value. */
const alongAxis = (c: number, rank: number, axis: number) => Array.from({ length: rank }, (_d, i) => (i === axis ? c : 1));

export const LAYER_EMITTERS: Readonly<Record<string, Emitter>> = {
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
  ReLU: unary('Relu'),
  LeakyReLU: (c) => val(c, c.g.op('LeakyRelu', [c.one('x').name], [attrFloat('alpha', c.p.alpha)]), c.one('x').layout),
  ELU: (c) => val(c, c.g.op('Elu', [c.one('x').name], [attrFloat('alpha', c.p.alpha)]), c.one('x').layout),
  GELU: (c) => val(c, gelu(c.g, c.one('x').name), c.one('x').layout),
  Sigmoid: unary('Sigmoid'),
  Tanh: unary('Tanh'),
  Softplus: unary('Softplus'),
  Softmax: (c) => softmaxLike(c, c.one('x'), 'Softmax', c.p.axis),
  LogSoftmax: (c) => softmaxLike(c, c.one('x'), 'LogSoftmax', c.p.axis),
};
