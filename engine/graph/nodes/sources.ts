import { z } from 'zod';
import { ShapeError } from '../../ops/types';
import type { NodeSpec } from '../spec';
import { defineNode, initializer } from './common';

const shape = z.array(z.number().int().min(1));

export const SOURCE_NODES: readonly NodeSpec[] = [
  defineNode({
    type: 'Input',
    label: 'Input',
    category: 'Data',
    role: 'input',
    description: 'A placeholder fed with a batch of one dataset field every step (batch dimension first).',
    inputs: [],
    outputs: [{ name: 'y' }],
    params: z.strictObject({
      field: z.string().min(1).default('x'),
      shape: shape.default([1]),
      dtype: z.enum(['f32', 'i32']).default('f32'),
    }),
    lower: (ctx, _inputs, p) => ({ y: ctx.input(p.field, p.shape, p.dtype) }),
  }),
  defineNode({
    type: 'Parameter',
    label: 'Parameter',
    category: 'Data',
    description: 'A trainable tensor (a TensorFlow Variable), drawn once from its initializer.',
    inputs: [],
    outputs: [{ name: 'y' }],
    params: z.strictObject({
      shape: shape.min(1).default([1]),
      init: initializer.default({ kind: 'glorot_uniform' }),
      trainable: z.boolean().default(true),
    }),
    lower(ctx, _inputs, p) {
      const fanIn = p.shape.length > 1 ? p.shape.slice(0, -1).reduce((a, d) => a * d, 1) : p.shape[0]!;
      const fanOut = p.shape[p.shape.length - 1]!;
      return { y: ctx.variable({ name: 'value', shape: p.shape, init: p.init, fans: [fanIn, fanOut], trainable: p.trainable }) };
    },
  }),
  defineNode({
    type: 'Constant',
    label: 'Constant',
    category: 'Data',
    description: 'A fixed tensor: one value repeated, or a list of values in row-major order.',
    inputs: [],
    outputs: [{ name: 'y' }],
    params: z.strictObject({
      shape: shape.default([]),
      value: z.number().default(0),
      values: z.array(z.number()).optional(),
    }),
    lower(ctx, _inputs, p) {
      if (!p.values) return { y: ctx.b.full(p.shape, p.value) };
      const n = p.shape.reduce((a, d) => a * d, 1);
      if (p.values.length !== n) throw new ShapeError(`Constant of shape [${p.shape.join(', ')}] needs ${n} values, got ${p.values.length}`);
      return { y: ctx.b.constant(p.shape, p.values) };
    },
  }),
];
