import { ShapeError, type Shape } from './types';

/** Number of elements in a tensor of this shape (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides: strides[i] = product of shape[i+1..]. */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** NumPy broadcasting of any number of shapes; throws ShapeError naming both shapes. */
export function broadcastShapes(...shapes: Shape[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i;
      const d = s[i]!;
      if (d === out[o] || d === 1) continue;
      if (out[o] === 1) out[o] = d;
      else throw new ShapeError(`shapes ${shapes.map(formatShape).join(' and ')} cannot be broadcast together`);
    }
  }
  return out;
}

/** Turn a possibly negative axis into 0..rank-1, or throw. */
export function normalizeAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new ShapeError(`axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return a;
}

/** Normalised, sorted, de-duplicated axes. */
export function normalizeAxes(axes: readonly number[], rank: number): number[] {
  return [...new Set(axes.map((a) => normalizeAxis(a, rank)))].sort((x, y) => x - y);
}

/** Shape after reducing `axes` (already normalised). */
export function reducedShape(shape: Shape, axes: readonly number[], keepdims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepdims) out.push(1);
  });
  return out;
}

/** Resolve a reshape target with at most one -1. */
export function resolveReshape(from: Shape, to: Shape): number[] {
  const total = sizeOf(from);
  const unknown = to.filter((d) => d === -1).length;
  if (unknown > 1) throw new ShapeError(`reshape target ${formatShape(to)} has more than one -1`);
  if (to.some((d) => d !== -1 && (!Number.isInteger(d) || d < 0))) {
    throw new ShapeError(`reshape target ${formatShape(to)} has an invalid dimension`);
  }
  const known = to.reduce((a, d) => (d === -1 ? a : a * d), 1);
  const out = to.map((d) => (d === -1 ? (known === 0 ? 0 : total / known) : d));
  if (!out.every(Number.isInteger) || sizeOf(out) !== total) {
    throw new ShapeError(`cannot reshape ${formatShape(from)} (${total} elements) to ${formatShape(to)}`);
  }
  return out;
}

/** Output size of a sliding window along one dimension. */
export function windowOut(inSize: number, k: number, stride: number, padBefore: number, padAfter: number, dilation = 1): number {
  const eff = (k - 1) * dilation + 1;
  return Math.floor((inSize + padBefore + padAfter - eff) / stride) + 1;
}
