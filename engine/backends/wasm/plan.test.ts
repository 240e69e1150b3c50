/** The arena planner: values alive at the same schedule position never share bytes, and dead ones are reused. */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../ops/random';
import { planArena, type Lifetime } from './plan';

/** Whether a and b are both alive at some position (a value is alive from its write to its last read, inclusive). */
const overlapInTime = (a: Lifetime, b: Lifetime) => a.from <= b.to && b.from <= a.to;

describe('planArena', () => {
  it('gives values alive together disjoint, 16-aligned ranges within the arena', () => {
    const rng = new Rng(5);
    for (let trial = 0; trial < 20; trial++) {
      const values: Lifetime[] = Array.from({ length: 60 }, () => {
        const from = rng.int(50);
        return { bytes: 1 + rng.int(5000), from, to: from + rng.int(12) };
      });
      const { offsets, size } = planArena(values);
      values.forEach((a, i) => {
        expect(offsets[i]! % 16).toBe(0);
        expect(offsets[i]! + a.bytes).toBeLessThanOrEqual(size);
        values.forEach((b, j) => {
          if (j <= i || !overlapInTime(a, b)) return;
          const apart = offsets[i]! + a.bytes <= offsets[j]! || offsets[j]! + b.bytes <= offsets[i]!;
          expect(apart, `values ${i} and ${j} overlap`).toBe(true);
        });
      });
      // Reuse: far smaller than giving every value its own range.
      expect(size).toBeLessThan(values.reduce((n, v) => n + v.bytes, 0) / 2);
    }
  });

  it('reuses a chain of values that each die when the next is written', () => {
    const chain = Array.from({ length: 10 }, (_v, i) => ({ bytes: 1024, from: i, to: i + 1 }));
    // Value i is read by i + 1, so two are alive at once: two slots suffice.
    expect(planArena(chain).size).toBe(2048);
  });
});
