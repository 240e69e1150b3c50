/**
 * Losses and metrics over every position of a sequence: logits [batch, time, vocab] against sparse
 * i32 labels [batch, time]. Positions labelled `ignoreIndex` (PyTorch's CrossEntropyLoss
 * ignore_index, default −100) carry no target: they are left out of the loss and of the accuracy,
 * and the loss is the mean over the counted positions, as PyTorch's.
 */
import { z } from 'zod';
import type { OpBuilder } from '../../ops/builder';
import { formatShape, sameShape } from '../../ops/shape';
import { ShapeError } from '../../ops/types';
import type { NodeSpec } from '../spec';
import { defineNode, one } from './common';

const ignoreIndex = z.number().int().default(-100);

/** The labels as i32 [batch, time] checked against logits [batch, time, vocab], and the 0/1 f32 mask of counted positions. */
function sequenceTargets<T>(b: OpBuilder<T>, logits: T, target: T, ignore: number): { labels: T; counted: T; vocab: number } {
  const s = b.shape(logits);
  if (s.length !== 3) throw new ShapeError(`expected logits [batch, time, vocab] but got ${formatShape(s)}`);
  const t = b.shape(target);
  if (!sameShape(t, s.slice(0, 2))) throw new ShapeError(`sparse labels should have shape ${formatShape(s.slice(0, 2))} but got ${formatShape(t)}`);
  const labels = b.cast(target, 'i32');
  return { labels, counted: b.mask(b.notEqual(labels, b.scalar(ignore, 'i32'))), vocab: s[2]! };
}

/** sum(x) / max(sum(counted), 1): a mean over the counted positions (0 when none is counted). */
function meanOver<T>(b: OpBuilder<T>, x: T, counted: T): T {
  return b.div(b.sum(x), b.maximum(b.sum(counted), b.scalar(1)));
}

export const SEQUENCE_LOSS_NODES: readonly NodeSpec[] = [
  defineNode({
    type: 'SequenceCrossEntropy',
    label: 'Sequence cross-entropy',
    category: 'Losses',
    role: 'loss',
    classifier: true,
    inputs: [{ name: 'pred' }, { name: 'target' }],
    outputs: [{ name: 'loss' }, { name: 'perPosition' }],
    description:
      "Softmax cross-entropy at every position of logits [batch, time, vocab] against integer labels [batch, time], averaged over the positions whose label is not ignoreIndex (PyTorch's CrossEntropyLoss). perPosition gives each position's loss (0 where ignored).",
    params: z.strictObject({ labels: z.literal('sparse').default('sparse'), ignoreIndex }),
    lower(ctx, inputs, p) {
      const { b } = ctx;
      const logits = one(inputs, 'pred');
      const { labels, counted, vocab } = sequenceTargets(b, logits, one(inputs, 'target'), p.ignoreIndex);
      // one_hot of an ignored (or any out-of-range) label is a row of zeros, so its term is 0.
      const perPosition = b.mul(b.neg(b.sum(b.mul(b.oneHot(labels, vocab), b.logSoftmax(logits, -1)), [-1])), counted);
      return { loss: meanOver(b, perPosition, counted), perPosition };
    },
  }),
  defineNode({
    type: 'SequenceAccuracy',
    label: 'Sequence accuracy',
    category: 'Metrics',
    role: 'metric',
    classifier: true,
    inputs: [{ name: 'pred' }, { name: 'target' }],
    outputs: [{ name: 'value' }],
    description:
      'Token: the fraction of counted positions whose most likely token is the label. Sequence: the fraction of sequences right at every counted position (exact match). Positions labelled ignoreIndex are not counted.',
    params: z.strictObject({ labels: z.literal('sparse').default('sparse'), mode: z.enum(['token', 'sequence']).default('token'), ignoreIndex }),
    lower(ctx, inputs, p) {
      const { b } = ctx;
      const logits = one(inputs, 'pred');
      const { labels, counted } = sequenceTargets(b, logits, one(inputs, 'target'), p.ignoreIndex);
      const hits = b.mul(b.mask(b.equal(b.argmax(logits, -1), labels)), counted);
      if (p.mode === 'token') return { value: meanOver(b, hits, counted) };
      const misses = b.sum(b.sub(counted, hits), [1]);
      return { value: b.mean(b.mask(b.equal(misses, b.scalar(0)))) };
    },
  }),
];
