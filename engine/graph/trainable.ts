/**
 * The Trainable switch of a node (fine-tuning, Keras' `layer.trainable`, PyTorch's
 * `requires_grad_(False)`): a frozen node's parameters get no gradient, no optimizer state and no
 * update. Running statistics (BatchNorm's moving mean and variance) are not parameters and keep
 * updating in training, as in PyTorch (engine/nn/DEFAULTS.md).
 */
import type { DocNode } from './document';

/** True when the node's Trainable switch is off (absent counts as on). */
export function isFrozen(node: Pick<DocNode, 'trainable'>): boolean {
  return node.trainable === false;
}

/** Parameter scalars of a document or node: trained, and frozen by a Trainable switch. */
export interface ParamCounts {
  readonly trainable: number;
  readonly frozen: number;
}

/** "101,000 parameters (1,000 frozen)": the wording of the status bar and the inspector. */
export function describeParamCounts(counts: ParamCounts, format: (n: number) => string = (n) => n.toLocaleString('en-US')): string {
  const total = counts.trainable + counts.frozen;
  const head = `${format(total)} parameter${total === 1 ? '' : 's'}`;
  if (counts.frozen === 0) return head;
  return `${head} (${counts.frozen === total ? 'all' : format(counts.frozen)} frozen)`;
}
