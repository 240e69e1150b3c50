/** A Keras-style multilayer perceptron on MNIST: Dense layers, softmax cross-entropy, accuracy. */
import { classifierHead, document, edge, node, type Template } from './build';

const NAME = 'Keras-style MLP classifier (MNIST)';
const DESCRIPTION = 'Flattened 28×28 digits through Dense 256 (ReLU) and Dense 10, trained with Adam on softmax cross-entropy.';

const dense = (units: number, activation: string) => ({
  units,
  activation,
  useBias: true,
  kernelInit: { kind: 'glorot_uniform' },
  biasInit: { kind: 'zeros' },
});

export const mlpMnist: Template = {
  id: 'mlp-mnist',
  name: NAME,
  description: DESCRIPTION,
  build: (now) =>
    document(
      NAME,
      DESCRIPTION,
      [
        node('image', 'Input', { field: 'x', shape: [784], dtype: 'f32' }, 0, 0, 'image'),
        node('dense1', 'Dense', dense(256, 'relu'), 1, 0, 'Dense 1'),
        node('logits', 'Dense', dense(10, 'linear'), 2, 0, 'logits'),
        ...classifierHead(2, 0).nodes,
      ],
      [edge('image.y', 'dense1.x'), edge('dense1.y', 'logits.x'), ...classifierHead(2, 0).edges],
      { dataset: { kind: 'mnist' }, optimizer: { type: 'adam' }, lr: 1e-3, batchSize: 128, epochs: 5 },
      now,
    ),
};
