/** The classic PyTorch "two-layer net" example: raw ops, random data, L2 loss, plain SGD. */
import { document, edge, node, type Template } from './build';

const NAME = '2-layer ReLU net (L2, random data)';
const DESCRIPTION = 'y = relu(x · w1) · w2 fitted to random targets with a sum-of-squares loss, written with raw ops.';

export const twoLayerNet: Template = {
  id: 'two-layer-net',
  name: NAME,
  description: DESCRIPTION,
  build: (now) =>
    document(
      NAME,
      DESCRIPTION,
      [
        node('x', 'Input', { field: 'x', shape: [1000], dtype: 'f32' }, 0, 0, 'x'),
        node('w1', 'Parameter', { shape: [1000, 100], init: { kind: 'normal', mean: 0, std: 1 }, trainable: true }, 0, 1, 'w1'),
        node('h', 'matmul', { transA: false, transB: false }, 1, 0, 'h = x · w1'),
        node('relu', 'ReLU', {}, 2, 0, 'relu'),
        node('w2', 'Parameter', { shape: [100, 10], init: { kind: 'normal', mean: 0, std: 1 }, trainable: true }, 2, 1, 'w2'),
        node('pred', 'matmul', { transA: false, transB: false }, 3, 0, 'y_pred = h · w2'),
        node('y', 'Input', { field: 'y', shape: [10], dtype: 'f32' }, 3, 1, 'y'),
        node('loss', 'SumSquaresLoss', {}, 4, 0, 'loss'),
      ],
      [
        edge('x.y', 'h.a'),
        edge('w1.y', 'h.b'),
        edge('h.y', 'relu.x'),
        edge('relu.y', 'pred.a'),
        edge('w2.y', 'pred.b'),
        edge('pred.y', 'loss.pred'),
        edge('y.y', 'loss.target'),
      ],
      {
        dataset: { kind: 'random', inputShape: [1000], targetShape: [10], size: 64 },
        optimizer: { type: 'sgd' },
        lr: 1e-6,
        batchSize: 64,
        steps: 500,
        seed: 0,
        // All 64 samples are one batch: nothing is held out (random targets have nothing to validate).
        validationSplit: 0,
      },
      now,
    ),
};
