import { z } from 'zod';
import type { OpBuilder } from '../../ops/builder';
import { ShapeError, type Padding4 } from '../../ops/types';
import type { NodeSpec } from '../spec';
import { activation, defineNode, initializer, int, many, one, pairLike } from './common';
import { applyActivation } from './activations';

const io = { inputs: [{ name: 'x' }], outputs: [{ name: 'y' }] } as const;
const padMode = z.enum(['valid', 'same']).default('valid');

/** TensorFlow's padding: 'same' keeps ceil(in / stride) outputs, the odd pixel going after. */
export function windowPadding(
  mode: 'valid' | 'same',
  inHW: readonly number[],
  k: readonly number[],
  stride: readonly number[],
  dilation: readonly number[] = [1, 1],
): Padding4 {
  if (mode === 'valid') return [0, 0, 0, 0];
  const pads = [0, 1].map((i) => {
    const out = Math.ceil(inHW[i]! / stride[i]!);
    const total = Math.max((out - 1) * stride[i]! + (k[i]! - 1) * dilation[i]! + 1 - inHW[i]!, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)] as const;
  });
  return [pads[0]![0], pads[0]![1], pads[1]![0], pads[1]![1]];
}

function imageShape<T>(b: OpBuilder<T>, x: T, what: string): readonly number[] {
  const s = b.shape(x);
  if (s.length !== 4) throw new ShapeError(`${what} expects images [batch, height, width, channels] but got [${s.join(', ')}]`);
  return s;
}

/** Reshape a per-channel vector so it broadcasts against x along `axis`. */
function alongAxis<T>(b: OpBuilder<T>, v: T, rank: number, axis: number): T {
  return b.reshape(
    v,
    Array.from({ length: rank }, (_d, i) => (i === axis ? -1 : 1)),
  );
}

function poolNode(type: 'MaxPool2D' | 'AvgPool2D'): NodeSpec {
  return defineNode({
    type,
    label: type === 'MaxPool2D' ? 'Max pool 2D' : 'Average pool 2D',
    category: 'Layers',
    ...io,
    description: `${type === 'MaxPool2D' ? 'Maximum' : 'Mean'} over each window of an NHWC image, per channel.`,
    params: z.strictObject({ poolSize: pairLike.default([2, 2]), strides: pairLike.optional(), padding: padMode }),
    lower(ctx, inputs, p) {
      const x = one(inputs, 'x');
      const s = imageShape(ctx.b, x, type);
      const stride = p.strides ?? p.poolSize;
      const attrs = { size: p.poolSize, stride, padding: windowPadding(p.padding, s.slice(1, 3), p.poolSize, stride) };
      return { y: type === 'MaxPool2D' ? ctx.b.maxPool2d(x, attrs) : ctx.b.avgPool2d(x, attrs) };
    },
  });
}

export const LAYER_NODES: readonly NodeSpec[] = [
  defineNode({
    type: 'Dense',
    label: 'Dense',
    category: 'Layers',
    ...io,
    description: 'Fully connected layer: activation(x · kernel + bias) over the last axis.',
    params: z.strictObject({
      units: int(1).default(32),
      activation: activation.default('linear'),
      useBias: z.boolean().default(true),
      kernelInit: initializer.default({ kind: 'glorot_uniform' }),
      biasInit: initializer.default({ kind: 'zeros' }),
    }),
    lower(ctx, inputs, p) {
      const { b } = ctx;
      const x = one(inputs, 'x');
      const s = b.shape(x);
      if (s.length < 2) throw new ShapeError(`Dense expects [batch, features] but got [${s.join(', ')}]`);
      const inDim = s[s.length - 1]!;
      const kernel = ctx.variable({ name: 'kernel', shape: [inDim, p.units], init: p.kernelInit, fans: [inDim, p.units], trainable: true });
      let y = b.matmul(x, kernel);
      if (p.useBias) y = b.add(y, ctx.variable({ name: 'bias', shape: [p.units], init: p.biasInit, trainable: true }));
      return { y: applyActivation(b, y, p.activation) };
    },
  }),
  defineNode({
    type: 'Conv2D',
    label: 'Conv 2D',
    category: 'Layers',
    ...io,
    description: '2-D convolution over NHWC images with stride, padding, dilation and groups.',
    params: z.strictObject({
      filters: int(1).default(8),
      kernelSize: pairLike.default([3, 3]),
      strides: pairLike.default([1, 1]),
      padding: padMode,
      dilation: pairLike.default([1, 1]),
      groups: int(1).default(1),
      activation: activation.default('linear'),
      useBias: z.boolean().default(true),
      kernelInit: initializer.default({ kind: 'glorot_uniform' }),
      biasInit: initializer.default({ kind: 'zeros' }),
    }),
    lower(ctx, inputs, p) {
      const { b } = ctx;
      const x = one(inputs, 'x');
      const s = imageShape(b, x, 'Conv2D');
      const cin = s[3]!;
      if (cin % p.groups !== 0 || p.filters % p.groups !== 0) {
        throw new ShapeError(`groups=${p.groups} must divide the ${cin} input channels and the ${p.filters} filters`);
      }
      const [kh, kw] = p.kernelSize;
      const shape = [kh, kw, cin / p.groups, p.filters];
      const fans: [number, number] = [kh * kw * (cin / p.groups), kh * kw * (p.filters / p.groups)];
      const kernel = ctx.variable({ name: 'kernel', shape, init: p.kernelInit, fans, trainable: true });
      const padding = windowPadding(p.padding, s.slice(1, 3), p.kernelSize, p.strides, p.dilation);
      let y = b.conv2d(x, kernel, { stride: p.strides, padding, dilation: p.dilation, groups: p.groups });
      if (p.useBias) y = b.add(y, ctx.variable({ name: 'bias', shape: [p.filters], init: p.biasInit, trainable: true }));
      return { y: applyActivation(b, y, p.activation) };
    },
  }),
  poolNode('MaxPool2D'),
  poolNode('AvgPool2D'),
  defineNode({
    type: 'Flatten',
    label: 'Flatten',
    category: 'Layers',
    ...io,
    description: 'Reshape [batch, ...] to [batch, features].',
    params: z.strictObject({}),
    lower(ctx, inputs) {
      const x = one(inputs, 'x');
      const s = ctx.b.shape(x);
      return { y: ctx.b.reshape(x, [s[0] ?? 1, s.slice(1).reduce((a, d) => a * d, 1)]) };
    },
  }),
  defineNode({
    type: 'Reshape',
    label: 'Reshape',
    category: 'Layers',
    ...io,
    description: 'Reshape each sample to targetShape (one dimension may be −1); the batch dimension is kept.',
    params: z.strictObject({ targetShape: z.array(z.number().int().min(-1)).min(1).default([-1]) }),
    lower(ctx, inputs, p) {
      const x = one(inputs, 'x');
      return { y: ctx.b.reshape(x, [ctx.b.shape(x)[0] ?? 1, ...p.targetShape]) };
    },
  }),
  defineNode({
    type: 'Dropout',
    label: 'Dropout',
    category: 'Layers',
    ...io,
    description: 'While training, zero each element with probability rate and scale the rest by 1/(1−rate); identity at inference.',
    params: z.strictObject({ rate: z.number().min(0).lt(1).default(0.5) }),
    lower(ctx, inputs, p) {
      const { b } = ctx;
      const x = one(inputs, 'x');
      if (!ctx.training || p.rate === 0) return { y: x };
      const u = b.randomUniform(ctx.counter(), b.shape(x), ctx.seed());
      const keep = b.scale(b.mask(b.greaterEqual(u, b.scalar(p.rate))), 1 / (1 - p.rate));
      return { y: b.mul(x, keep) };
    },
  }),
  defineNode({
    type: 'BatchNorm',
    label: 'Batch norm',
    category: 'Layers',
    ...io,
    description:
      "Normalise by batch statistics while training and by running averages at inference, then scale and shift. Momentum is the new batch's weight in the running averages, as in PyTorch.",
    // momentum as in PyTorch: the new batch's weight, running ← (1 − momentum)·running + momentum·batch.
    params: z.strictObject({
      axis: z.number().int().default(-1),
      momentum: z.number().min(0).max(1).default(0.1),
      epsilon: z.number().positive().default(1e-5),
    }),
    lower(ctx, inputs, p) {
      const { b } = ctx;
      const x = one(inputs, 'x');
      const s = b.shape(x);
      const axis = p.axis < 0 ? p.axis + s.length : p.axis;
      if (axis < 0 || axis >= s.length) throw new ShapeError(`BatchNorm axis ${p.axis} is out of range for rank ${s.length}`);
      const c = s[axis]!;
      const gamma = alongAxis(b, ctx.variable({ name: 'gamma', shape: [c], init: { kind: 'ones' }, trainable: true }), s.length, axis);
      const beta = alongAxis(b, ctx.variable({ name: 'beta', shape: [c], init: { kind: 'zeros' }, trainable: true }), s.length, axis);
      const movingMean = ctx.variable({ name: 'moving_mean', shape: [c], init: { kind: 'zeros' }, trainable: false });
      const movingVar = ctx.variable({ name: 'moving_variance', shape: [c], init: { kind: 'ones' }, trainable: false });
      let mean: typeof x;
      let variance: typeof x;
      if (ctx.training) {
        const axes = s.map((_d, i) => i).filter((i) => i !== axis);
        mean = b.mean(x, axes, true);
        // Normalising uses the biased batch variance; the running one follows the unbiased (PyTorch).
        variance = b.mean(b.square(b.sub(x, mean)), axes, true);
        const n = axes.reduce((acc, i) => acc * s[i]!, 1);
        const m = p.momentum;
        const blend = (old: typeof x, batch: typeof x, scale = 1) => b.add(b.scale(old, 1 - m), b.scale(b.reshape(b.stopGradient(batch), [c]), m * scale));
        ctx.assign('moving_mean', blend(movingMean, mean));
        ctx.assign('moving_variance', blend(movingVar, variance, n > 1 ? n / (n - 1) : 1));
      } else {
        mean = alongAxis(b, movingMean, s.length, axis);
        variance = alongAxis(b, movingVar, s.length, axis);
      }
      const normed = b.div(b.sub(x, mean), b.sqrt(b.add(variance, b.scalar(p.epsilon))));
      return { y: b.add(b.mul(normed, gamma), beta) };
    },
  }),
  defineNode({
    type: 'LayerNorm',
    label: 'Layer norm',
    category: 'Layers',
    ...io,
    description: 'Normalise each sample over its last axis, then scale and shift.',
    params: z.strictObject({ epsilon: z.number().positive().default(1e-5) }),
    lower(ctx, inputs, p) {
      const { b } = ctx;
      const x = one(inputs, 'x');
      const s = b.shape(x);
      const c = s[s.length - 1]!;
      const mean = b.mean(x, [-1], true);
      const centered = b.sub(x, mean);
      const variance = b.mean(b.square(centered), [-1], true);
      const gamma = ctx.variable({ name: 'gamma', shape: [c], init: { kind: 'ones' }, trainable: true });
      const beta = ctx.variable({ name: 'beta', shape: [c], init: { kind: 'zeros' }, trainable: true });
      return { y: b.add(b.mul(b.div(centered, b.sqrt(b.add(variance, b.scalar(p.epsilon)))), gamma), beta) };
    },
  }),
  defineNode({
    type: 'Activation',
    label: 'Activation',
    category: 'Layers',
    ...io,
    description: 'Apply a named activation function.',
    params: z.strictObject({ activation: activation.default('relu') }),
    lower: (ctx, inputs, p) => ({ y: applyActivation(ctx.b, one(inputs, 'x'), p.activation) }),
  }),
  defineNode({
    type: 'Add',
    label: 'Add',
    category: 'Layers',
    description: 'Elementwise sum of all connected inputs (with broadcasting): a residual connection.',
    inputs: [{ name: 'inputs', multiple: true }],
    outputs: [{ name: 'y' }],
    params: z.strictObject({}),
    lower(ctx, inputs) {
      const xs = many(inputs, 'inputs');
      if (xs.length === 0) throw new ShapeError('Add needs at least one input');
      return { y: xs.slice(1).reduce((acc, x) => ctx.b.add(acc, x), xs[0]!) };
    },
  }),
  defineNode({
    type: 'Concat',
    label: 'Concatenate',
    category: 'Layers',
    description: 'Join all connected inputs along an axis.',
    inputs: [{ name: 'inputs', multiple: true }],
    outputs: [{ name: 'y' }],
    params: z.strictObject({ axis: z.number().int().default(-1) }),
    lower(ctx, inputs, p) {
      const xs = many(inputs, 'inputs');
      if (xs.length === 0) throw new ShapeError('Concatenate needs at least one input');
      return { y: ctx.b.concat(xs, p.axis) };
    },
  }),
  defineNode({
    type: 'Embedding',
    label: 'Embedding',
    category: 'Layers',
    ...io,
    description: 'Look up a trainable vector for each integer token id.',
    params: z.strictObject({
      inputDim: int(1).default(100),
      outputDim: int(1).default(16),
      init: initializer.default({ kind: 'uniform', min: -0.05, max: 0.05 }),
    }),
    lower(ctx, inputs, p) {
      const x = one(inputs, 'x');
      if (ctx.b.dtype(x) !== 'i32') throw new ShapeError(`Embedding expects integer token ids (i32) but got ${ctx.b.dtype(x)}`, 'dtype');
      const table = ctx.variable({ name: 'embeddings', shape: [p.inputDim, p.outputDim], init: p.init, fans: [p.inputDim, p.outputDim], trainable: true });
      return { y: ctx.b.gather(table, x, 0) };
    },
  }),
];
