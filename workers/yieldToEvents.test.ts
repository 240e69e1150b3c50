import { afterEach, describe, expect, it, vi } from 'vitest';
import { createYield } from './yieldToEvents';

describe('createYield', () => {
  afterEach(() => vi.restoreAllMocks());

  it('resolves in order, and yields by message rather than by timer (browsers clamp nested timers to 4 ms)', async () => {
    const yieldToEvents = createYield(1e9);
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const order: number[] = [];
    await Promise.all([0, 1, 2].map((i) => yieldToEvents().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2]);
    for (let i = 0; i < 300; i++) await yieldToEvents();
    expect(timers).not.toHaveBeenCalled();
  });

  it('lets timers run at least every timerEveryMs, however busy the loop', async () => {
    let clock = 0;
    const yieldToEvents = createYield(100, () => clock);
    let fired = 0;
    const poll = () => setTimeout(() => (fired++, poll()), 0);
    poll();
    // A loop that only yields: each turn the clock moves 10 ms, so every tenth yield is a timer.
    for (let i = 0; i < 100; i++) {
      clock += 10;
      await yieldToEvents();
    }
    expect(fired).toBeGreaterThanOrEqual(9);
  });
});
