import { describe, expect, it } from 'vitest';
import { Rng } from '../ops/random';
import { argmax, drawFrom, nextToken, samplingProbabilities } from './sequenceSampling';

const rng = new Rng(17);
const randomLogits = (n: number) => Float32Array.from({ length: n }, () => 3 * rng.normal());

/** softmax in float64, written out independently of the code under test. */
function softmax(logits: ArrayLike<number>, t: number): number[] {
  const xs = Array.from(logits, (v) => v / t);
  const m = Math.max(...xs);
  const e = xs.map((v) => Math.exp(v - m));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / z);
}

describe('sampling the next token', () => {
  it('temperature 0 is argmax, and a temperature near 0 draws the argmax every time', () => {
    for (let trial = 0; trial < 20; trial++) {
      const logits = randomLogits(30);
      const best = Array.from(logits).indexOf(Math.max(...logits));
      expect(argmax(logits)).toBe(best);
      expect(nextToken(logits, { temperature: 0 }, 1, trial)).toBe(best);
      // the gap to the runner-up is at least ~1e-4 for these draws; T = 1e-6 makes the rest exp(-100) or less
      const sorted = [...logits].sort((a, b) => b - a);
      if (sorted[0]! - sorted[1]! < 1e-4) continue;
      for (let i = 0; i < 50; i++) expect(nextToken(logits, { temperature: 1e-6 }, trial, i)).toBe(best);
    }
  });

  it('top-k never picks a token outside the k largest logits', () => {
    for (const k of [1, 2, 5]) {
      const logits = randomLogits(20);
      const allowed = new Set(
        Array.from(logits, (v, i) => [v, i] as const)
          .sort((a, b) => b[0] - a[0])
          .slice(0, k)
          .map(([, i]) => i),
      );
      const seen = new Set<number>();
      for (let i = 0; i < 3000; i++) {
        const t = nextToken(logits, { temperature: 5, topK: k }, 3, i); // a high temperature flattens, so outside tokens would show
        expect(allowed.has(t)).toBe(true);
        seen.add(t);
      }
      expect(seen).toEqual(allowed);
    }
  });

  it('draws with the frequencies of softmax(logits / T) (and top-k renormalized)', () => {
    const logits = Float32Array.from([1.5, -0.5, 0.3, 2.0, -2.0, 0.9]);
    for (const [temperature, topK] of [
      [1, undefined],
      [0.7, undefined],
      [2, 3],
    ] as const) {
      let ref = softmax(logits, temperature);
      if (topK) {
        const top = [3, 0, 5]; // the 3 largest logits
        const z = top.reduce((a, i) => a + ref[i]!, 0);
        ref = ref.map((p, i) => (top.includes(i) ? p / z : 0));
      }
      const probs = samplingProbabilities(logits, { temperature, topK });
      for (let i = 0; i < logits.length; i++) expect(probs[i]).toBeCloseTo(ref[i]!, 12);
      const n = 40_000;
      const counts = new Array<number>(logits.length).fill(0);
      for (let i = 0; i < n; i++) counts[nextToken(logits, { temperature, topK }, 99, i)]!++;
      for (let i = 0; i < logits.length; i++) {
        const sd = Math.sqrt(n * ref[i]! * (1 - ref[i]!));
        expect(Math.abs(counts[i]! - n * ref[i]!)).toBeLessThanOrEqual(5 * sd + 1e-9);
      }
    }
  });

  it('is a pure function of (seed, index), so a generation split into calls draws the same tokens', () => {
    const logits = randomLogits(10);
    const a = Array.from({ length: 100 }, (_v, i) => nextToken(logits, { temperature: 1 }, 5, i));
    const b = Array.from({ length: 100 }, (_v, i) => nextToken(logits, { temperature: 1 }, 5, i));
    expect(a).toEqual(b);
    expect(Array.from({ length: 100 }, (_v, i) => nextToken(logits, { temperature: 1 }, 6, i))).not.toEqual(a);
  });

  it('never draws a token of probability 0, and refuses a temperature ≤ 0 for sampling', () => {
    expect(drawFrom([0.5, 0, 0.5, 0], 0.9999999999)).toBe(2);
    expect(drawFrom([0, 1, 0], 0)).toBe(1);
    expect(() => samplingProbabilities([1, 2], { temperature: -1 })).toThrow(/temperature/);
  });
});
