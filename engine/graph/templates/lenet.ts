/** A LeNet-5-style convolutional network on MNIST images (NHWC). */
import { classifierHead, document, edge, node, type Template } from './build';

const NAME = 'LeNet-style CNN';
const DESCRIPTION = 'Two convolution + max-pool stages, then Dense 120, 84 and 10: the shape of LeCun et al. (1998) on MNIST.';

const layer = { useBias: true, kernelInit: { kind: 'glorot_uniform' }, biasInit: { kind: 'zeros' } };
const conv = (filters: number, padding: 'same' | 'valid') => ({
  filters,
  kernelSize: [5, 5],
  strides: [1, 1],
  padding,
  dilation: [1, 1],
  groups: 1,
  activation: 'relu',
  ...layer,
});
const pool = { poolSize: [2, 2], padding: 'valid' };
const dense = (units: number, activation: string) => ({ units, activation, ...layer });

export const lenet: Template = {
  id: 'lenet',
  name: NAME,
  description: DESCRIPTION,
  build: (now) =>
    document(
      NAME,
      DESCRIPTION,
      [
        // Feature extractor on the first row, classifier on the second.
        node('image', 'Input', { field: 'x', shape: [28, 28, 1], dtype: 'f32' }, 0, 0, 'image'),
        node('conv1', 'Conv2D', conv(6, 'same'), 1, 0, 'Conv 1'),
        node('pool1', 'MaxPool2D', pool, 2, 0, 'Pool 1'),
        node('conv2', 'Conv2D', conv(16, 'valid'), 3, 0, 'Conv 2'),
        node('pool2', 'MaxPool2D', pool, 4, 0, 'Pool 2'),
        node('flatten', 'Flatten', {}, 5, 0, 'Flatten'),
        node('fc1', 'Dense', dense(120, 'relu'), 1, 1.3, 'Dense 120'),
        node('fc2', 'Dense', dense(84, 'relu'), 2, 1.3, 'Dense 84'),
        node('logits', 'Dense', dense(10, 'linear'), 3, 1.3, 'logits'),
        ...classifierHead(3, 1.3).nodes,
      ],
      [
        edge('image.y', 'conv1.x'),
        edge('conv1.y', 'pool1.x'),
        edge('pool1.y', 'conv2.x'),
        edge('conv2.y', 'pool2.x'),
        edge('pool2.y', 'flatten.x'),
        edge('flatten.y', 'fc1.x'),
        edge('fc1.y', 'fc2.x'),
        edge('fc2.y', 'logits.x'),
        ...classifierHead(3, 1.3).edges,
      ],
      { dataset: { kind: 'mnist' }, optimizer: { type: 'adam' }, lr: 1e-3, batchSize: 64, epochs: 3 },
      now,
    ),
};
