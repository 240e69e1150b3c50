/**
 * TensorFlow.js's side of bench:scale: any ScaleWorkload's layer list as tfjs ops (fused matMul/conv2d
 * + bias + ReLU, as tfjs-layers builds them), on Wiregrad's initial weights, trained with Adam.
 * The caller makes the wanted tfjs backend current first.
 */
import type { TrainCase, Weights } from '../lib/cases';
import { ADAM, CLASSES, type FixedBatch } from '../lib/models';
import { tf } from '../lib/tfjs';
import type { ScaleWorkload } from './workloads';

/** A TrainCase that also says how much memory tfjs used. */
export interface TfjsScaleCase extends TrainCase {
  /**
   * Bytes of this case's tfjs tensors live at the peak of the first step (tf.profile's peakBytes less
   * what tfjs held before the case was made), if it could be measured.
   */
  firstStepPeakBytes?: number;
  /** The current value of Wiregrad weight `name`. */
  read(name: string): Promise<Float32Array>;
}

/** The loss of one forward pass of `w`'s layers on (x, label). */
function forward(w: ScaleWorkload, v: (name: string) => tf.Variable, x: tf.Tensor, label: tf.Tensor1D): tf.Scalar {
  let h = x;
  for (const l of w.layers) {
    if (l.kind === 'dense') {
      h = tf.fused.matMul({ a: h as tf.Tensor2D, b: v(`${l.node}/kernel`) as tf.Tensor2D, bias: v(`${l.node}/bias`), activation: l.relu ? 'relu' : 'linear' });
    } else if (l.kind === 'conv') {
      h = tf.fused.conv2d({
        x: h as tf.Tensor4D,
        filter: v(`${l.node}/kernel`) as tf.Tensor4D,
        strides: 1,
        pad: 'same',
        bias: v(`${l.node}/bias`),
        activation: 'relu',
      });
    } else if (l.kind === 'pool') {
      h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
    } else {
      h = tf.reshape(h, [w.batch, -1]);
    }
  }
  return tf.losses.softmaxCrossEntropy(tf.oneHot(label, CLASSES), h as tf.Tensor2D) as tf.Scalar;
}

/** `w` in tfjs on the current backend, from `weights`, the batch held in tensors. */
export function tfjsScaleCase(w: ScaleWorkload, batch: FixedBatch, weights: Weights): TfjsScaleCase {
  const before = tf.memory().numBytes;
  // Unnamed (tfjs names them uniquely): a cut-off case still running must not block the next one's names.
  const vars = new Map(Object.entries(weights).map(([name, t]) => [name, tf.variable(tf.tensor(t.data, [...t.shape], 'float32'), true)]));
  const v = (name: string): tf.Variable => {
    const found = vars.get(name);
    if (!found) throw new Error(`Wiregrad has no weight ${name}; it has ${[...vars.keys()].join(', ')}`);
    return found;
  };
  const x = tf.tensor(batch.x, [w.batch, ...w.input], 'float32');
  const label = tf.tensor1d(batch.label, 'int32');
  const optimizer = tf.train.adam(ADAM.lr, ADAM.beta1, ADAM.beta2, ADAM.eps);
  let last: tf.Scalar | undefined;
  let steps = 0;
  const minimize = () => {
    const loss = optimizer.minimize(() => forward(w, v, x, label), true)!;
    last?.dispose();
    last = loss;
  };
  const c: TfjsScaleCase = {
    async step() {
      if (steps++ > 0) return minimize();
      // The first step (untimed) runs under tf.profile for its peak of live tensor bytes.
      try {
        c.firstStepPeakBytes = (await tf.profile(minimize)).peakBytes - before;
      } catch (_e) {
        if (!last) minimize(); // profiling unsupported here: the step still runs, without a peak
      }
    },
    read: async (name) => (await v(name).data()) as Float32Array,
    async sync() {
      if (!last) throw new Error('sync before any step');
      return (await last.data())[0]!;
    },
    dispose() {
      last?.dispose();
      optimizer.dispose();
      x.dispose();
      label.dispose();
      for (const t of vars.values()) t.dispose();
    },
  };
  return c;
}
