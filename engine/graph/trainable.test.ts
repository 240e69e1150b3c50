import { describe, expect, it } from 'vitest';
import { describeParamCounts, isFrozen } from './trainable';

describe('the Trainable switch', () => {
  it('is on unless explicitly false', () => {
    expect([isFrozen({}), isFrozen({ trainable: true }), isFrozen({ trainable: false })]).toEqual([false, false, true]);
  });

  it('describes parameter counts as the status bar shows them', () => {
    expect(describeParamCounts({ trainable: 100_000, frozen: 1_000 })).toBe('101,000 parameters (1,000 frozen)');
    expect(describeParamCounts({ trainable: 354, frozen: 0 })).toBe('354 parameters');
    expect(describeParamCounts({ trainable: 0, frozen: 1 })).toBe('1 parameter (all frozen)');
    expect(describeParamCounts({ trainable: 0, frozen: 0 })).toBe('0 parameters');
  });
});
