/**
 * When the training worker counts as hung. The page pings it every second; a ping unanswered for
 * `timeoutMs` means it stopped answering. Some commands legitimately keep the worker busy for a
 * long stretch — compiling a large graph, decoding a big dataset, importing a model — and on a
 * loaded machine that can pass the ordinary limit, so while one of them is in flight the limit is
 * `slowTimeoutMs` instead.
 */
export interface WatchdogLimits {
  readonly timeoutMs: number;
  readonly slowTimeoutMs: number;
}

export type WatchdogVerdict = { readonly kind: 'ping' } | { readonly kind: 'hung'; readonly limitMs: number } | undefined;

export class PingWatchdog {
  /** When the unanswered ping was sent (or when the last slow command ended, if later); undefined: none out. */
  private since: number | undefined;
  private slow = 0;

  constructor(private readonly limits: WatchdogLimits) {}

  /** What to do at `now`: send a ping, report the worker hung, or nothing (a ping is out and not overdue). */
  tick(now: number): WatchdogVerdict {
    if (this.since === undefined) {
      this.since = now;
      return { kind: 'ping' };
    }
    const limitMs = this.slow > 0 ? this.limits.slowTimeoutMs : this.limits.timeoutMs;
    return now - this.since > limitMs ? { kind: 'hung', limitMs } : undefined;
  }

  /** The worker answered the ping. */
  answered(): void {
    this.since = undefined;
  }

  /** Run `call` as a slow command: the longer limit applies until it settles. */
  async during<T>(call: () => Promise<T>, now: () => number): Promise<T> {
    this.slow++;
    try {
      return await call();
    } finally {
      this.slow--;
      // Its answer proves the worker was alive just now: the ping still out is timed from here.
      if (this.since !== undefined) this.since = Math.max(this.since, now());
    }
  }
}
