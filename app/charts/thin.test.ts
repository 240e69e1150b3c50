import { describe, expect, it } from 'vitest';
import { thinBySteps } from './thin';

const at = (steps: readonly number[]) => steps.map((step) => ({ step }));
const stepsOf = (xs: readonly { step: number }[]) => xs.map((x) => x.step);

/** The rule written out the long way: try strides 1, 2, 4, … and take the first whose picks fit. */
function reference(steps: readonly number[], max: number): number[] {
  for (let stride = 1; ; stride *= 2) {
    const kept = steps.filter((s, i) => i === 0 || i === steps.length - 1 || s % stride === 0);
    if (kept.length <= max || stride > Math.max(...steps.map(Math.abs), 1)) return kept;
  }
}

describe('thinBySteps (the one thinning rule)', () => {
  it('keeps the first, the newest and the multiples of the smallest power-of-two stride that fits', () => {
    const steps = Array.from({ length: 1000 }, (_v, i) => i + 1);
    const t = thinBySteps(at(steps), 100);
    // 1000 steps: stride 16 leaves 62 multiples plus step 1 and step 1000.
    expect(t.stride).toBe(16);
    expect(stepsOf(t.items)).toEqual([1, ...Array.from({ length: 62 }, (_v, i) => 16 * (i + 1)), 1000]);
    for (const [n, max] of [
      [10, 2],
      [10, 10],
      [257, 16],
      [3000, 300],
      [3000, 600],
      [10_001, 10_000],
      [5, 3],
    ] as const) {
      const all = Array.from({ length: n }, (_v, i) => i + 1);
      expect(stepsOf(thinBySteps(at(all), max).items)).toEqual(reference(all, max));
    }
    // Uneven steps (validation once per 469-step epoch, a fork starting at step 500).
    const epochs = Array.from({ length: 90 }, (_v, i) => 469 * (i + 1));
    expect(stepsOf(thinBySteps(at(epochs), 40).items)).toEqual(reference(epochs, 40));
    const fork = Array.from({ length: 700 }, (_v, i) => 501 + i);
    expect(stepsOf(thinBySteps(at(fork), 50).items)).toEqual(reference(fork, 50));
  });

  it('appending and thinning as points arrive gives what thinning the whole history at once gives', () => {
    let kept: { step: number }[] = [];
    let stride = 1;
    for (let s = 1; s <= 30_000; s += 37) {
      const added = at(Array.from({ length: 37 }, (_v, i) => s + i));
      ({ items: kept, stride } = thinBySteps([...kept, ...added], 1000, { stride }));
      expect(kept.length).toBeLessThanOrEqual(1000);
    }
    const whole = thinBySteps(at(Array.from({ length: 30_007 }, (_v, i) => i + 1)), 1000);
    expect(stride).toBe(whole.stride);
    expect(stepsOf(kept)).toEqual(stepsOf(whole.items));
    expect(kept[0]!.step).toBe(1);
    expect(kept.at(-1)!.step).toBe(30_007);
  });

  it('keeps what `keep` asks for (NaN spikes), returns short lists whole, and rejects a bad limit or stride', () => {
    const points = Array.from({ length: 1000 }, (_v, i) => ({ step: i + 1, v: i === 500 ? Number.NaN : i }));
    const t = thinBySteps(points, 100, { keep: (p) => Number.isNaN(p.v) });
    expect(t.items.some((p) => p.step === 501)).toBe(true);
    expect(t.items.length).toBeLessThanOrEqual(101);
    const short = at([1, 2, 3]);
    expect(thinBySteps(short, 10).items).toEqual(short);
    expect(thinBySteps(short, 10).items).not.toBe(short);
    expect(thinBySteps([], 10).items).toEqual([]);
    // The same steps seen twice (each kept), or a far-off single step, still end the loop.
    expect(stepsOf(thinBySteps(at([7, 7, 7, 7]), 2).items)).toEqual([7, 7]);
    expect(() => thinBySteps(short, 1)).toThrow(/at least 2/);
    expect(() => thinBySteps(short, 10, { stride: 3 })).toThrow(/power of two/);
  });
});
