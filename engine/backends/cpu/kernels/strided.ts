/** Strided views and a walker over their rows: the index maths behind broadcasting, transpose, slice and pad. */
import type { Shape } from '../../../ops/types';
import { stridesOf } from '../../../ops/shape';
import type { Data } from '../kernel';

/** Strides that read a tensor of `inShape` as if broadcast to `outShape` (0 along stretched or missing dims). */
export function broadcastStrides(inShape: Shape, outShape: Shape): number[] {
  const inStrides = stridesOf(inShape);
  const lead = outShape.length - inShape.length;
  return outShape.map((_d, i) => (i < lead || inShape[i - lead] === 1 ? 0 : inStrides[i - lead]!));
}

/**
 * Walks several strided views of one logical shape row by row. Element t of view v lives at
 * offsets[v] + Σ t[d]·strides[v][d]. Dims of size 1 are dropped and dims that are contiguous in
 * every view are merged, so equal shapes become one long row and a bias add becomes rows of bias.
 * Usage: for (let r = 0; r < w.count; r++, w.next()) for (let j = 0; j < w.length; j++) ... w.base[v] + j·w.step[v].
 */
export class RowWalker {
  /** Number of rows. */
  readonly count: number;
  /** Elements per row. */
  readonly length: number;
  /** Per view: distance between consecutive elements of a row. */
  readonly step: number[];
  /** Per view: offset of the current row's first element. */
  readonly base: number[];
  private readonly dims: number[];
  private readonly strides: number[][];
  private readonly index: number[];

  constructor(shape: Shape, strides: readonly (readonly number[])[], offsets?: readonly number[]) {
    const views = strides.length;
    let dims: number[] = [];
    let st: number[][] = strides.map(() => []);
    shape.forEach((d, i) => {
      if (d === 1) return;
      const last = dims.length - 1;
      if (last >= 0 && strides.every((s, v) => st[v]![last] === s[i]! * d)) {
        dims[last]! *= d; // merge into the previous dim: contiguous in every view
        st.forEach((s, v) => (s[last] = strides[v]![i]!));
      } else {
        dims.push(d);
        st.forEach((s, v) => s.push(strides[v]![i]!));
      }
    });
    if (dims.length === 0) {
      dims = [1];
      st = st.map(() => [0]);
    }
    const r = dims.length - 1;
    this.length = dims[r]!;
    this.step = st.map((s) => s[r]!);
    this.dims = dims.slice(0, r);
    this.strides = st.map((s) => s.slice(0, r));
    this.count = this.dims.reduce((n, d) => n * d, 1) * (this.length === 0 ? 0 : 1);
    this.base = offsets ? [...offsets] : new Array<number>(views).fill(0);
    this.index = new Array<number>(r).fill(0);
  }

  /** Advance to the next row (odometer over the outer dims). */
  next(): void {
    const base = this.base;
    for (let d = this.dims.length - 1; d >= 0; d--) {
      const size = this.dims[d]!;
      for (let v = 0; v < base.length; v++) base[v]! += this.strides[v]![d]!;
      if (++this.index[d]! < size) return;
      this.index[d] = 0;
      for (let v = 0; v < base.length; v++) base[v]! -= this.strides[v]![d]! * size;
    }
  }
}

/** Copy a strided view of `src` (shape, strides, offset) into `dst` (contiguous from dstOffset, or strided). */
export function copyStrided(
  shape: Shape,
  dst: Data,
  dstStrides: readonly number[],
  dstOffset: number,
  src: Data,
  srcStrides: readonly number[],
  srcOffset: number,
): void {
  const w = new RowWalker(shape, [dstStrides, srcStrides], [dstOffset, srcOffset]);
  const [ds, ss] = w.step as [number, number];
  for (let r = 0; r < w.count; r++, w.next()) {
    const d0 = w.base[0]!;
    const s0 = w.base[1]!;
    if (ds === 1 && ss === 1) dst.set(src.subarray(s0, s0 + w.length), d0);
    else for (let j = 0; j < w.length; j++) dst[d0 + j * ds] = src[s0 + j * ss]!;
  }
}
