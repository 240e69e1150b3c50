/** A seeded random stream for tests and fuzzers (mulberry32): the same seed, the same sequence, on every machine. */
export function seededRandom(seed: number) {
  let s = seed >>> 0;
  /** Uniform in [0, 1). */
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    /** An integer in 0..n-1. */
    int,
    pick: <T>(xs: readonly T[]): T => xs[int(xs.length)]!,
    /** True with probability p. */
    chance: (p: number) => next() < p,
    /** Standard normal (Box–Muller). */
    normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
  };
}
