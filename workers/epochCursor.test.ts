import { describe, expect, it } from 'vitest';
import { EpochCursor } from './epochCursor';

const train = Int32Array.from({ length: 10 }, (_, i) => i);
const take = (c: EpochCursor, n: number) => Array.from({ length: n }, () => [...c.next(train, 3, 7)]);

describe('EpochCursor', () => {
  it('walks whole batches of each epoch, then the next epoch with another shuffle', () => {
    const c = new EpochCursor();
    const first = take(c, 3);
    expect(c.epoch).toBe(0);
    expect(new Set(first.flat()).size).toBe(9);
    const next = take(c, 1);
    expect(c.epoch).toBe(1);
    expect(c.batchInEpoch).toBe(1);
    expect(next[0]).not.toEqual(first[0]);
  });

  it('continued at a position (a checkpoint) takes the batches the first walk took from there', () => {
    const a = new EpochCursor();
    const all = take(a, 7);
    const b = new EpochCursor();
    b.moveTo(1, 1);
    expect(take(b, 3)).toEqual(all.slice(4, 7));
  });

  it('starts the epoch over when asked, and from nothing after reset', () => {
    const a = new EpochCursor();
    const all = take(a, 4);
    a.restartEpoch();
    expect([a.epoch, a.batchInEpoch]).toEqual([1, 0]);
    expect(take(a, 1)).toEqual(all.slice(3, 4));
    a.reset();
    expect([a.epoch, a.batchInEpoch]).toEqual([0, 0]);
    expect(take(a, 1)).toEqual(all.slice(0, 1));
  });
});
