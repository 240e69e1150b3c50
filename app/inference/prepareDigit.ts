/**
 * A drawn digit prepared as MNIST's were (LeCun et al.): the ink's bounding box scaled, keeping its
 * aspect ratio, to fit a 20×20 box with area averaging (anti-aliased grey levels), then placed in the
 * 28×28 field so that its centre of mass sits at the field's centre. Values are ink in 0..1, like
 * engine/data/mnist.ts gives (white digit on black).
 */

export interface DigitOptions {
  /** Side of the output field (28). */
  readonly size?: number;
  /** Side of the box the digit is scaled to fit (20). */
  readonly box?: number;
  /** Ink below this counts as blank when finding the bounding box. */
  readonly threshold?: number;
}

/** The bounding box of ink ≥ threshold in a w×h image, or undefined when there is none. */
export function inkBounds(ink: ArrayLike<number>, w: number, h: number, threshold = 0.01): { x: number; y: number; w: number; h: number } | undefined {
  let [x0, y0, x1, y1] = [w, h, -1, -1];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (ink[y * w + x]! < threshold) continue;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  return x1 < 0 ? undefined : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

/**
 * Area-averaging resize of the region (rx, ry, rw, rh) of a w-wide image to ow×oh: each output
 * pixel is the mean of the source over the rectangle it covers, partial pixels weighted by overlap.
 */
export function areaResize(src: ArrayLike<number>, w: number, region: { x: number; y: number; w: number; h: number }, ow: number, oh: number): Float32Array {
  const out = new Float32Array(ow * oh);
  const sx = region.w / ow;
  const sy = region.h / oh;
  for (let oy = 0; oy < oh; oy++) {
    const ya = region.y + oy * sy;
    const yb = ya + sy;
    for (let ox = 0; ox < ow; ox++) {
      const xa = region.x + ox * sx;
      const xb = xa + sx;
      let sum = 0;
      for (let y = Math.floor(ya); y < Math.ceil(yb); y++) {
        const wy = Math.min(yb, y + 1) - Math.max(ya, y);
        for (let x = Math.floor(xa); x < Math.ceil(xb); x++) {
          const wx = Math.min(xb, x + 1) - Math.max(xa, x);
          sum += src[y * w + x]! * wx * wy;
        }
      }
      out[oy * ow + ox] = sum / (sx * sy);
    }
  }
  return out;
}

/** Centre of mass (x, y) of an image in pixel-index coordinates; undefined when it has no ink. */
export function centreOfMass(img: ArrayLike<number>, w: number, h: number): { x: number; y: number } | undefined {
  let [m, mx, my] = [0, 0, 0];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = img[y * w + x]!;
      m += v;
      mx += v * x;
      my += v * y;
    }
  }
  return m > 0 ? { x: mx / m, y: my / m } : undefined;
}

/** The drawing (ink 0..1, w×h, row-major) as a size×size MNIST digit; all zeros when nothing is drawn. */
export function prepareDigit(ink: ArrayLike<number>, w: number, h: number, options: DigitOptions = {}): Float32Array {
  const { size = 28, box = 20, threshold = 0.01 } = options;
  const out = new Float32Array(size * size);
  const bounds = inkBounds(ink, w, h, threshold);
  if (!bounds) return out;
  const scale = box / Math.max(bounds.w, bounds.h);
  const bw = Math.max(1, Math.round(bounds.w * scale));
  const bh = Math.max(1, Math.round(bounds.h * scale));
  const digit = areaResize(ink, w, bounds, bw, bh);
  const com = centreOfMass(digit, bw, bh)!;
  // Shift by whole pixels (no resampling blur) so the centre of mass lands nearest (size − 1)/2; keep the box inside.
  const centre = (size - 1) / 2;
  const left = Math.min(Math.max(Math.round(centre - com.x), 0), size - bw);
  const top = Math.min(Math.max(Math.round(centre - com.y), 0), size - bh);
  for (let y = 0; y < bh; y++) out.set(digit.subarray(y * bw, (y + 1) * bw), (top + y) * size + left);
  return out;
}
