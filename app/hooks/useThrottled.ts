import { startTransition, useEffect, useRef, useState } from 'react';

/**
 * Passes on the latest of a stream of values at most every `ms`, each `lag` later still (so views fed
 * by the same event can redraw in different tasks rather than all in one long one). A value that
 * arrives while one is pending replaces it without moving the timer, so a steady stream faster than
 * `ms + lag` still shows every `ms + lag` at the latest.
 */
export class Throttle<T> {
  private latest: T | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private last = -Infinity;

  constructor(
    private readonly ms: number,
    private readonly lag: number,
    private readonly show: (value: T) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  push(value: T): void {
    this.latest = value;
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.last + this.ms - this.now()) + this.lag;
    if (wait <= 0) this.fire();
    else this.timer = setTimeout(() => this.fire(), wait);
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fire(): void {
    this.timer = undefined;
    this.last = this.now();
    this.show(this.latest as T);
  }
}

/**
 * `value`, but updated at most every `ms` and `lag` late (see Throttle): keeps charts at a steady redraw rate.
 * The update renders as a transition, which React splits into short tasks, so a redraw never blocks input.
 */
export function useThrottled<T>(value: T, ms: number, lag = 0): T {
  const [shown, setShown] = useState(value);
  const throttle = useRef<Throttle<T> | undefined>(undefined);
  const first = useRef(true);
  useEffect(() => {
    const t = new Throttle<T>(ms, lag, (v) => startTransition(() => setShown(() => v)));
    throttle.current = t;
    return () => t.dispose();
  }, [ms, lag]);
  useEffect(() => {
    // The first value is shown from the start.
    if (first.current) {
      first.current = false;
      return;
    }
    throttle.current?.push(value);
  }, [value]);
  return shown;
}
