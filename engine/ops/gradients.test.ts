/**
 * Every op's gradient rule against central finite differences in float64. The case table is a
 * mapped type over the op set, so a new op does not compile until it has a case here.
 */
import { describe, expect, it } from 'vitest';
import type { ValueId } from '../compile/graph';
import { gradcheck, type GradcheckInput } from '../testing/gradcheck';
import type { OpBuilder } from './builder';
import type { Op } from './types';

interface Case {
  readonly inputs: readonly GradcheckInput[];
  readonly build: (b: OpBuilder<ValueId>, x: ValueId[]) => ValueId;
}

/** Values bounded away from zero (for log, sqrt, div, pow bases). */
const positive = (n: number, lo = 0.5) => Array.from({ length: n }, (_v, i) => lo + ((i * 0.37) % 1.5));

type Entry = Case | readonly Case[] | 'no gradient' | 'no inputs' | 'second order';

const CASES: { readonly [O in Op]: Entry } = {
  add: { inputs: [{ shape: [3, 1] }, { shape: [1, 4] }], build: (b, [x, y]) => b.add(x!, y!) },
  sub: { inputs: [{ shape: [2, 3] }, { shape: [3] }], build: (b, [x, y]) => b.sub(x!, y!) },
  mul: [
    { inputs: [{ shape: [2, 3] }, { shape: [2, 3] }], build: (b, [x, y]) => b.mul(x!, y!) },
    // Fan-out: both operands are the same value, so the two gradients must add.
    { inputs: [{ shape: [4] }], build: (b, [x]) => b.mul(x!, x!) },
  ],
  div: { inputs: [{ shape: [2, 3] }, { shape: [3], values: positive(3) }], build: (b, [x, y]) => b.div(x!, y!) },
  pow: { inputs: [{ shape: [2, 3], values: positive(6) }, { shape: [3] }], build: (b, [x, y]) => b.pow(x!, y!) },
  minimum: { inputs: [{ shape: [2, 3] }, { shape: [3] }], build: (b, [x, y]) => b.minimum(x!, y!) },
  maximum: { inputs: [{ shape: [2, 3] }, { shape: [1, 3] }], build: (b, [x, y]) => b.maximum(x!, y!) },
  less: 'no gradient',
  less_equal: 'no gradient',
  greater: 'no gradient',
  greater_equal: 'no gradient',
  equal: 'no gradient',
  not_equal: 'no gradient',
  sign: 'no gradient',
  argmax: 'no gradient',
  one_hot: 'no gradient',
  random_uniform: 'no gradient',
  neg: { inputs: [{ shape: [5] }], build: (b, [x]) => b.neg(x!) },
  exp: { inputs: [{ shape: [2, 3] }], build: (b, [x]) => b.exp(x!) },
  log: { inputs: [{ shape: [6], values: positive(6) }], build: (b, [x]) => b.log(x!) },
  sqrt: { inputs: [{ shape: [6], values: positive(6) }], build: (b, [x]) => b.sqrt(x!) },
  abs: { inputs: [{ shape: [7] }], build: (b, [x]) => b.abs(x!) },
  relu: { inputs: [{ shape: [9] }], build: (b, [x]) => b.relu(x!) },
  leaky_relu: { inputs: [{ shape: [9] }], build: (b, [x]) => b.leakyRelu(x!, 0.1) },
  elu: { inputs: [{ shape: [9] }], build: (b, [x]) => b.elu(x!, 0.7) },
  gelu: { inputs: [{ shape: [9] }], build: (b, [x]) => b.gelu(x!) },
  sigmoid: { inputs: [{ shape: [9] }], build: (b, [x]) => b.sigmoid(x!) },
  tanh: { inputs: [{ shape: [9] }], build: (b, [x]) => b.tanh(x!) },
  softplus: { inputs: [{ shape: [9] }], build: (b, [x]) => b.softplus(x!) },
  cast: { inputs: [{ shape: [4] }], build: (b, [x]) => b.emit('cast', [x!], { dtype: 'f32' }) },
  where: {
    inputs: [{ shape: [2, 3] }, { shape: [3] }, { shape: [2, 1] }],
    build: (b, [c, x, y]) => b.where(b.greater(c!, b.scalar(0)), x!, y!),
  },
  stop_gradient: 'no gradient', // tested below: finite differences cannot see it
  full: 'no inputs',
  constant: 'no inputs',
  softmax: [
    { inputs: [{ shape: [3, 4] }], build: (b, [x]) => b.softmax(x!, -1) },
    { inputs: [{ shape: [3, 4] }], build: (b, [x]) => b.softmax(x!, 0) },
  ],
  log_softmax: [
    { inputs: [{ shape: [3, 4] }], build: (b, [x]) => b.logSoftmax(x!, 1) },
    { inputs: [{ shape: [2, 3, 2] }], build: (b, [x]) => b.logSoftmax(x!, 1) },
  ],
  matmul: [
    { inputs: [{ shape: [3, 4] }, { shape: [4, 5] }], build: (b, [x, y]) => b.matmul(x!, y!) },
    { inputs: [{ shape: [4, 3] }, { shape: [4, 5] }], build: (b, [x, y]) => b.matmul(x!, y!, true, false) },
    { inputs: [{ shape: [3, 4] }, { shape: [5, 4] }], build: (b, [x, y]) => b.matmul(x!, y!, false, true) },
    { inputs: [{ shape: [4, 3] }, { shape: [5, 4] }], build: (b, [x, y]) => b.matmul(x!, y!, true, true) },
    // Batched, with the right operand's batch broadcast (a shared weight).
    { inputs: [{ shape: [2, 3, 4] }, { shape: [4, 5] }], build: (b, [x, y]) => b.matmul(x!, y!) },
    { inputs: [{ shape: [3, 4] }, { shape: [2, 1, 4, 2] }], build: (b, [x, y]) => b.matmul(x!, y!) },
  ],
  sum: [
    { inputs: [{ shape: [2, 3, 4] }], build: (b, [x]) => b.sum(x!, [0, 2]) },
    { inputs: [{ shape: [2, 3] }], build: (b, [x]) => b.sum(x!, [-1], true) },
  ],
  mean: { inputs: [{ shape: [2, 3, 4] }], build: (b, [x]) => b.mean(x!, [1]) },
  max: [
    { inputs: [{ shape: [3, 4] }], build: (b, [x]) => b.max(x!, [1]) },
    { inputs: [{ shape: [2, 3, 4] }], build: (b, [x]) => b.max(x!, [0, 2], true) },
  ],
  reshape: { inputs: [{ shape: [2, 6] }], build: (b, [x]) => b.reshape(x!, [3, -1]) },
  transpose: { inputs: [{ shape: [2, 3, 4] }], build: (b, [x]) => b.transpose(x!, [2, 0, 1]) },
  broadcast_to: { inputs: [{ shape: [3, 1] }], build: (b, [x]) => b.broadcastTo(x!, [2, 3, 4]) },
  concat: { inputs: [{ shape: [2, 1] }, { shape: [2, 3] }, { shape: [2, 2] }], build: (b, xs) => b.concat(xs, 1) },
  slice: { inputs: [{ shape: [4, 5] }], build: (b, [x]) => b.slice(x!, [1, 2], [2, -1]) },
  pad: {
    inputs: [{ shape: [2, 3] }],
    build: (b, [x]) =>
      b.pad(x!, [
        [1, 0],
        [2, 1],
      ]),
  },
  gather: [
    // Repeated indices: the gradient must add up on the shared rows.
    { inputs: [{ shape: [5, 3] }], build: (b, [x]) => b.gather(x!, b.constant([2, 2], [4, 0, 4, 1], 'i32'), 0) },
    { inputs: [{ shape: [2, 4] }], build: (b, [x]) => b.gather(x!, b.constant([3], [3, 3, 1], 'i32'), 1) },
  ],
  scatter_add: { inputs: [{ shape: [3, 2] }], build: (b, [u]) => b.scatterAdd(u!, b.constant([3], [1, 0, 1], 'i32'), 0, [4, 2]) },
  conv2d: [
    {
      inputs: [{ shape: [2, 5, 5, 4] }, { shape: [3, 3, 2, 4] }],
      build: (b, [x, w]) => b.conv2d(x!, w!, { stride: [1, 1], padding: [1, 1, 1, 1], dilation: [1, 1], groups: 2 }),
    },
    {
      inputs: [{ shape: [1, 7, 6, 2] }, { shape: [3, 2, 2, 3] }],
      build: (b, [x, w]) => b.conv2d(x!, w!, { stride: [2, 1], padding: [1, 0, 0, 1], dilation: [2, 1], groups: 1 }),
    },
  ],
  max_pool2d: [
    { inputs: [{ shape: [2, 4, 4, 3] }], build: (b, [x]) => b.maxPool2d(x!, { size: [2, 2], stride: [2, 2], padding: [0, 0, 0, 0] }) },
    { inputs: [{ shape: [1, 5, 5, 2] }], build: (b, [x]) => b.maxPool2d(x!, { size: [3, 3], stride: [2, 2], padding: [1, 1, 1, 1] }) },
  ],
  avg_pool2d: { inputs: [{ shape: [1, 5, 4, 2] }], build: (b, [x]) => b.avgPool2d(x!, { size: [3, 2], stride: [2, 1], padding: [1, 1, 0, 1] }) },
  conv2d_grad_input: 'second order',
  conv2d_grad_filter: 'second order',
  max_pool2d_grad: 'second order',
  avg_pool2d_grad: 'second order',
};

describe('gradients match central finite differences in float64', () => {
  for (const [op, entry] of Object.entries(CASES)) {
    if (typeof entry === 'string') continue;
    const cases = Array.isArray(entry) ? entry : [entry as Case];
    cases.forEach((c, i) => {
      it(`${op} #${i + 1}`, async () => {
        const { maxError, analytic } = await gradcheck(c.inputs, c.build);
        expect(maxError).toBeLessThan(1e-6);
        // The check must not pass vacuously: some gradient is non-zero.
        expect(analytic.some((a) => a.some((v) => Math.abs(v) > 1e-3))).toBe(true);
      });
    });
  }
});

describe('ops without a gradient', () => {
  it('pass none back', async () => {
    const { analytic } = await gradcheck([{ shape: [3, 4] }], (b, [x]) =>
      b.add(b.mask(b.greater(x!, b.scalar(0))), b.reshape(b.cast(b.argmax(x!, 1), 'f32'), [3, 1])),
    );
    expect(analytic[0]!.every((v) => v === 0)).toBe(true);
  });

  it('stop_gradient: x · stop_gradient(x) has gradient x·r, not 2x·r', async () => {
    const values = [0.5, -1.5, 2, 3];
    const plain = await gradcheck([{ shape: [4], values }], (b, [x]) => b.mul(x!, b.scalar(1)));
    const stopped = await gradcheck([{ shape: [4], values }], (b, [x]) => b.mul(x!, b.stopGradient(x!)));
    // plain gives r (the random weights); stopped must give x·r.
    stopped.analytic[0]!.forEach((g, i) => expect(g).toBeCloseTo(values[i]! * plain.analytic[0]![i]!, 12));
  });

  it('second-order gradients through conv2d are refused with a clear error', async () => {
    const { OP_DEFS } = await import('./defs');
    expect(() => OP_DEFS.conv2d_grad_input.grad!(null as never, [], 0, 0, null as never)).toThrow(/second-order/);
  });
});
