import { z } from 'zod';
import type { OpBuilder } from '../../ops/builder';
import type { NodeSpec } from '../spec';
import { defineNode, one, type Activation } from './common';

/** Apply a named activation (Keras names). */
export function applyActivation<T>(b: OpBuilder<T>, x: T, name: Activation): T {
  switch (name) {
    case 'linear':
      return x;
    case 'relu':
      return b.relu(x);
    case 'leaky_relu':
      return b.leakyRelu(x, 0.2);
    case 'elu':
      return b.elu(x, 1);
    case 'gelu':
      return b.gelu(x);
    case 'sigmoid':
      return b.sigmoid(x);
    case 'tanh':
      return b.tanh(x);
    case 'softplus':
      return b.softplus(x);
    case 'softmax':
      return b.softmax(x, -1);
    default:
      return name satisfies never;
  }
}

const io = { inputs: [{ name: 'x' }], outputs: [{ name: 'y' }] } as const;

function simple(type: string, label: string, description: string, f: <T>(b: OpBuilder<T>, x: T) => T): NodeSpec {
  return defineNode({
    type,
    label,
    description,
    category: 'Activations',
    ...io,
    params: z.strictObject({}),
    lower: (ctx, inputs) => ({ y: f(ctx.b, one(inputs, 'x')) }),
  });
}

export const ACTIVATION_NODES: readonly NodeSpec[] = [
  simple('ReLU', 'ReLU', 'max(x, 0), elementwise.', (b, x) => b.relu(x)),
  defineNode({
    type: 'LeakyReLU',
    label: 'Leaky ReLU',
    description: 'x for x > 0, alpha·x otherwise.',
    category: 'Activations',
    ...io,
    params: z.strictObject({ alpha: z.number().min(0).default(0.2) }),
    lower: (ctx, inputs, p) => ({ y: ctx.b.leakyRelu(one(inputs, 'x'), p.alpha) }),
  }),
  defineNode({
    type: 'ELU',
    label: 'ELU',
    description: 'x for x > 0, alpha·(exp(x) − 1) otherwise.',
    category: 'Activations',
    ...io,
    params: z.strictObject({ alpha: z.number().min(0).default(1) }),
    lower: (ctx, inputs, p) => ({ y: ctx.b.elu(one(inputs, 'x'), p.alpha) }),
  }),
  simple('GELU', 'GELU', 'Gaussian error linear unit (tanh approximation).', (b, x) => b.gelu(x)),
  simple('Sigmoid', 'Sigmoid', '1 / (1 + exp(−x)).', (b, x) => b.sigmoid(x)),
  simple('Tanh', 'Tanh', 'Hyperbolic tangent.', (b, x) => b.tanh(x)),
  simple('Softplus', 'Softplus', 'log(1 + exp(x)), a smooth ReLU.', (b, x) => b.softplus(x)),
  defineNode({
    type: 'Softmax',
    label: 'Softmax',
    description: 'exp(x) normalised to sum to 1 along an axis.',
    category: 'Activations',
    ...io,
    params: z.strictObject({ axis: z.number().int().default(-1) }),
    lower: (ctx, inputs, p) => ({ y: ctx.b.softmax(one(inputs, 'x'), p.axis) }),
  }),
  defineNode({
    type: 'LogSoftmax',
    label: 'Log-softmax',
    description: 'log(softmax(x)), computed stably.',
    category: 'Activations',
    ...io,
    params: z.strictObject({ axis: z.number().int().default(-1) }),
    lower: (ctx, inputs, p) => ({ y: ctx.b.logSoftmax(one(inputs, 'x'), p.axis) }),
  }),
];
