import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Throttle } from './useThrottled';

describe('Throttle', () => {
  let clock = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    clock = 0;
  });
  afterEach(() => vi.useRealTimers());
  const advance = (ms: number) => {
    clock += ms;
    vi.advanceTimersByTime(ms);
  };

  /** A value every 100 ms for `seconds`; what was shown, and when. */
  function stream(ms: number, lag: number, seconds: number) {
    clock = 0;
    const shown: [number, number][] = [];
    const t = new Throttle<number>(
      ms,
      lag,
      (v) => shown.push([clock, v]),
      () => clock,
    );
    for (let i = 1; i <= seconds * 10; i++) {
      t.push(i);
      advance(100);
    }
    t.dispose();
    return shown;
  }

  it('shows a steady stream about every ms + lag, always the latest value, even when values come faster than the lag', () => {
    for (const lag of [0, 250, 500]) {
      const shown = stream(1000, lag, 30);
      expect(shown.length).toBeGreaterThanOrEqual(Math.floor(30_000 / (1000 + lag)) - 1);
      expect(shown.length).toBeLessThanOrEqual(Math.ceil(30_000 / 1000) + 1);
      // Each shown value is the newest one pushed by then (value k is pushed at (k − 1) × 100 ms).
      for (const [at, v] of shown) {
        expect(v).toBeGreaterThanOrEqual(Math.floor(at / 100));
        expect(v).toBeLessThanOrEqual(Math.floor(at / 100) + 1);
      }
      const gaps = shown.slice(1).map(([at], i) => at - shown[i]![0]);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000);
    }
  });

  it('shows the first value at once without lag, later ones after the lag, and nothing after dispose', () => {
    const shown: number[] = [];
    const t = new Throttle<number>(
      1000,
      250,
      (v) => shown.push(v),
      () => clock,
    );
    t.push(1);
    expect(shown).toEqual([]);
    advance(250);
    expect(shown).toEqual([1]);
    t.push(2);
    t.push(3);
    advance(999);
    expect(shown).toEqual([1]);
    advance(300);
    expect(shown).toEqual([1, 3]);
    t.push(4);
    t.dispose();
    advance(5000);
    expect(shown).toEqual([1, 3]);
    const now = new Throttle<number>(
      1000,
      0,
      (v) => shown.push(v),
      () => clock,
    );
    now.push(9);
    expect(shown).toEqual([1, 3, 9]);
  });
});
