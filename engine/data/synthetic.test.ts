import { describe, expect, it } from 'vitest';
import { classificationDataset, randomDataset, regressionDataset, type ClassificationSet } from './synthetic';

const SETS: ClassificationSet[] = ['circle', 'xor', 'gaussians', 'spirals'];
const point = (x: Float32Array, i: number) => [x[2 * i]!, x[2 * i + 1]!] as const;

describe('synthetic datasets', () => {
  it.each(SETS)('%s: x [2] f32, label [] i32, two balanced classes, deterministic per seed', (kind) => {
    const a = classificationDataset(kind, { size: 301, noise: 0.2, seed: 4 });
    expect(a.fields).toEqual({ x: { shape: [2], dtype: 'f32' }, label: { shape: [], dtype: 'i32' } });
    expect(a.length).toBe(301);
    expect(a.classes).toBe(2);
    expect(a.data.x!.length).toBe(602);
    const ones = [...a.data.label!].filter((l) => l === 1).length;
    expect([150, 151]).toContain(ones);
    expect(classificationDataset(kind, { size: 301, noise: 0.2, seed: 4 }).data).toEqual(a.data);
    expect(classificationDataset(kind, { size: 301, noise: 0.2, seed: 5 }).data.x).not.toEqual(a.data.x);
  });

  it('without noise each set has its documented geometry', () => {
    const circle = classificationDataset('circle', { size: 400, noise: 0, seed: 1 });
    const xor = classificationDataset('xor', { size: 400, noise: 0, seed: 1 });
    const spirals = classificationDataset('spirals', { size: 400, noise: 0, seed: 1 });
    for (let i = 0; i < 400; i++) {
      const [cx, cy] = point(circle.data.x as Float32Array, i);
      const r = Math.hypot(cx, cy);
      if (circle.data.label![i] === 0) expect(r).toBeLessThanOrEqual(2.5 + 1e-5);
      else expect(r >= 3.5 - 1e-5 && r <= 5 + 1e-5).toBe(true);
      const [xx, xy] = point(xor.data.x as Float32Array, i);
      expect(xor.data.label![i]).toBe(xx * xy < 0 ? 1 : 0);
      expect(Math.min(Math.abs(xx), Math.abs(xy))).toBeGreaterThanOrEqual(0.3 - 1e-6);
      expect(Math.hypot(...point(spirals.data.x as Float32Array, i))).toBeLessThanOrEqual(5 + 1e-5);
    }
    // Spiral arms are point reflections of each other: sample 2k+1 is sample 2k rotated by pi.
    const s = spirals.data.x as Float32Array;
    expect(s[2 * 21]!).toBeCloseTo(-s[2 * 20]!, 5);
    expect(s[2 * 21 + 1]!).toBeCloseTo(-s[2 * 20 + 1]!, 5);
  });

  it('noise is Gaussian with the given standard deviation', () => {
    // Two datasets with the same seed differ only by the noise term, scaled by the noise level.
    const clean = regressionDataset('plane', { size: 4000, noise: 0, seed: 9 });
    const noisy = regressionDataset('plane', { size: 4000, noise: 0.5, seed: 9 });
    const x = clean.data.x as Float32Array;
    let sq = 0;
    for (let i = 0; i < 4000; i++) {
      expect(clean.data.y![i]).toBeCloseTo((x[2 * i]! + x[2 * i + 1]!) / 12, 5);
      sq += (noisy.data.y![i]! - clean.data.y![i]!) ** 2;
    }
    expect(Math.sqrt(sq / 4000)).toBeGreaterThan(0.47);
    expect(Math.sqrt(sq / 4000)).toBeLessThan(0.53);
  });

  it('multi_gaussian: y [1] is the sum of five bumps', () => {
    const ds = regressionDataset('multi_gaussian', { size: 50, noise: 0, seed: 2 });
    expect(ds.fields).toEqual({ x: { shape: [2], dtype: 'f32' }, y: { shape: [1], dtype: 'f32' } });
    const bumps = [
      [-3, 3, 1],
      [3, 3, -1],
      [-3, -3, -1],
      [3, -3, 1],
      [0, 0, 0.5],
    ];
    for (let i = 0; i < 50; i++) {
      const [px, py] = point(ds.data.x as Float32Array, i);
      const want = bumps.reduce((s, [cx, cy, h]) => s + h! * Math.exp(-((px - cx!) ** 2 + (py - cy!) ** 2) / 4), 0);
      expect(ds.data.y![i]).toBeCloseTo(want, 5);
    }
  });

  it('random tensors have the chosen shapes and unit variance', () => {
    const ds = randomDataset([3, 4], [2], 500, 1);
    expect(ds.fields).toEqual({ x: { shape: [3, 4], dtype: 'f32' }, y: { shape: [2], dtype: 'f32' } });
    expect(ds.data.x!.length).toBe(6000);
    const x = [...ds.data.x!];
    const mean = x.reduce((a, b) => a + b) / x.length;
    const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(variance).toBeGreaterThan(0.9);
    expect(variance).toBeLessThan(1.1);
  });
});
