import { z } from 'zod';
import type { OpBuilder } from '../../ops/builder';
import type { NodeSpec } from '../spec';
import { defineNode, many, one } from './common';

const unaryIo = { inputs: [{ name: 'x' }], outputs: [{ name: 'y' }] } as const;
const binaryIo = { inputs: [{ name: 'a' }, { name: 'b' }], outputs: [{ name: 'y' }] } as const;
const axes = z.array(z.number().int()).optional();
const reduceParams = z.strictObject({ axes, keepdims: z.boolean().default(false) });

function unaryOp(type: string, description: string, f: <T>(b: OpBuilder<T>, x: T) => T): NodeSpec {
  return defineNode({
    type,
    label: type,
    description,
    category: 'Ops',
    ...unaryIo,
    params: z.strictObject({}),
    lower: (ctx, inputs) => ({ y: f(ctx.b, one(inputs, 'x')) }),
  });
}

function binaryOp(type: string, description: string, f: <T>(b: OpBuilder<T>, a: T, c: T) => T): NodeSpec {
  return defineNode({
    type,
    label: type,
    description,
    category: 'Ops',
    ...binaryIo,
    params: z.strictObject({}),
    lower: (ctx, inputs) => ({ y: f(ctx.b, one(inputs, 'a'), one(inputs, 'b')) }),
  });
}

function reduceOp(type: 'sum' | 'mean' | 'max', description: string): NodeSpec {
  return defineNode({
    type,
    label: type,
    description,
    category: 'Ops',
    ...unaryIo,
    params: reduceParams,
    lower: (ctx, inputs, p) => ({ y: ctx.b[type](one(inputs, 'x'), p.axes, p.keepdims) }),
  });
}

export const OP_NODES: readonly NodeSpec[] = [
  defineNode({
    type: 'matmul',
    label: 'matmul',
    category: 'Ops',
    ...binaryIo,
    description: 'Matrix product a · b over the last two axes (leading axes broadcast), optionally transposing either.',
    params: z.strictObject({ transA: z.boolean().default(false), transB: z.boolean().default(false) }),
    lower: (ctx, inputs, p) => ({ y: ctx.b.matmul(one(inputs, 'a'), one(inputs, 'b'), p.transA, p.transB) }),
  }),
  binaryOp('add', 'a + b, elementwise with broadcasting.', (b, x, y) => b.add(x, y)),
  binaryOp('sub', 'a − b, elementwise with broadcasting.', (b, x, y) => b.sub(x, y)),
  binaryOp('mul', 'a · b, elementwise with broadcasting.', (b, x, y) => b.mul(x, y)),
  binaryOp('div', 'a / b, elementwise with broadcasting.', (b, x, y) => b.div(x, y)),
  binaryOp('pow', 'a raised to b, elementwise.', (b, x, y) => b.pow(x, y)),
  binaryOp('minimum', 'Smaller of a and b, elementwise.', (b, x, y) => b.minimum(x, y)),
  binaryOp('maximum', 'Larger of a and b, elementwise.', (b, x, y) => b.maximum(x, y)),
  binaryOp('less', 'a < b as a boolean tensor.', (b, x, y) => b.less(x, y)),
  binaryOp('greater', 'a > b as a boolean tensor.', (b, x, y) => b.greater(x, y)),
  binaryOp('equal', 'a == b as a boolean tensor.', (b, x, y) => b.equal(x, y)),
  unaryOp('neg', '−x.', (b, x) => b.neg(x)),
  unaryOp('exp', 'e to the x.', (b, x) => b.exp(x)),
  unaryOp('log', 'Natural logarithm.', (b, x) => b.log(x)),
  unaryOp('sqrt', 'Square root.', (b, x) => b.sqrt(x)),
  unaryOp('abs', 'Absolute value.', (b, x) => b.abs(x)),
  unaryOp('square', 'x · x.', (b, x) => b.square(x)),
  unaryOp('stop_gradient', 'Pass x through but let no gradient flow back.', (b, x) => b.stopGradient(x)),
  reduceOp('sum', 'Sum over axes (all axes when none are given).'),
  reduceOp('mean', 'Mean over axes (all axes when none are given).'),
  reduceOp('max', 'Maximum over axes (all axes when none are given).'),
  defineNode({
    type: 'argmax',
    label: 'argmax',
    category: 'Ops',
    ...unaryIo,
    description: 'Index of the largest value along an axis.',
    params: z.strictObject({ axis: z.number().int().default(-1) }),
    lower: (ctx, inputs, p) => ({ y: ctx.b.argmax(one(inputs, 'x'), p.axis) }),
  }),
  defineNode({
    type: 'reshape',
    label: 'reshape',
    category: 'Ops',
    ...unaryIo,
    description: 'Same elements in a new shape (whole shape, batch included; one dimension may be −1).',
    params: z.strictObject({ shape: z.array(z.number().int().min(-1)).default([-1]) }),
    lower: (ctx, inputs, p) => ({ y: ctx.b.reshape(one(inputs, 'x'), p.shape) }),
  }),
  defineNode({
    type: 'transpose',
    label: 'transpose',
    category: 'Ops',
    ...unaryIo,
    description: 'Permute axes (reverse them when perm is empty).',
    params: z.strictObject({ perm: z.array(z.number().int().min(0)).optional() }),
    lower: (ctx, inputs, p) => ({ y: ctx.b.transpose(one(inputs, 'x'), p.perm) }),
  }),
  defineNode({
    type: 'concat',
    label: 'concat',
    category: 'Ops',
    inputs: [{ name: 'inputs', multiple: true }],
    outputs: [{ name: 'y' }],
    description: 'Join inputs along an axis.',
    params: z.strictObject({ axis: z.number().int().default(-1) }),
    lower: (ctx, inputs, p) => ({ y: ctx.b.concat(many(inputs, 'inputs'), p.axis) }),
  }),
  defineNode({
    type: 'slice',
    label: 'slice',
    category: 'Ops',
    ...unaryIo,
    description: 'x[begin : begin + size] per axis (size −1 = to the end).',
    params: z.strictObject({ begin: z.array(z.number().int().min(0)).default([0]), size: z.array(z.number().int().min(-1)).default([-1]) }),
    lower: (ctx, inputs, p) => ({ y: ctx.b.slice(one(inputs, 'x'), p.begin, p.size) }),
  }),
  defineNode({
    type: 'gather',
    label: 'gather',
    category: 'Ops',
    inputs: [{ name: 'x' }, { name: 'indices' }],
    outputs: [{ name: 'y' }],
    description: 'Take entries of x along an axis at integer indices.',
    params: z.strictObject({ axis: z.number().int().default(0) }),
    lower: (ctx, inputs, p) => ({ y: ctx.b.gather(one(inputs, 'x'), one(inputs, 'indices'), p.axis) }),
  }),
  defineNode({
    type: 'one_hot',
    label: 'one_hot',
    category: 'Ops',
    ...unaryIo,
    description: 'Integer labels to one-hot vectors of length depth.',
    params: z.strictObject({ depth: z.number().int().min(1).default(10) }),
    lower: (ctx, inputs, p) => ({ y: ctx.b.oneHot(one(inputs, 'x'), p.depth) }),
  }),
  defineNode({
    type: 'where',
    label: 'where',
    category: 'Ops',
    inputs: [{ name: 'condition' }, { name: 'a' }, { name: 'b' }],
    outputs: [{ name: 'y' }],
    description: 'condition ? a : b, elementwise with broadcasting.',
    params: z.strictObject({}),
    lower: (ctx, inputs) => ({ y: ctx.b.where(one(inputs, 'condition'), one(inputs, 'a'), one(inputs, 'b')) }),
  }),
  defineNode({
    type: 'cast',
    label: 'cast',
    category: 'Ops',
    ...unaryIo,
    description: 'Convert to another element type.',
    params: z.strictObject({ dtype: z.enum(['f32', 'i32', 'bool']).default('f32') }),
    lower: (ctx, inputs, p) => ({ y: ctx.b.cast(one(inputs, 'x'), p.dtype) }),
  }),
];
