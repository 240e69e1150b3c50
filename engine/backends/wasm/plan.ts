/**
 * Memory planning for one prepared graph: every value computed or fed in a run gets a byte range of
 * one arena, reused once the value's last reader has run (first fit by schedule order), so a
 * training step touches the same memory each run and allocates nothing.
 */

/** A value to place: it is written at schedule position `from` and read last at `to`. */
export interface Lifetime {
  readonly bytes: number;
  readonly from: number;
  readonly to: number;
}

/** Offsets (16-aligned) into one arena for each lifetime, and the arena's size. */
export function planArena(values: readonly Lifetime[]): { offsets: number[]; size: number } {
  const order = values.map((_v, i) => i).sort((a, b) => values[a]!.from - values[b]!.from || a - b);
  const live: { offset: number; end: number; to: number }[] = [];
  const offsets = new Array<number>(values.length).fill(0);
  let size = 0;
  for (const i of order) {
    const v = values[i]!;
    // A value may take the place of one whose last reader ran before v is written (not at the same
    // position: a kernel's output must not overlap its inputs).
    for (let j = live.length - 1; j >= 0; j--) if (live[j]!.to < v.from) live.splice(j, 1);
    live.sort((a, b) => a.offset - b.offset);
    const bytes = Math.ceil(Math.max(v.bytes, 1) / 16) * 16;
    let at = 0;
    for (const b of live) {
      if (b.offset - at >= bytes) break;
      at = Math.max(at, b.end);
    }
    offsets[i] = at;
    live.push({ offset: at, end: at + bytes, to: v.to });
    size = Math.max(size, at + bytes);
  }
  return { offsets, size };
}
