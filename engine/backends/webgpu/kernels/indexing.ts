/**
 * Indexing by integer tensors: gather, its adjoint scatter_add, and one_hot. scatter_add runs one
 * thread per OUTPUT element (or 4 adjacent ones) that loops over the indices, so no f32 atomics are needed and sums
 * come out in the CPU reference's order.
 */
import { normalizeAxis, sizeOf } from '../../../ops/shape';
import type { TensorType } from '../../../ops/types';
import type { WgslKernelTable } from '../kernel';
import { inputsNamed, lit, perElement, u } from '../wgsl';

export const INDEXING_KERNELS = {
  /**
   * x seen as [outer, A, inner], indices flattened to J: out[o, j, i] = x[o, idx[j], i]. An index
   * outside [0, A) is an error that a shader cannot raise: it reads 0 there (never out of bounds),
   * where the CPU reference throws. Sparse labels are checked on the host (engine/data/labels.ts).
   */
  gather: ({ inputs, attrs: { axis }, out }) => {
    const [x, idx] = inputs as [TensorType, TensorType];
    const a = normalizeAxis(axis, x.shape.length);
    const len = x.shape[a]!;
    const inner = sizeOf(x.shape.slice(a + 1));
    const J = sizeOf(idx.shape);
    const body = `  let p = i / ${u(J * inner)};
  let j = (i / ${u(inner)}) % ${u(J)};
  let id = x1[j];
  var v = ${lit(0, x.dtype)};
  if (id >= 0i && id < ${len}i) { v = x0[(p * ${u(len)} + u32(id)) * ${u(inner)} + i % ${u(inner)}]; }
  out[i] = v;`;
    return { dispatches: [perElement(inputsNamed([x.dtype, idx.dtype]), [0, 1], out.dtype, sizeOf(out.shape), body)] };
  },

  /**
   * out seen as [outer, A, inner]: out[o, a, i] = Σ over j with idx[j] = a of updates[o, j, i].
   * When inner is a multiple of 4 (an embedding's gradient), a thread sums 4 adjacent outputs, so
   * each index is read and compared once per 4 outputs (each output's sum keeps its order).
   */
  scatter_add: ({ inputs, attrs: { axis, shape }, out }) => {
    const [upd, idx] = inputs as [TensorType, TensorType];
    const a = normalizeAxis(axis, shape.length);
    const len = shape[a]!;
    const inner = sizeOf(shape.slice(a + 1));
    const J = sizeOf(idx.shape);
    const w = inner % 4 === 0 ? 4 : 1;
    const lanes = Array.from({ length: w }, (_v, k) => k);
    const body = `  let e = i * ${u(w)};
  let p = e / ${u(len * inner)};
  let at = i32((e / ${u(inner)}) % ${u(len)});
  let base = p * ${u(J * inner)} + e % ${u(inner)};
${lanes.map((k) => `  var acc${k} = ${lit(0, out.dtype)};`).join('\n')}
  for (var j = 0u; j < ${u(J)}; j++) {
    if (x1[j] == at) {
      let r = base + j * ${u(inner)};
${lanes.map((k) => `      acc${k} += x0[r${k ? ` + ${u(k)}` : ''}];`).join('\n')}
    }
  }
${lanes.map((k) => `  out[e${k ? ` + ${u(k)}` : ''}] = acc${k};`).join('\n')}`;
    return { dispatches: [perElement(inputsNamed([upd.dtype, idx.dtype]), [0, 1], out.dtype, sizeOf(out.shape) / w, body)] };
  },

  /** out[..., d] = 1 where d = idx[...], else 0 (all zeros for an out-of-range index). */
  one_hot: ({ inputs, attrs: { depth }, out }) => {
    const body = `  out[i] = select(0.0, 1.0, x0[i / ${u(depth)}] == i32(i % ${u(depth)}));`;
    return { dispatches: [perElement(inputsNamed([inputs[0]!.dtype]), [0], out.dtype, sizeOf(out.shape), body)] };
  },
} satisfies Partial<WgslKernelTable>;
