import { describe, expect, it } from 'vitest';
import { flatRange, formatSeconds, formatTicks, formatValue, logTicks, niceTicks } from './chartScale';

describe('chart scales', () => {
  it('picks 1-2-5 ticks', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(3, 97, 4)).toEqual([20, 40, 60, 80]);
    expect(niceTicks(-0.013, 0.011, 4)).toEqual([-0.01, -0.005, 0, 0.005, 0.01]);
    expect(niceTicks(2, 2)).toEqual([2]);
  });

  it('puts log ticks on powers of ten', () => {
    expect(logTicks(0.003, 2000, 10)).toEqual([0.01, 0.1, 1, 10, 100, 1000]);
    expect(logTicks(1e-7, 1e7, 5)).toEqual([1e-7, 1e-4, 0.1, 100, 1e5]);
    expect(logTicks(2, 8, 3)).toEqual([2, 4, 6, 8]);
  });

  it('formats values and durations compactly', () => {
    expect(formatValue(0.25)).toBe('0.25');
    expect(formatValue(1234567)).toBe('1.2e+6');
    expect(formatValue(0.00003)).toBe('3e-5');
    expect(formatValue(Number.NaN)).toBe('NaN');
    expect(formatSeconds(42)).toBe('42 s');
    expect(formatSeconds(210)).toBe('3.5 min');
  });

  it('adds digits only where tick labels would repeat', () => {
    expect(formatTicks([0, 0.5, 1])).toEqual(['0', '0.5', '1']);
    expect(formatTicks([7.5e6, 7.52e6, 7.54e6])).toEqual(['7.5e+6', '7.52e+6', '7.54e+6']);
  });
});

describe('flatRange: a constant series sits mid-chart on its own scale', () => {
  it('a learning rate of 0.001 gets 0.0005..0.0015, whose ticks are not all 0', () => {
    expect(flatRange(0.001, false)).toEqual([0.0005, 0.0015]);
    expect(formatTicks(niceTicks(0.0005, 0.0015, 4)).every((t) => t !== '0')).toBe(true);
    expect(flatRange(0, false)).toEqual([-1, 1]);
    expect(flatRange(-4, false)).toEqual([-6, -2]);
    expect(flatRange(0.01, true)).toEqual([0.005, 0.02]);
  });
});
