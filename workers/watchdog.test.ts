import { describe, expect, it } from 'vitest';
import { PingWatchdog } from './watchdog';

const limits = { timeoutMs: 8_000, slowTimeoutMs: 60_000 };

describe('PingWatchdog', () => {
  it('pings, waits while a ping is out, and pings again once answered', () => {
    const w = new PingWatchdog(limits);
    expect(w.tick(0)).toEqual({ kind: 'ping' });
    expect(w.tick(1_000)).toBeUndefined();
    w.answered();
    expect(w.tick(2_000)).toEqual({ kind: 'ping' });
  });

  it('reports the worker hung when a ping goes unanswered past the limit', () => {
    const w = new PingWatchdog(limits);
    w.tick(0);
    expect(w.tick(8_000)).toBeUndefined();
    expect(w.tick(8_001)).toEqual({ kind: 'hung', limitMs: 8_000 });
  });

  it('allows the longer limit while a slow command (a compile) is in flight, and the ordinary one after it', async () => {
    const w = new PingWatchdog(limits);
    let now = 0;
    let finish!: () => void;
    const compile = w.during(
      () => new Promise<void>((resolve) => (finish = resolve)),
      () => now,
    );
    w.tick(0);
    expect(w.tick(30_000)).toBeUndefined();
    expect(w.tick(60_001)).toEqual({ kind: 'hung', limitMs: 60_000 });
    now = 40_000;
    finish();
    await compile;
    // The ping still out is timed from the command's answer, with the ordinary limit again.
    expect(w.tick(47_000)).toBeUndefined();
    expect(w.tick(48_001)).toEqual({ kind: 'hung', limitMs: 8_000 });
  });

  it('keeps the longer limit while any of several slow commands is in flight, and after a failed one', async () => {
    const w = new PingWatchdog(limits);
    const failing = w.during(
      () => Promise.reject(new Error('compile failed')),
      () => 0,
    );
    await expect(failing).rejects.toThrow('compile failed');
    let a!: () => void;
    const first = w.during(
      () => new Promise<void>((r) => (a = r)),
      () => 0,
    );
    const second = w.during(
      () => new Promise<void>(() => undefined),
      () => 0,
    );
    w.tick(0);
    a();
    await first;
    expect(w.tick(20_000)).toBeUndefined();
    void second;
  });
});
