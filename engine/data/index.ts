import type { DatasetConfig } from '../graph/training';
import type { Dataset } from './dataset';
import { classificationDataset, randomDataset, regressionDataset } from './synthetic';

export * from './dataset';
export * from './synthetic';

/** Build a dataset that needs no download from its document config; others come from loaders. */
export function builtinDataset(cfg: DatasetConfig, seed: number): Dataset {
  const s = 'seed' in cfg && typeof cfg.seed === 'number' ? cfg.seed : seed;
  switch (cfg.kind) {
    case 'random': return randomDataset(cfg.inputShape, cfg.targetShape, cfg.size, s);
    case 'circle': case 'xor': case 'gaussians': case 'spirals':
      return classificationDataset(cfg.kind, { size: cfg.size, noise: cfg.noise, seed: s });
    case 'plane': case 'multi_gaussian':
      return regressionDataset(cfg.kind, { size: cfg.size, noise: cfg.noise, seed: s });
    default:
      throw new Error(`dataset "${cfg.kind}" must be loaded, not generated`);
  }
}
