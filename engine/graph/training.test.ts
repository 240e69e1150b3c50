import { describe, expect, it } from 'vitest';
import { DatasetConfig, OptimizerConfig, ScheduleConfig, TrainingConfig } from './training';

describe('TrainingConfig', () => {
  it('fills every field from {}', () => {
    expect(TrainingConfig.parse({})).toEqual({
      dataset: { kind: 'random', inputShape: [1000], targetShape: [10], size: 64 },
      optimizer: { type: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
      lr: 0.001,
      schedule: { type: 'constant', warmupSteps: 0 },
      batchSize: 32,
      epochs: 10,
      seed: 42,
      validationSplit: 0.2,
    });
  });

  it('does not share default arrays between parses', () => {
    const a = TrainingConfig.parse({});
    const b = TrainingConfig.parse({});
    if (a.dataset.kind !== 'random' || b.dataset.kind !== 'random') throw new Error('expected random data');
    a.dataset.inputShape.push(7);
    expect(b.dataset.inputShape).toEqual([1000]);
  });

  it.each<[unknown, object]>([
    [{ type: 'sgd' }, { type: 'sgd', momentum: 0, nesterov: false, weightDecay: 0 }],
    // PyTorch's defaults (engine/nn/DEFAULTS.md).
    [{ type: 'adam' }, { type: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 }],
    [{ type: 'adamw' }, { type: 'adamw', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 }],
    [{ type: 'rmsprop' }, { type: 'rmsprop', rho: 0.99, eps: 1e-8, momentum: 0, weightDecay: 0 }],
    [{ type: 'adagrad' }, { type: 'adagrad', eps: 1e-10, initialAccumulator: 0, weightDecay: 0 }],
    // Saved explicit values are kept.
    [
      { type: 'rmsprop', rho: 0.9, eps: 1e-7 },
      { type: 'rmsprop', rho: 0.9, eps: 1e-7, momentum: 0, weightDecay: 0 },
    ],
    [
      { type: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 1e-4 },
      { type: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 1e-4 },
    ],
  ])('optimizer %j', (input, expected) => {
    expect(OptimizerConfig.parse(input)).toEqual(expected);
  });

  it.each<[unknown, object]>([
    [{ type: 'constant' }, { type: 'constant', warmupSteps: 0 }],
    [
      { type: 'step', stepSize: 100 },
      { type: 'step', stepSize: 100, gamma: 0.1, warmupSteps: 0 },
    ],
    [{ type: 'exponential' }, { type: 'exponential', gamma: 0.96, decaySteps: 1000, warmupSteps: 0 }],
    [
      { type: 'cosine', totalSteps: 500, warmupSteps: 50 },
      { type: 'cosine', totalSteps: 500, minLr: 0, warmupSteps: 50 },
    ],
  ])('schedule %j', (input, expected) => {
    expect(ScheduleConfig.parse(input)).toEqual(expected);
  });

  it.each<[unknown, object]>([
    [{ kind: 'spirals' }, { kind: 'spirals', size: 512, noise: 0.1 }],
    [
      { kind: 'xor', seed: 3 },
      { kind: 'xor', size: 512, noise: 0.1, seed: 3 },
    ],
    [
      { kind: 'plane', size: 100, noise: 0 },
      { kind: 'plane', size: 100, noise: 0 },
    ],
    [{ kind: 'multi_gaussian' }, { kind: 'multi_gaussian', size: 512, noise: 0.1 }],
    [
      { kind: 'mnist', subset: 1000 },
      { kind: 'mnist', subset: 1000 },
    ],
    [{ kind: 'iris' }, { kind: 'iris', scaling: 'standardize' }],
    [
      { kind: 'csv', name: 'houses.csv', label: 'price', task: 'number' },
      { kind: 'csv', name: 'houses.csv', features: [], label: 'price', task: 'number', scaling: 'standardize' },
    ],
    [
      { kind: 'images', name: 'pets' },
      { kind: 'images', name: 'pets', width: 28, height: 28, color: 'grayscale' },
    ],
  ])('dataset %j', (input, expected) => {
    expect(DatasetConfig.parse(input)).toEqual(expected);
  });

  it.each<[string, unknown]>([
    ['lr of 0', { lr: 0 }],
    ['negative lr', { lr: -0.1 }],
    ['fractional batch size', { batchSize: 1.5 }],
    ['batch size 0', { batchSize: 0 }],
    ['0 epochs', { epochs: 0 }],
    ['validation split 0.95', { validationSplit: 0.95 }],
    ['step schedule without stepSize', { schedule: { type: 'step' } }],
    ['cosine schedule without totalSteps', { schedule: { type: 'cosine' } }],
    ['negative warmup', { schedule: { type: 'constant', warmupSteps: -1 } }],
    ['unknown optimizer', { optimizer: { type: 'lion' } }],
    ['adam beta1 of 1', { optimizer: { type: 'adam', beta1: 1 } }],
    ['csv without a name', { dataset: { kind: 'csv' } }],
    ['unknown dataset', { dataset: { kind: 'imagenet' } }],
    ['infinite lr', { lr: Infinity }],
  ])('refuses %s', (_, input) => {
    expect(TrainingConfig.safeParse(input).success).toBe(false);
  });

  it('accepts the edges of each range', () => {
    expect(TrainingConfig.safeParse({ validationSplit: 0 }).success).toBe(true);
    expect(TrainingConfig.safeParse({ validationSplit: 0.9 }).success).toBe(true);
    expect(TrainingConfig.safeParse({ batchSize: 1, epochs: 1, steps: 1 }).success).toBe(true);
  });
});
