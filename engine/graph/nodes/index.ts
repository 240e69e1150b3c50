import type { Category, NodeSpec } from '../spec';
import { ACTIVATION_NODES } from './activations';
import { ATTENTION_NODES } from './attention';
import { BLOCK_NODES } from './attentionBlock';
import { SEQUENCE_LOSS_NODES } from './attentionLoss';
import { CONV1D_NODES } from './conv1d';
import { LAYER_NODES } from './layers';
import { LOSS_NODES } from './losses';
import { OP_NODES } from './ops';
import { RECURRENT_NODES } from './recurrent';
import { SOURCE_NODES } from './sources';

/** Every node type a document may use, by type name. */
export const NODE_SPECS: Readonly<Record<string, NodeSpec>> = Object.fromEntries(
  [
    ...SOURCE_NODES,
    ...LAYER_NODES,
    ...ATTENTION_NODES,
    ...BLOCK_NODES,
    ...RECURRENT_NODES,
    ...CONV1D_NODES,
    ...ACTIVATION_NODES,
    ...OP_NODES,
    ...LOSS_NODES,
    ...SEQUENCE_LOSS_NODES,
  ].map((s) => [s.type, s]),
);

export function getNodeSpec(type: string): NodeSpec | undefined {
  return Object.prototype.hasOwnProperty.call(NODE_SPECS, type) ? NODE_SPECS[type] : undefined;
}

/** Palette order of the categories. */
export const CATEGORIES: readonly Category[] = ['Data', 'Layers', 'Sequence', 'Activations', 'Ops', 'Losses', 'Metrics'];
