import { z } from 'zod';
import type { OpBuilder } from '../../ops/builder';
import { formatShape, sameShape } from '../../ops/shape';
import { ShapeError } from '../../ops/types';
import type { NodeSpec } from '../spec';
import { defineNode, one } from './common';

const lossIo = { inputs: [{ name: 'pred' }, { name: 'target' }], outputs: [{ name: 'loss' }] } as const;
const labels = z.enum(['sparse', 'onehot']).default('sparse');

function matching<T>(b: OpBuilder<T>, pred: T, target: T): void {
  if (!sameShape(b.shape(pred), b.shape(target))) {
    throw new ShapeError(`prediction ${formatShape(b.shape(pred))} and target ${formatShape(b.shape(target))} must have the same shape`);
  }
}

/** Class indices from sparse i32 labels or one-hot rows, checked against logits [batch, classes]. */
function targetProbs<T>(b: OpBuilder<T>, logits: T, target: T, mode: 'sparse' | 'onehot'): T {
  const s = b.shape(logits);
  if (s.length < 2) throw new ShapeError(`expected logits [batch, classes] but got ${formatShape(s)}`);
  if (mode === 'onehot') {
    matching(b, logits, b.cast(target, 'f32'));
    return b.cast(target, 'f32');
  }
  const t = b.shape(target);
  const expected = s.slice(0, -1);
  // Accept [batch] or [batch, 1] integer labels, as Keras' sparse losses do.
  const flat = t.length === expected.length + 1 && t[t.length - 1] === 1 ? b.reshape(target, expected) : target;
  if (!sameShape(b.shape(flat), expected)) {
    throw new ShapeError(`sparse labels should have shape ${formatShape(expected)} but got ${formatShape(t)}`);
  }
  return b.oneHot(b.cast(flat, 'i32'), s[s.length - 1]!);
}

function elementwiseLoss(type: string, label: string, description: string, f: <T>(b: OpBuilder<T>, d: T) => T, sumsOverBatch = false): NodeSpec {
  return defineNode({
    type,
    label,
    description,
    category: 'Losses',
    role: 'loss',
    ...(sumsOverBatch ? { sumsOverBatch } : {}),
    ...lossIo,
    params: z.strictObject({}),
    lower(ctx, inputs) {
      const { b } = ctx;
      const pred = one(inputs, 'pred');
      const target = b.cast(one(inputs, 'target'), 'f32');
      matching(b, pred, target);
      return { loss: f(b, b.sub(pred, target)) };
    },
  });
}

export const LOSS_NODES: readonly NodeSpec[] = [
  elementwiseLoss('MSELoss', 'Mean squared error', 'mean((pred − target)²) over every element.', (b, d) => b.mean(b.square(d))),
  elementwiseLoss(
    'SumSquaresLoss',
    'Sum of squares (L2)',
    'sum((pred − target)²): the classic L2 loss of the 2-layer example. It grows with the batch, so validation reports it per training batch.',
    (b, d) => b.sum(b.square(d)),
    true,
  ),
  elementwiseLoss('L1Loss', 'Mean absolute error (L1)', 'mean(|pred − target|) over every element.', (b, d) => b.mean(b.abs(d))),
  defineNode({
    type: 'SoftmaxCrossEntropy',
    label: 'Softmax cross-entropy',
    category: 'Losses',
    role: 'loss',
    classifier: true,
    ...lossIo,
    description: 'Cross-entropy of softmax(logits) against integer labels (sparse) or one-hot rows, averaged over the batch.',
    params: z.strictObject({ labels }),
    lower(ctx, inputs, p) {
      const { b } = ctx;
      const logits = one(inputs, 'pred');
      const probs = targetProbs(b, logits, one(inputs, 'target'), p.labels);
      const perSample = b.neg(b.sum(b.mul(probs, b.logSoftmax(logits, -1)), [-1]));
      return { loss: b.mean(perSample) };
    },
  }),
  defineNode({
    type: 'BinaryCrossEntropy',
    label: 'Binary cross-entropy',
    category: 'Losses',
    role: 'loss',
    classifier: true,
    ...lossIo,
    description: 'Cross-entropy of sigmoid(logits) against 0/1 targets, averaged: mean(softplus(x) − x·y).',
    params: z.strictObject({}),
    lower(ctx, inputs) {
      const { b } = ctx;
      const x = one(inputs, 'pred');
      const y = b.cast(one(inputs, 'target'), 'f32');
      matching(b, x, y);
      return { loss: b.mean(b.sub(b.softplus(x), b.mul(x, y))) };
    },
  }),
  defineNode({
    type: 'Accuracy',
    label: 'Accuracy',
    category: 'Metrics',
    role: 'metric',
    classifier: true,
    inputs: [{ name: 'pred' }, { name: 'target' }],
    outputs: [{ name: 'value' }],
    description: 'Fraction of samples whose predicted class matches the label (binary: logit > threshold).',
    params: z.strictObject({ labels: z.enum(['sparse', 'onehot', 'binary']).default('sparse'), threshold: z.number().default(0) }),
    lower(ctx, inputs, p) {
      const { b } = ctx;
      const pred = one(inputs, 'pred');
      const target = one(inputs, 'target');
      let hits: ReturnType<typeof b.equal>;
      if (p.labels === 'binary') {
        matching(b, pred, b.cast(target, 'f32'));
        hits = b.equal(b.greater(pred, b.scalar(p.threshold)), b.greater(b.cast(target, 'f32'), b.scalar(0.5)));
      } else {
        const probs = targetProbs(b, pred, target, p.labels);
        hits = b.equal(b.argmax(pred, -1), b.argmax(probs, -1));
      }
      return { value: b.mean(b.mask(hits)) };
    },
  }),
];
