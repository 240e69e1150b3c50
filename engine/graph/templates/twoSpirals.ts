/** The TensorFlow Playground's hardest toy problem: two interleaved spirals, a small tanh MLP. */
import { classifierHead, document, edge, node, type Template } from './build';

const NAME = 'Two spirals classifier';
const DESCRIPTION = 'Points (x, y) from two interleaved spirals, classified by two tanh layers of 16 units.';

const dense = (units: number, activation: string) => ({
  units,
  activation,
  useBias: true,
  kernelInit: { kind: 'glorot_uniform' },
  biasInit: { kind: 'zeros' },
});

export const twoSpirals: Template = {
  id: 'two-spirals',
  name: NAME,
  description: DESCRIPTION,
  build: (now) =>
    document(
      NAME,
      DESCRIPTION,
      [
        node('point', 'Input', { field: 'x', shape: [2], dtype: 'f32' }, 0, 0, 'point'),
        node('hidden1', 'Dense', dense(16, 'tanh'), 1, 0, 'Hidden 1'),
        node('hidden2', 'Dense', dense(16, 'tanh'), 2, 0, 'Hidden 2'),
        node('logits', 'Dense', dense(2, 'linear'), 3, 0, 'logits'),
        ...classifierHead(3, 0).nodes,
      ],
      [edge('point.y', 'hidden1.x'), edge('hidden1.y', 'hidden2.x'), edge('hidden2.y', 'logits.x'), ...classifierHead(3, 0).edges],
      {
        dataset: { kind: 'spirals', size: 512, noise: 0.1 },
        optimizer: { type: 'adam' },
        lr: 0.01,
        batchSize: 32,
        epochs: 200,
      },
      now,
    ),
};
