import { describe, expect, it } from 'vitest';
import { uniform01 } from '../../../ops/random';
import { FLOAT_MODES, run, tensor } from './test-utils';

describe('full and constant', () => {
  for (const mode of FLOAT_MODES) {
    it(`fill with the value converted to dtype (${mode})`, () => {
      expect([...run('full', [], { shape: [2, 2], value: 1.5, dtype: 'f32' }, mode).data]).toEqual([1.5, 1.5, 1.5, 1.5]);
      expect([...run('full', [], { shape: [3], value: -2.7, dtype: 'i32' }, mode).data]).toEqual([-2, -2, -2]);
      expect([...run('full', [], { shape: [2], value: 3, dtype: 'bool' }, mode).data]).toEqual([1, 1]);
      expect([...run('full', [], { shape: [], value: 0, dtype: 'bool' }, mode).data]).toEqual([0]);
      expect(run('full', [], { shape: [0, 4], value: 1, dtype: 'f32' }, mode).data.length).toBe(0);
    });
    it(`constant stores row-major values converted to dtype (${mode})`, () => {
      expect([...run('constant', [], { shape: [2, 2], values: [1, 2.5, -3, 4], dtype: 'f32' }, mode).data]).toEqual([1, 2.5, -3, 4]);
      expect([...run('constant', [], { shape: [3], values: [1.9, -1.9, 0], dtype: 'i32' }, mode).data]).toEqual([1, -1, 0]);
      expect([...run('constant', [], { shape: [3], values: [0, 0.5, -2], dtype: 'bool' }, mode).data]).toEqual([0, 1, 1]);
    });
  }
});

describe('random_uniform', () => {
  const draw = (seed: number, counter: number, shape: number[] = [4, 5], dtype: 'f32' | 'i32' = 'i32') => [
    ...run('random_uniform', [tensor([], [counter], dtype)], { shape, seed }).data,
  ];

  it('is element i = uniform01(seed, counter, i)', () => {
    expect(draw(7, 3)).toEqual(Array.from({ length: 20 }, (_v, i) => uniform01(7, 3, i)));
  });
  it('is deterministic and changes with the counter and the seed', () => {
    expect(draw(7, 3)).toEqual(draw(7, 3));
    expect(draw(7, 4)).not.toEqual(draw(7, 3));
    expect(draw(8, 3)).not.toEqual(draw(7, 3));
  });
  it('truncates a float counter to an integer', () => {
    expect(draw(7, 3.9, [5], 'f32')).toEqual(draw(7, 3, [5]));
    expect(draw(7, -1, [5], 'i32')).toEqual(Array.from({ length: 5 }, (_v, i) => uniform01(7, 0xffffffff, i)));
  });
  it('is uniform on [0, 1): mean near 0.5, all in range', () => {
    const v = draw(1, 0, [10000]);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01); // sd of the mean is 0.0029
    expect(v.every((x) => x >= 0 && x < 1)).toBe(true);
  });
  it('is exactly representable in f32', () => {
    const f32 = run('random_uniform', [tensor([], [0])], { shape: [100], seed: 5 }, 'f32').data;
    const f64 = run('random_uniform', [tensor([], [0])], { shape: [100], seed: 5 }, 'f64').data;
    expect([...f32]).toEqual([...f64]);
  });
});

describe('stop_gradient', () => {
  it('copies every dtype exactly', () => {
    for (const [dtype, values] of [
      ['f32', [1.5, -2]],
      ['i32', [3, -4]],
      ['bool', [1, 0]],
    ] as const) {
      const x = tensor([2], values, dtype);
      const y = run('stop_gradient', [x], {} as Record<string, never>);
      expect(y.dtype).toBe(dtype);
      expect([...y.data]).toEqual(values);
      expect(y.data).not.toBe(x.data);
    }
  });
});
