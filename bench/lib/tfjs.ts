/**
 * TensorFlow.js's side of the benchmarks: the same MLP and CNN written with tfjs ops (the fused
 * matMul/conv2d + bias + ReLU that tfjs-layers uses), on Wiregrad's initial weights, and one matmul.
 * The caller makes the wanted tfjs backend current first (tf.setBackend).
 */
import * as tf from '@tensorflow/tfjs';
import type { MatmulCase, TrainCase, Weights } from './cases';
import { ADAM, CLASSES, type FixedBatch, type MatmulShape, type Workload } from './models';
import { gptForward } from './transformer';

export { tf };

/** Every tensor the model builds from `weights`, as tfjs variables named like Wiregrad's. */
function variables(weights: Weights): (name: string) => tf.Variable {
  const vars = new Map(Object.entries(weights).map(([name, w]) => [name, tf.variable(tf.tensor(w.data, [...w.shape], 'float32'), true, name)]));
  return (name) => {
    const v = vars.get(name);
    if (!v) throw new Error(`Wiregrad has no weight ${name}; it has ${[...vars.keys()].join(', ')}`);
    return v;
  };
}

type Act = 'relu' | 'linear';
const dense = (v: (n: string) => tf.Variable, node: string, x: tf.Tensor2D, activation: Act): tf.Tensor2D =>
  tf.fused.matMul({ a: x, b: v(`${node}/kernel`) as tf.Tensor2D, bias: v(`${node}/bias`), activation }) as tf.Tensor2D;
const conv = (v: (n: string) => tf.Variable, node: string, x: tf.Tensor4D, pad: 'same' | 'valid') =>
  tf.fused.conv2d({ x, filter: v(`${node}/kernel`) as tf.Tensor4D, strides: 1, pad, bias: v(`${node}/bias`), activation: 'relu' });

/** The loss of one forward pass of `w` on (x, label). */
function forward(w: Workload, v: (n: string) => tf.Variable, x: tf.Tensor, label: tf.Tensor1D): tf.Scalar {
  if (w.name === 'gpt') return gptForward(v, x, label);
  let logits: tf.Tensor2D;
  if (w.name === 'mlp') {
    logits = dense(v, 'd2', dense(v, 'd1', x as tf.Tensor2D, 'relu'), 'linear');
  } else {
    let h = tf.maxPool(conv(v, 'conv1', x as tf.Tensor4D, 'same'), 2, 2, 'valid');
    h = tf.maxPool(conv(v, 'conv2', h, 'valid'), 2, 2, 'valid');
    const flat = tf.reshape(h, [w.batch, -1]) as tf.Tensor2D;
    logits = dense(v, 'logits', dense(v, 'fc2', dense(v, 'fc1', flat, 'relu'), 'relu'), 'linear');
  }
  // Sparse labels become one-hot inside the step, as Wiregrad's SoftmaxCrossEntropy does.
  return tf.losses.softmaxCrossEntropy(tf.oneHot(label, CLASSES), logits) as tf.Scalar;
}

/** `w` in tfjs on the current backend: Adam with Wiregrad's hyperparameters, the batch held in tensors. */
export function tfjsCase(w: Workload, batch: FixedBatch, weights: Weights): TrainCase {
  const v = variables(weights);
  const x = tf.tensor(batch.x, [w.batch, ...w.input], batch.x instanceof Int32Array ? 'int32' : 'float32');
  const label = tf.tensor1d(batch.label, 'int32');
  const optimizer = tf.train.adam(ADAM.lr, ADAM.beta1, ADAM.beta2, ADAM.eps);
  let last: tf.Scalar | undefined;
  return {
    step() {
      const loss = optimizer.minimize(() => forward(w, v, x, label), true)!;
      last?.dispose();
      last = loss;
    },
    async sync() {
      if (!last) throw new Error('sync before any step');
      return (await last.data())[0]!;
    },
    dispose() {
      last?.dispose();
      optimizer.dispose();
      x.dispose();
      label.dispose();
      for (const name of Object.keys(weights)) v(name).dispose();
    },
  };
}

/** C = op(A)·op(B) with tf.matMul on the current backend; A and B uploaded once. */
export function tfjsMatmul(s: MatmulShape, a: Float32Array, b: Float32Array): MatmulCase {
  const ta = tf.tensor2d(a, s.transA ? [s.k, s.m] : [s.m, s.k]);
  const tb = tf.tensor2d(b, s.transB ? [s.n, s.k] : [s.k, s.n]);
  let last: tf.Tensor2D | undefined;
  return {
    run() {
      const c = tf.matMul(ta, tb, s.transA, s.transB) as tf.Tensor2D;
      last?.dispose();
      last = c;
    },
    async sync() {
      // One element depends on the whole multiplication's dispatch: reading it waits for the work without downloading C.
      if (!last) return;
      const corner = tf.slice(last, [0, 0], [1, 1]);
      await corner.data();
      corner.dispose();
    },
    async result() {
      if (!last) throw new Error('result before any run');
      return last.data();
    },
    dispose() {
      last?.dispose();
      ta.dispose();
      tb.dispose();
    },
  };
}
