/**
 * How a document is trained: data, optimizer, learning-rate schedule, batch and run length.
 * Every field has a default, so `TrainingConfig.parse({})` gives a runnable configuration.
 */
import { z } from 'zod';

const seed = z.int().optional();
const dims = z.array(z.int().positive());
const sampleCount = z.int().positive();
const noise = z.number().nonnegative();
/** How numeric features are rescaled, from statistics of the training split only. */
const scaling = z.enum(['standardize', 'minmax', 'none']).default('standardize');
/** Ways numeric features can be rescaled (standardize: zero mean, unit variance; minmax: into 0..1). */
export type Scaling = z.output<typeof scaling>;

/** Where training examples come from; each kind names the fields it feeds to Input nodes. */
export const DatasetConfig = z.discriminatedUnion('kind', [
  /** Gaussian noise inputs and targets (the classic "random data" example): fields x, y. */
  z.object({
    kind: z.literal('random'),
    inputShape: dims.default(() => [1000]),
    targetShape: dims.default(() => [10]),
    size: sampleCount.default(64),
    seed,
  }),
  /** 2-D points in two classes: fields x [2] (f32) and label [] (i32, 2 classes). */
  z.object({
    kind: z.literal(['spirals', 'xor', 'circle', 'gaussians']),
    size: sampleCount.default(512),
    noise: noise.default(0.1),
    seed,
  }),
  /** 2-D points with a real target: fields x [2] and y [1]. */
  z.object({
    kind: z.literal(['plane', 'multi_gaussian']),
    size: sampleCount.default(512),
    noise: noise.default(0.1),
    seed,
  }),
  /**
   * Handwritten digits (the 10,000 shipped by the `mnist` package): fields x [28, 28, 1] f32 in 0..1
   * and label [] i32, 10 classes. `subset` keeps that many digits, taken round-robin over the classes.
   */
  z.object({ kind: z.literal('mnist'), subset: z.int().positive().optional() }),
  /** Fisher's iris flowers: fields x [4] f32 (sepal and petal length and width, cm), label [] i32, 3 classes. */
  z.object({ kind: z.literal('iris'), scaling }),
  /**
   * An uploaded CSV file, stored in this browser under `name`. Field x holds the feature columns
   * (categorical ones one-hot); the label column gives label [] i32 (categorical) or y [1] f32 (numeric).
   */
  z.object({
    kind: z.literal('csv'),
    /** The uploaded file's name: the key its bytes are stored under in this browser. */
    name: z.string().min(1),
    /** Feature columns, in order; empty means every column but the label. */
    features: z.array(z.string()).default(() => []),
    /** The column to predict. */
    label: z.string().min(1),
    /** class: the label's distinct values are classes (label [] i32); number: regression (y [1] f32). */
    task: z.enum(['class', 'number']).default('class'),
    scaling,
  }),
  /**
   * An uploaded image folder (one subfolder per class, as Keras image_dataset_from_directory) or plain
   * image files (labelled by their name up to the first "_"), stored in this browser under `name`.
   * Fields x [height, width, channels] f32 in 0..1 and label [] i32.
   */
  z.object({
    kind: z.literal('images'),
    name: z.string().min(1),
    width: z.int().min(1).max(512).default(28),
    height: z.int().min(1).max(512).default(28),
    color: z.enum(['grayscale', 'rgb']).default('grayscale'),
  }),
  /**
   * A seeded synthetic sequence task (engine/data/sequence.ts): the string `prompt = answer` as
   * fields x and y, i32 [T] (y: the next token over the answer, -100 over the prompt). `length`:
   * digits per operand (copy, reverse, sort, add) or pairs of parentheses (parens).
   */
  z.object({
    kind: z.literal('sequence'),
    task: z.enum(['copy', 'reverse', 'sort', 'add', 'parens']).default('sort'),
    length: z.int().min(1).max(64).default(6),
    size: sampleCount.max(1_000_000).default(4096),
    seed,
  }),
  /**
   * A character-level text corpus (engine/data/sequenceText.ts): windows of `context` characters,
   * fields x and y i32 [context] (y: the next character). `source` 'upload': the `.txt` file stored in
   * this browser under `name`; 'builtin': the corpus the app ships.
   */
  z.object({
    kind: z.literal('text'),
    source: z.enum(['builtin', 'upload']).default('builtin'),
    /** The uploaded file's name (source 'upload'). */
    name: z.string().min(1).optional(),
    context: z.int().min(1).max(1024).default(64),
  }),
]);
export type DatasetConfig = z.output<typeof DatasetConfig>;

/** L2 penalty added to the gradient (for adamw: decoupled decay applied to the weights). */
const weightDecay = z.number().nonnegative();
const eps = z.number().positive();
const unit = z.number().min(0).lt(1);

/** How parameters move given their gradients. Defaults are PyTorch's (engine/nn/DEFAULTS.md compares Keras'). */
export const OptimizerConfig = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('sgd'),
    momentum: unit.default(0),
    nesterov: z.boolean().default(false),
    weightDecay: weightDecay.default(0),
  }),
  z.object({
    type: z.literal('adam'),
    beta1: unit.default(0.9),
    beta2: unit.default(0.999),
    eps: eps.default(1e-8),
    weightDecay: weightDecay.default(0),
  }),
  z.object({
    type: z.literal('adamw'),
    beta1: unit.default(0.9),
    beta2: unit.default(0.999),
    eps: eps.default(1e-8),
    weightDecay: weightDecay.default(0.01),
  }),
  z.object({
    type: z.literal('rmsprop'),
    /** Decay of the running mean of squared gradients. */
    rho: unit.default(0.99),
    eps: eps.default(1e-8),
    momentum: unit.default(0),
    weightDecay: weightDecay.default(0),
  }),
  z.object({
    type: z.literal('adagrad'),
    eps: eps.default(1e-10),
    /** Starting value of the sum of squared gradients. */
    initialAccumulator: z.number().nonnegative().default(0),
    weightDecay: weightDecay.default(0),
  }),
]);
export type OptimizerConfig = z.output<typeof OptimizerConfig>;

/** Linear ramp from 0 to lr over the first steps, before the schedule proper. */
const warmupSteps = z.int().nonnegative().default(0);

/** Learning rate as a function of the step number (the base is `lr`). */
export const ScheduleConfig = z.discriminatedUnion('type', [
  z.object({ type: z.literal('constant'), warmupSteps }),
  /** lr * gamma^floor(step / stepSize) */
  z.object({
    type: z.literal('step'),
    stepSize: z.int().positive(),
    gamma: z.number().positive().default(0.1),
    warmupSteps,
  }),
  /** lr * gamma^(step / decaySteps) */
  z.object({
    type: z.literal('exponential'),
    gamma: z.number().positive().default(0.96),
    decaySteps: z.int().positive().default(1000),
    warmupSteps,
  }),
  /** minLr + (lr - minLr) * (1 + cos(pi * min(step, totalSteps) / totalSteps)) / 2 */
  z.object({
    type: z.literal('cosine'),
    totalSteps: z.int().positive(),
    minLr: z.number().nonnegative().default(0),
    warmupSteps,
  }),
]);
export type ScheduleConfig = z.output<typeof ScheduleConfig>;

// prefault (not default): a missing union is parsed from the given input, so its own defaults fill in.
/** Everything about a training run that is saved with the document. */
export const TrainingConfig = z.object({
  dataset: DatasetConfig.prefault({ kind: 'random' }),
  optimizer: OptimizerConfig.prefault({ type: 'adam' }),
  /** Base learning rate. */
  lr: z.number().positive().default(0.001),
  schedule: ScheduleConfig.prefault({ type: 'constant' }),
  /** Examples per step. */
  batchSize: z.int().min(1).default(32),
  /** Passes over the training set (ignored when `steps` is set). */
  epochs: z.int().min(1).default(10),
  /** When set, train exactly this many steps instead of `epochs`. */
  steps: z.int().min(1).optional(),
  /** Seed for initial weights, shuffling and dropout. */
  seed: z.int().default(42),
  /** Fraction of the dataset held out for validation. */
  validationSplit: z.number().min(0).max(0.9).default(0.2),
});
export type TrainingConfig = z.output<typeof TrainingConfig>;
