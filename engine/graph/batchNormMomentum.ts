/**
 * Document version 1 → 2: BatchNorm's `momentum` changed meaning. Version 1 followed Keras (the old
 * running value's weight, default 0.99, epsilon default 1e-3); version 2 follows PyTorch (the new
 * batch's weight, default 0.1, epsilon default 1e-5; engine/nn/DEFAULTS.md). The upgrade keeps what a
 * saved graph trains to: momentum m becomes 1 − m, and a setting left at its old default is written out.
 */
import type { Migration } from './migrations';

type Json = Record<string, unknown>;
const isRecord = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/** 1 − m without float noise (1 − 0.99 is 0.010000000000000009). */
const complement = (m: number) => Number((1 - m).toPrecision(12));

function upgradeNode(node: unknown): unknown {
  if (!isRecord(node) || node.type !== 'BatchNorm') return node;
  const params = isRecord(node.params) ? node.params : {};
  const momentum = params.momentum === undefined ? 0.99 : params.momentum;
  return {
    ...node,
    params: {
      ...params,
      // A value that is not a number is left for validation to name.
      momentum: typeof momentum === 'number' ? complement(momentum) : momentum,
      epsilon: params.epsilon === undefined ? 1e-3 : params.epsilon,
    },
  };
}

export const batchNormMomentumAsPyTorch: Migration = {
  name: 'batchnorm-momentum-as-pytorch',
  from: 1,
  to: 2,
  up(doc) {
    if (!isRecord(doc) || !Array.isArray(doc.nodes)) return doc;
    return { ...doc, nodes: doc.nodes.map(upgradeNode) };
  },
};
