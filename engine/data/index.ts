import type { DatasetConfig } from '../graph/training';
import type { Dataset } from './dataset';
import { irisDataset } from './iris';
import { sequenceTaskDataset } from './sequence';
import { classificationDataset, randomDataset, regressionDataset } from './synthetic';

export * from './bind';
export * from './dataset';
export * from './sequence';
export * from './sequenceText';
export * from './synthetic';

/**
 * Build a dataset that needs no file from its document config (synthetic sets, sequence tasks and Iris). MNIST, CSV,
 * image folders and text come from bytes: workers/datasets.ts loads them.
 */
export function builtinDataset(cfg: DatasetConfig, seed: number, validationSplit = 0.2): Dataset {
  const s = 'seed' in cfg && typeof cfg.seed === 'number' ? cfg.seed : seed;
  switch (cfg.kind) {
    case 'random':
      return randomDataset(cfg.inputShape, cfg.targetShape, cfg.size, s);
    case 'circle':
    case 'xor':
    case 'gaussians':
    case 'spirals':
      return classificationDataset(cfg.kind, { size: cfg.size, noise: cfg.noise, seed: s });
    case 'plane':
    case 'multi_gaussian':
      return regressionDataset(cfg.kind, { size: cfg.size, noise: cfg.noise, seed: s });
    case 'iris':
      return irisDataset({ scaling: cfg.scaling, validationSplit, seed });
    case 'sequence':
      return sequenceTaskDataset({ task: cfg.task, length: cfg.length, size: cfg.size, seed: s });
    case 'mnist':
    case 'csv':
    case 'images':
    case 'text':
      throw new Error(`the dataset "${cfg.kind}" is read from a file: load it with workers/datasets.ts`);
    default:
      cfg satisfies never;
      throw new Error(`unknown dataset ${JSON.stringify(cfg)}`);
  }
}
