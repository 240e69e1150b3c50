import { Rng } from '../ops/random';
import type { Dataset } from './dataset';

/** Options shared by the synthetic sets (TensorFlow Playground's). */
export interface SyntheticOptions {
  readonly size: number;
  /** Standard deviation of Gaussian noise added to each coordinate. */
  readonly noise: number;
  readonly seed: number;
}

export type ClassificationSet = 'circle' | 'xor' | 'gaussians' | 'spirals';
export type RegressionSet = 'plane' | 'multi_gaussian';

/** Random inputs and targets drawn from N(0, 1): the classic 2-layer example's data. */
export function randomDataset(inputShape: readonly number[], targetShape: readonly number[], size: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const draw = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
  const inSize = inputShape.reduce((a, d) => a * d, 1);
  const outSize = targetShape.reduce((a, d) => a * d, 1);
  return {
    name: 'random',
    length: size,
    fields: { x: { shape: inputShape, dtype: 'f32' }, y: { shape: targetShape, dtype: 'f32' } },
    data: { x: draw(size * inSize), y: draw(size * outSize) },
  };
}

/** Two-class points in the plane: field x [2] and label (0 or 1), classes balanced. */
export function classificationDataset(kind: ClassificationSet, opts: SyntheticOptions): Dataset {
  const rng = new Rng(opts.seed);
  const x = new Float32Array(opts.size * 2);
  const label = new Int32Array(opts.size);
  const noise = () => opts.noise * rng.normal();
  for (let i = 0; i < opts.size; i++) {
    const cls = i % 2;
    let px: number;
    let py: number;
    switch (kind) {
      case 'circle': {
        // Class 0 inside radius 2.5, class 1 on the ring 3.5..5.
        const r = cls === 0 ? 2.5 * rng.next() : 3.5 + 1.5 * rng.next();
        const a = 2 * Math.PI * rng.next();
        px = r * Math.sin(a);
        py = r * Math.cos(a);
        break;
      }
      case 'xor': {
        // Quadrants: class 1 where x·y < 0; points kept 0.3 away from the axes.
        const sx = rng.next() < 0.5 ? -1 : 1;
        const sy = cls === 0 ? sx : -sx;
        px = sx * (0.3 + 4.7 * rng.next());
        py = sy * (0.3 + 4.7 * rng.next());
        break;
      }
      case 'gaussians': {
        const c = cls === 0 ? 2 : -2;
        px = c + rng.normal();
        py = c + rng.normal();
        break;
      }
      case 'spirals': {
        // Two interleaved arms, 1.75 turns each, radius up to 5.
        const k = Math.floor(i / 2) / Math.max(1, Math.ceil(opts.size / 2));
        const r = 5 * k;
        const t = 1.75 * k * 2 * Math.PI + cls * Math.PI;
        px = r * Math.sin(t);
        py = r * Math.cos(t);
        break;
      }
      default:
        kind satisfies never;
        throw new Error(`unknown dataset ${String(kind)}`);
    }
    x[2 * i] = px + noise();
    x[2 * i + 1] = py + noise();
    label[i] = cls;
  }
  return {
    name: kind,
    length: opts.size,
    classes: 2,
    fields: { x: { shape: [2], dtype: 'f32' }, label: { shape: [], dtype: 'i32' } },
    data: { x, label },
  };
}

/** Points in the plane with a real target: field x [2], y [1]. */
export function regressionDataset(kind: RegressionSet, opts: SyntheticOptions): Dataset {
  const rng = new Rng(opts.seed);
  const x = new Float32Array(opts.size * 2);
  const y = new Float32Array(opts.size);
  const centres = [
    [-3, 3, 1],
    [3, 3, -1],
    [-3, -3, -1],
    [3, -3, 1],
    [0, 0, 0.5],
  ] as const;
  for (let i = 0; i < opts.size; i++) {
    const px = 12 * rng.next() - 6;
    const py = 12 * rng.next() - 6;
    x[2 * i] = px;
    x[2 * i + 1] = py;
    const target = kind === 'plane' ? (px + py) / 12 : centres.reduce((s, [cx, cy, h]) => s + h * Math.exp(-((px - cx) ** 2 + (py - cy) ** 2) / 4), 0);
    y[i] = target + opts.noise * rng.normal();
  }
  return {
    name: kind,
    length: opts.size,
    fields: { x: { shape: [2], dtype: 'f32' }, y: { shape: [1], dtype: 'f32' } },
    data: { x, y },
  };
}
