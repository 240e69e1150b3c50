/**
 * Counter-based random numbers: a pure function of (seed, counter, index), so every backend draws
 * the same values in any order (the same integer maths is written in WGSL).
 */

/** Chris Wellons' lowbias32 integer hash: a bijection on u32 with good avalanche. */
export function lowbias32(x: number): number {
  x >>>= 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** A u32 for element `index` of draw number `counter` of the stream `seed`. */
export function hash32(seed: number, counter: number, index: number): number {
  return lowbias32(index ^ lowbias32(counter ^ lowbias32(seed)));
}

/** Uniform in [0, 1) from hash32, with 24 bits so the value is exact in f32. */
export function uniform01(seed: number, counter: number, index: number): number {
  return (hash32(seed, counter, index) >>> 8) / 16777216;
}

/** A small seeded generator for host-side work (initializers, shuffles, synthetic data). */
export class Rng {
  private counter = 0;
  constructor(private readonly seed: number) {}

  /** Uniform in [0, 1). */
  next(): number {
    return uniform01(this.seed, 0x5eed, this.counter++);
  }

  /** Standard normal by Box–Muller. */
  normal(): number {
    const u = 1 - this.next(); // (0, 1]
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}
