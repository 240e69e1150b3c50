/**
 * 1-D convolution and global average pooling over sequences [batch, time, channels]. Conv1D is
 * Conv2D on a one-pixel-high image ([B, 1, T, C] with a [1, k, C/groups, filters] filter), so it
 * shares that op's kernels and gradients; its kernel is Keras-shaped [kernelSize, C/groups, filters].
 */
import { z } from 'zod';
import type { OpBuilder } from '../../ops/builder';
import { ShapeError } from '../../ops/types';
import type { NodeSpec } from '../spec';
import { activation, defineNode, initializer, int, one } from './common';
import { applyActivation } from './activations';
import { windowPadding } from './layers';

const io = { inputs: [{ name: 'x' }], outputs: [{ name: 'y' }] } as const;

function sequenceShape<T>(b: OpBuilder<T>, x: T, what: string): readonly [number, number, number] {
  const s = b.shape(x);
  if (s.length !== 3) throw new ShapeError(`${what} expects sequences [batch, time, channels] but got [${s.join(', ')}]`);
  return s as [number, number, number];
}

/** [left, right] zero padding of the time axis: TensorFlow's 'same' puts the odd step after. */
export function timePadding(mode: 'valid' | 'same', time: number, kernelSize: number, stride: number, dilation: number): [number, number] {
  const [, , left, right] = windowPadding(mode, [1, time], [1, kernelSize], [1, stride], [1, dilation]);
  return [left, right];
}

export const CONV1D_NODES: readonly NodeSpec[] = [
  defineNode({
    type: 'Conv1D',
    label: 'Conv 1D',
    category: 'Sequence',
    ...io,
    description: '1-D convolution over [batch, time, channels] with stride, padding, dilation and groups.',
    params: z.strictObject({
      filters: int(1).default(16),
      kernelSize: int(1).default(3),
      strides: int(1).default(1),
      padding: z.enum(['valid', 'same']).default('valid'),
      dilation: int(1).default(1),
      groups: int(1).default(1),
      activation: activation.default('linear'),
      useBias: z.boolean().default(true),
      kernelInit: initializer.default({ kind: 'glorot_uniform' }),
      biasInit: initializer.default({ kind: 'zeros' }),
    }),
    lower(ctx, inputs, p) {
      const { b } = ctx;
      const x = one(inputs, 'x');
      const [batch, time, cin] = sequenceShape(b, x, 'Conv1D');
      if (cin % p.groups !== 0 || p.filters % p.groups !== 0) {
        throw new ShapeError(`groups=${p.groups} must divide the ${cin} input channels and the ${p.filters} filters`);
      }
      const k = p.kernelSize;
      const shape = [k, cin / p.groups, p.filters];
      const fans: [number, number] = [k * (cin / p.groups), k * (p.filters / p.groups)];
      const kernel = ctx.variable({ name: 'kernel', shape, init: p.kernelInit, fans, trainable: true });
      const [left, right] = timePadding(p.padding, time, k, p.strides, p.dilation);
      const image = b.reshape(x, [batch, 1, time, cin]);
      const attrs = { stride: [1, p.strides] as const, padding: [0, 0, left, right] as const, dilation: [1, p.dilation] as const, groups: p.groups };
      const conv = b.conv2d(image, b.reshape(kernel, [1, ...shape]), attrs);
      const s = b.shape(conv);
      let y = b.reshape(conv, [batch, s[2]!, p.filters]);
      if (p.useBias) y = b.add(y, ctx.variable({ name: 'bias', shape: [p.filters], init: p.biasInit, trainable: true }));
      return { y: applyActivation(b, y, p.activation) };
    },
  }),
  defineNode({
    type: 'GlobalAveragePool1D',
    label: 'Global average pool 1D',
    category: 'Sequence',
    ...io,
    description: 'Mean over the time axis: [batch, time, channels] → [batch, channels].',
    params: z.strictObject({}),
    lower(ctx, inputs) {
      const x = one(inputs, 'x');
      sequenceShape(ctx.b, x, 'GlobalAveragePool1D');
      return { y: ctx.b.mean(x, [1]) };
    },
  }),
];
