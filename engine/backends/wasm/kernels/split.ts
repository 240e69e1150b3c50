/** Splitting a kernel's work between threads. */

/** [from, to) ranges that cover 0..count in at most `parts` nearly equal, non-empty pieces, in order. */
export function splitEvenly(count: number, parts: number): [number, number][] {
  const n = Math.max(1, Math.min(parts, count));
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) out.push([Math.floor((i * count) / n), Math.floor(((i + 1) * count) / n)]);
  return out;
}
