/**
 * One training step of an MLP 784-256-10 (Dense 256 ReLU → Dense 10, softmax cross-entropy on
 * sparse labels, batch 128, Adam lr 1e-3): Wiregrad's CPU backend against TensorFlow.js's pure-JS
 * CPU backend, in one process, on identical initial weights and an identical batch.
 *
 *   npm run bench:cpu -- [--steps 20] [--warmup 3] [--rounds 3] [--seed 1]
 *
 * Prints ms/step for both, then a last line `BENCH {"mlp":{...}}` for scripts to parse.
 */
import { parseArgs } from 'node:util';
import process from 'node:process';
import * as tf from '@tensorflow/tfjs';
import { CpuBackend } from '../engine/backends/cpu/backend';
import { Program } from '../engine/compile/program';
import { Rng } from '../engine/ops/random';
import { makeDoc } from '../engine/testing/docs';
import { machineLine, median, table, timeRounds } from './lib/timing';

const { values: args } = parseArgs({
  options: {
    steps: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    seed: { type: 'string', default: '1' },
  },
});
const STEPS = Number(args.steps);
const WARMUP = Number(args.warmup);
const ROUNDS = Number(args.rounds);
const SEED = Number(args.seed);
for (const [k, v] of Object.entries({ steps: STEPS, warmup: WARMUP, rounds: ROUNDS, seed: SEED })) {
  if (!Number.isInteger(v) || v < (k === 'warmup' || k === 'seed' ? 0 : 1)) throw new Error(`--${k} must be a non-negative integer (steps, rounds ≥ 1)`);
}

const BATCH = 128;
const IN = 784;
const HIDDEN = 256;
const CLASSES = 10;
// Spelled out for both sides (tfjs's adam epsilon otherwise defaults to its backend's epsilon()).
const ADAM = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-7 };
/** Relative disagreement of the first-step losses that fails the run. */
const LOSS_TOLERANCE = 1e-3;

console.log(machineLine());
console.log(
  `tfjs ${tf.version.tfjs} · MLP ${IN}-${HIDDEN}-${CLASSES}, batch ${BATCH}, Adam lr ${ADAM.lr} · warm-up ${WARMUP}, ${ROUNDS} rounds × ${STEPS} steps\n`,
);

// ---- One random batch, MNIST-like: pixels in [0, 1), labels in [0, 10). ----
const rng = new Rng(SEED);
const x = Float32Array.from({ length: BATCH * IN }, () => rng.next());
const label = Int32Array.from({ length: BATCH }, () => rng.int(CLASSES));

// ---- Wiregrad ----
const doc = makeDoc(
  [
    ['x', 'Input', { field: 'x', shape: [IN], dtype: 'f32' }],
    ['d1', 'Dense', { units: HIDDEN, activation: 'relu' }],
    ['d2', 'Dense', { units: CLASSES }],
    ['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
    ['loss', 'SoftmaxCrossEntropy', { labels: 'sparse' }],
  ],
  ['x.y -> d1.x', 'd1.y -> d2.x', 'd2.y -> loss.pred', 'label.y -> loss.target'],
  {
    dataset: { kind: 'random', inputShape: [IN], targetShape: [CLASSES], size: BATCH, seed: SEED },
    optimizer: { type: 'adam', beta1: ADAM.beta1, beta2: ADAM.beta2, eps: ADAM.eps },
    lr: ADAM.lr,
    batchSize: BATCH,
    seed: SEED,
  },
);
const program = await Program.create(doc, new CpuBackend());
const w = await program.getWeights(); // read before any step: these are the initial weights
const batch = { x, label };
const wiregradStep = () => program.step(batch);

// ---- TensorFlow.js, pure-JS CPU backend, same weights ----
tf.enableProdMode(); // only silences tfjs's console advice about tfjs-node
await tf.setBackend('cpu');
await tf.ready();
const tfVar = (name: string, shape: number[]) => {
  if (!w[name]) throw new Error(`Wiregrad has no weight ${name}; it has ${Object.keys(w).join(', ')}`);
  return tf.variable(tf.tensor(w[name], shape, 'float32'), true, name);
};
const k1 = tfVar('d1/kernel', [IN, HIDDEN]);
const b1 = tfVar('d1/bias', [HIDDEN]);
const k2 = tfVar('d2/kernel', [HIDDEN, CLASSES]);
const b2 = tfVar('d2/bias', [CLASSES]);
const tx = tf.tensor2d(x, [BATCH, IN]);
const tlabel = tf.tensor1d(label, 'int32');
const optimizer = tf.train.adam(ADAM.lr, ADAM.beta1, ADAM.beta2, ADAM.eps);
const tfjsStep = async () => {
  const loss = optimizer.minimize(() => {
    const hidden = tf.relu(tf.add(tf.matMul(tx, k1), b1));
    const logits = tf.add(tf.matMul(hidden, k2), b2);
    return tf.losses.softmaxCrossEntropy(tf.oneHot(tlabel, CLASSES), logits); // sparse labels → one-hot in the step, as Wiregrad does
  }, true)!;
  const value = (await loss.data())[0]!;
  loss.dispose();
  return value;
};

// ---- Correctness: same weights and batch, so the first two losses must agree. ----
const relDiff = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-12);
const losses = [];
for (let i = 0; i < 2; i++) losses.push({ wiregrad: await wiregradStep(), tfjs: await tfjsStep() });
console.log(
  table([
    ['loss', 'Wiregrad', 'tfjs-cpu', 'rel. diff'],
    ...losses.map((l, i) => [`step ${i + 1}`, l.wiregrad.toFixed(7), l.tfjs.toFixed(7), relDiff(l.wiregrad, l.tfjs).toExponential(2)]),
  ]),
);
const first = relDiff(losses[0]!.wiregrad, losses[0]!.tfjs);
if (!(first <= LOSS_TOLERANCE)) {
  console.error(`\nFAIL: first-step losses disagree by ${first.toExponential(2)} relative (> ${LOSS_TOLERANCE}): the two models are not the same`);
  process.exit(1);
}
const tensorsBefore = tf.memory().numTensors;

// ---- Timing ----
const ms = await timeRounds({ wiregrad: wiregradStep, tfjs: tfjsStep }, { warmup: WARMUP, steps: STEPS, rounds: ROUNDS });
if (tf.memory().numTensors !== tensorsBefore) console.warn(`warning: tfjs leaked ${tf.memory().numTensors - tensorsBefore} tensors during timing`);
const wiregradMs = median(ms.wiregrad);
const tfjsMs = median(ms.tfjs);
const fmt = (v: number) => v.toFixed(2);
console.log(
  '\n' +
    table([
      ['ms/step', ...ms.wiregrad.map((_v, r) => `round ${r + 1}`), 'median'],
      ['Wiregrad CPU', ...ms.wiregrad.map(fmt), fmt(wiregradMs)],
      ['tfjs-cpu', ...ms.tfjs.map(fmt), fmt(tfjsMs)],
    ]),
);
const ratio = tfjsMs / wiregradMs;
console.log(
  `\ntfjs_cpu_ms / wiregrad_cpu_ms = ${ratio.toFixed(2)}: Wiregrad is ${ratio >= 1 ? `${ratio.toFixed(2)}× faster` : `${(1 / ratio).toFixed(2)}× slower`} (target ≥ 2×)`,
);
console.log(`BENCH ${JSON.stringify({ mlp: { wiregrad_cpu_ms: Number(wiregradMs.toFixed(3)), tfjs_cpu_ms: Number(tfjsMs.toFixed(3)) } })}`);
