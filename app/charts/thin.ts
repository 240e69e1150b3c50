/**
 * The one thinning rule for curves, used for the bounded training history, the stored runs and the
 * points a chart draws: keep the first and the newest point and the points whose step is a multiple of
 * a power-of-two stride, the smallest such stride that leaves at most `max`. Because the rule goes by
 * step, not by position, a growing curve keeps the same points from one redraw to the next (no
 * shimmer), and thinning an already thinned curve again gives what thinning the whole would.
 */

/** A thinned list and the stride its kept steps are multiples of (pass it back when appending). */
export interface Thinned<T> {
  readonly items: T[];
  readonly stride: number;
}

export interface ThinOptions<T> {
  /** Start from this stride (a history that was thinned before keeps its stride); a power of two, default 1. */
  readonly stride?: number;
  /** Items kept whatever their step (a chart keeps NaN and ∞ points so a spike stays visible); they count toward `max` only once the rest is thinned. */
  readonly keep?: (item: T) => boolean;
}

/** At most `max` items (plus any `keep` asks for) of `items`, sorted by step; see the file's comment. */
export function thinBySteps<T extends { readonly step: number }>(items: readonly T[], max: number, options: ThinOptions<T> = {}): Thinned<T> {
  if (!(max >= 2)) throw new RangeError(`a thinned curve keeps at least 2 points (the first and the newest), not ${max}`);
  let stride = options.stride ?? 1;
  if (!(stride >= 1) || !Number.isInteger(Math.log2(stride))) throw new RangeError(`a thinning stride is a power of two, not ${stride}`);
  const keep = options.keep;
  const last = items.length - 1;
  const pick = (s: number) => items.filter((p, i) => i === 0 || i === last || p.step % s === 0 || (keep !== undefined && keep(p)));
  let out = stride === 1 && items.length <= max ? [...items] : pick(stride);
  // Past the last step only the first, the newest (and kept) items remain: stop there.
  const span = Math.max(1, Math.abs(items[last]?.step ?? 1), Math.abs(items[0]?.step ?? 1));
  while (out.length > max && stride <= span) {
    stride *= 2;
    out = pick(stride);
  }
  return { items: out, stride };
}
