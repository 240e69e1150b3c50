import { describe, expect, it } from 'vitest';
import { createYield } from './yieldToEvents';

describe('createYield', () => {
  it('resolves in order, and many times in a row without the nested-timer clamp', async () => {
    const yieldToEvents = createYield(1e9);
    const order: number[] = [];
    await Promise.all([0, 1, 2].map((i) => yieldToEvents().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2]);
    // 300 nested yields: setTimeout's 4 ms clamp would make this take 1.2 s or more.
    const t0 = performance.now();
    for (let i = 0; i < 300; i++) await yieldToEvents();
    expect(performance.now() - t0).toBeLessThan(1000);
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
