/** Indexing by integer tensors: gather, its adjoint scatter_add, and one_hot. */
import { normalizeAxis, sizeOf } from '../../../ops/shape';
import { BackendError } from '../../backend';
import type { CpuKernelTable } from '../kernel';
import { storeAs } from './storage';

/**
 * A gather index outside its axis (TensorFlow and PyTorch raise too; WebGPU cannot, and reads zeros).
 * The kernel does not know its node: the backend names it with `at(node.origin)`.
 */
export class IndexRangeError extends BackendError {
  constructor(
    /** The offending index. */
    readonly index: number,
    /** Entries along the gathered axis: valid indices are 0..size-1. */
    readonly size: number,
    /** Its flat position in the indices tensor. */
    readonly position: number,
    node?: string,
  ) {
    super('validation', `index ${index} at position ${position} of the indices is outside 0..${size - 1} (the axis has ${size} entries)`, node);
    this.name = 'IndexRangeError';
  }

  /** The same error, belonging to document node `node` (a GraphNode's origin). */
  at(node: string | undefined): IndexRangeError {
    return new IndexRangeError(this.index, this.size, this.position, node);
  }
}

export const INDEXING_KERNELS = {
  /**
   * x seen as [outer, A, inner], indices flattened to J: out[o, j, i] = x[o, idx[j], i]. An index
   * outside [0, A) throws IndexRangeError (negative indices are out of range, not counted from the end).
   */
  gather: (inputs, { axis }, out, ctx) => {
    const [x, idx] = inputs as [(typeof inputs)[0], (typeof inputs)[0]];
    const a = normalizeAxis(axis, x.shape.length);
    const outer = sizeOf(x.shape.slice(0, a));
    const len = x.shape[a]!;
    const inner = sizeOf(x.shape.slice(a + 1));
    const ids = idx.data;
    for (let j = 0; j < ids.length; j++) if (!(ids[j]! >= 0 && ids[j]! < len)) throw new IndexRangeError(ids[j]!, len, j);
    const o = ctx.alloc(out.dtype, sizeOf(out.shape));
    for (let p = 0, k = 0; p < outer; p++) {
      for (let j = 0; j < ids.length; j++, k += inner) {
        const id = ids[j]!;
        const from = (p * len + id) * inner;
        o.set(x.data.subarray(from, from + inner), k);
      }
    }
    return o;
  },

  /** out seen as [outer, A, inner]: out[o, idx[j], i] += updates[o, j, i]; out-of-range idx[j] are dropped. */
  scatter_add: (inputs, { axis, shape }, out, ctx) => {
    const [u, idx] = inputs as [(typeof inputs)[0], (typeof inputs)[0]];
    const a = normalizeAxis(axis, shape.length);
    const outer = sizeOf(shape.slice(0, a));
    const len = shape[a]!;
    const inner = sizeOf(shape.slice(a + 1));
    const ids = idx.data;
    const ud = u.data;
    const acc = new Float64Array(sizeOf(shape));
    for (let p = 0, k = 0; p < outer; p++) {
      for (let j = 0; j < ids.length; j++, k += inner) {
        const id = ids[j]!;
        if (id < 0 || id >= len) continue;
        const to = (p * len + id) * inner;
        for (let i = 0; i < inner; i++) acc[to + i]! += ud[k + i]!;
      }
    }
    return storeAs(ctx, out.dtype, acc);
  },

  /** out[..., d] = 1 where d = idx[...], else 0 (all zeros for an out-of-range index). */
  one_hot: (inputs, { depth }, out, ctx) => {
    const ids = inputs[0]!.data;
    const o = ctx.alloc(out.dtype, sizeOf(out.shape));
    for (let j = 0; j < ids.length; j++) {
      const id = ids[j]!;
      if (id >= 0 && id < depth) o[j * depth + id] = 1;
    }
    return o;
  },
} satisfies Partial<CpuKernelTable>;
