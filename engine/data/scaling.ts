/** Rescaling of feature columns, with statistics taken from the training split only (no leakage). */
import type { Scaling } from '../graph/training';

/** Per-column offset and scale: scaled = (value - offset) / scale. */
export interface ColumnScaling {
  readonly offset: Float64Array;
  readonly scale: Float64Array;
}

/**
 * Statistics of the `columns` of the row-major matrix x (width columns) over the rows in `rows`.
 * standardize: offset = mean, scale = population std; minmax: offset = min, scale = max - min;
 * a constant column gets scale 1 so it maps to 0 rather than to NaN.
 */
export function fitScaling(x: Float32Array, width: number, rows: ArrayLike<number>, columns: readonly number[], kind: Scaling): ColumnScaling {
  const offset = new Float64Array(width);
  const scale = new Float64Array(width).fill(1);
  if (kind === 'none' || rows.length === 0) return { offset, scale };
  for (const c of columns) {
    if (kind === 'standardize') {
      let sum = 0;
      for (let i = 0; i < rows.length; i++) sum += x[rows[i]! * width + c]!;
      const mean = sum / rows.length;
      let sq = 0;
      for (let i = 0; i < rows.length; i++) sq += (x[rows[i]! * width + c]! - mean) ** 2;
      const std = Math.sqrt(sq / rows.length);
      offset[c] = mean;
      scale[c] = std > 0 ? std : 1;
    } else {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < rows.length; i++) {
        const v = x[rows[i]! * width + c]!;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      offset[c] = lo;
      scale[c] = hi > lo ? hi - lo : 1;
    }
  }
  return { offset, scale };
}

/** Apply the scaling to every row of x in place. */
export function applyScaling(x: Float32Array, width: number, s: ColumnScaling): void {
  for (let i = 0; i < x.length; i++) {
    const c = i % width;
    x[i] = (x[i]! - s.offset[c]!) / s.scale[c]!;
  }
}
