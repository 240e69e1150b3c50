/** Colours for tensor heatmaps: a diverging blue–neutral–red scale centred on zero (ColorBrewer RdBu ends). */

const NEG: readonly [number, number, number] = [33, 102, 172];
const POS: readonly [number, number, number] = [178, 24, 43];

/** RGB for `v` scaled by `limit` (> 0): −limit → blue, 0 → `neutral`, +limit → red; non-finite → magenta. */
export function diverging(v: number, limit: number, neutral: readonly [number, number, number]): [number, number, number] {
  if (!Number.isFinite(v)) return [255, 0, 255];
  const t = Math.max(-1, Math.min(1, limit > 0 ? v / limit : 0));
  const end = t < 0 ? NEG : POS;
  const a = Math.abs(t);
  return [0, 1, 2].map((k) => Math.round(neutral[k]! * (1 - a) + end[k]! * a)) as [number, number, number];
}

/**
 * RGBA pixels (alpha 255) of `diverging` for every value, written into `out` (4 bytes a value): one
 * pass without a triple per pixel, so a probe's heatmap redraws in a fraction of a frame.
 */
export function divergingPixels(
  values: ArrayLike<number>,
  limit: number,
  neutral: readonly [number, number, number],
  out: Uint8ClampedArray = new Uint8ClampedArray(4 * values.length),
): Uint8ClampedArray {
  const [n0, n1, n2] = neutral;
  for (let i = 0, o = 0; i < values.length; i++, o += 4) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      out[o] = 255;
      out[o + 1] = 0;
      out[o + 2] = 255;
    } else {
      const t = Math.max(-1, Math.min(1, limit > 0 ? v / limit : 0));
      const end = t < 0 ? NEG : POS;
      const a = Math.abs(t);
      out[o] = Math.round(n0 * (1 - a) + end[0] * a);
      out[o + 1] = Math.round(n1 * (1 - a) + end[1] * a);
      out[o + 2] = Math.round(n2 * (1 - a) + end[2] * a);
    }
    out[o + 3] = 255;
  }
  return out;
}

/** The largest |v| over finite values (1 when there are none or all are zero), the symmetric scale limit. */
export function symmetricLimit(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Math.abs(values[i]!);
    if (Number.isFinite(v) && v > m) m = v;
  }
  return m || 1;
}

/** `#rrggbb` (or `rgb(r, g, b)`) as a triple; white when unreadable. */
export function parseColour(text: string): [number, number, number] {
  const t = text.trim();
  const hex = /^#([0-9a-f]{6})$/i.exec(t);
  if (hex) {
    const v = parseInt(hex[1]!, 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  }
  const rgb = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/i.exec(t);
  return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])] : [255, 255, 255];
}
