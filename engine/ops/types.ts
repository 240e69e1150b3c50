/**
 * The closed op set: every op's name and the attributes it takes.
 *
 * Conventions every rule and kernel follows:
 * - Shapes are row-major; a scalar has shape [].
 * - Binary elementwise ops broadcast with NumPy rules (align trailing dims; size-1 dims stretch).
 * - Images are NHWC ([batch, height, width, channels]) and conv filters HWIO
 *   ([kh, kw, inChannels / groups, outChannels]), as in TensorFlow and Keras.
 * - Axes may be negative (counted from the end); rules normalise them.
 * - NaN propagates (PyTorch's rule): maximum, minimum, max, max_pool2d and relu of NaN are NaN, and
 *   argmax picks the first NaN. WebGPU tests NaN by its bits, which finite-math compilers keep.
 * - f32 subnormals (|x| < 1.18e-38) may be flushed to zero on WebGPU (WGSL allows it); the CPU keeps them.
 */

/** Element types a tensor can hold. `bool` is stored as 0/1. */
export type DType = 'f32' | 'i32' | 'bool';

/** A tensor's dimensions, outermost first. */
export type Shape = readonly number[];

/** Shape and element type of a value, known at compile time. */
export interface TensorType {
  readonly shape: Shape;
  readonly dtype: DType;
}

type NoAttrs = Record<string, never>;

/** Padding as [top, bottom, left, right] in pixels. */
export type Padding4 = readonly [number, number, number, number];

/** Spatial window settings shared by conv and pooling ops. */
export interface Window2D {
  /** Window size [kh, kw] (pooling only; conv takes it from the filter). */
  readonly size: readonly [number, number];
  /** Step between windows [sh, sw]. */
  readonly stride: readonly [number, number];
  /** Zero padding [top, bottom, left, right]; padded cells are ignored by max/avg pool. */
  readonly padding: Padding4;
}

/** Conv settings: out[n,y,x,co] = sum over ky,kx,ci of in[n, y*sh+ky*dh-pt, x*sw+kx*dw-pl, g*cig+ci] * w[ky,kx,ci,co]. */
export interface ConvAttrs {
  readonly stride: readonly [number, number];
  readonly padding: Padding4;
  readonly dilation: readonly [number, number];
  /** Channel groups: in and out channels are split into this many independent convolutions. */
  readonly groups: number;
}

/** Attributes of every op, keyed by op name. */
export interface OpAttrs {
  // Binary elementwise, broadcasting.
  add: NoAttrs;
  sub: NoAttrs;
  mul: NoAttrs;
  div: NoAttrs;
  /**
   * a ** b as IEEE 754 pow (C, PyTorch): a ** 0 = 1 and 1 ** b = 1 even for NaN; 0 ** b<0 = +inf
   * (-inf for -0 and an odd integer b); a negative base gives a real result only for an integer b
   * (NaN otherwise); (-1) ** ±inf = 1. i32: exact, wrapping; a negative power is 0 unless |a| = 1.
   */
  pow: NoAttrs;
  /** Smaller of a and b; NaN if either is NaN. */
  minimum: NoAttrs;
  /** Larger of a and b; NaN if either is NaN (so relu written as maximum(x, 0) keeps NaN). */
  maximum: NoAttrs;
  // Comparisons: broadcasting, output dtype bool.
  less: NoAttrs;
  less_equal: NoAttrs;
  greater: NoAttrs;
  greater_equal: NoAttrs;
  equal: NoAttrs;
  not_equal: NoAttrs;
  // Unary elementwise (f32 in, f32 out; neg/abs/sign also keep i32).
  neg: NoAttrs;
  exp: NoAttrs;
  log: NoAttrs;
  sqrt: NoAttrs;
  abs: NoAttrs;
  /** -1, 0 or 1. */
  sign: NoAttrs;
  relu: NoAttrs;
  /** x > 0 ? x : alpha * x */
  leaky_relu: { readonly alpha: number };
  /** x > 0 ? x : alpha * (exp(x) - 1) */
  elu: { readonly alpha: number };
  /** Tanh approximation: 0.5x(1 + tanh(sqrt(2/pi)(x + 0.044715x^3))). */
  gelu: NoAttrs;
  sigmoid: NoAttrs;
  tanh: NoAttrs;
  /** log(1 + exp(x)), computed stably. */
  softplus: NoAttrs;
  /**
   * Convert element type; bool→number gives 0/1, number→bool is x != 0 (NaN → true). f32→i32 truncates
   * toward zero and saturates: beyond the i32 range (±inf too) gives -2^31 or 2^31 - 1, and NaN gives 0
   * (WGSL's and most hardware's rule; C++ leaves it undefined). full and constant convert the same way.
   */
  cast: { readonly dtype: DType };
  /** cond ? a : b with three-way broadcasting; cond is bool; a and b share a dtype. */
  where: NoAttrs;
  /** Exact copy whose gradient is zero (no gradient flows back). */
  stop_gradient: NoAttrs;
  // Sources that compute (no inputs).
  /** A tensor filled with one value. */
  full: { readonly shape: Shape; readonly value: number; readonly dtype: DType };
  /** A literal tensor; values are row-major and converted to dtype. */
  constant: { readonly shape: Shape; readonly values: readonly number[]; readonly dtype: DType };
  /**
   * Uniform [0,1) f32 noise of the given shape, a pure function of (seed, counter, index) so a
   * program is deterministic: input 0 is a scalar counter (the training step) that changes the draw.
   * Element i = hash32(seed, counter, i) / 2^32 with hash32 from engine/ops/random.ts.
   */
  random_uniform: { readonly shape: Shape; readonly seed: number };
  // Along one axis.
  softmax: { readonly axis: number };
  log_softmax: { readonly axis: number };
  /** Index of the largest value along axis (first one on ties; the first NaN if there is one, as PyTorch), i32, axis removed. */
  argmax: { readonly axis: number };
  /**
   * Batched matrix product over the last two dims; leading (batch) dims broadcast.
   * transA/transB read the operand as if its last two dims were swapped. Rank >= 2 for both.
   */
  matmul: { readonly transA: boolean; readonly transB: boolean };
  // Reductions; axes sorted and unique after normalisation; empty axes list = reduce nothing.
  sum: { readonly axes: readonly number[]; readonly keepdims: boolean };
  mean: { readonly axes: readonly number[]; readonly keepdims: boolean };
  /** Largest value; NaN if any reduced element is NaN (NaN propagates, as PyTorch). */
  max: { readonly axes: readonly number[]; readonly keepdims: boolean };
  // Data movement.
  /** Same elements in row-major order; one dim may be -1 (inferred). */
  reshape: { readonly shape: Shape };
  /** out.shape[i] = in.shape[perm[i]]. */
  transpose: { readonly perm: readonly number[] };
  /** NumPy broadcast of the input to shape. */
  broadcast_to: { readonly shape: Shape };
  /** Join any number (>= 1) of inputs along axis; other dims must match. */
  concat: { readonly axis: number };
  /** out = in[begin[d] : begin[d] + size[d]] per dim (size -1 = to the end). */
  slice: { readonly begin: readonly number[]; readonly size: readonly number[] };
  /** Zero padding: pads[d] = [before, after]. */
  pad: { readonly pads: readonly (readonly [number, number])[] };
  /**
   * Take along axis by integer index: in [..., A, ...] and indices of shape I (i32) give
   * [...before axis, ...I, ...after axis]. An index outside [0, A) is an error: the CPU reference
   * throws (IndexRangeError, naming the index and where it is); WebGPU cannot throw, and gives zeros there.
   */
  gather: { readonly axis: number };
  /**
   * The gradient of gather: inputs (updates, indices); out has dims of `shape`, and
   * out[..., indices[j], ...] += updates[..., j, ...]. Out-of-range indices are dropped.
   */
  scatter_add: { readonly axis: number; readonly shape: Shape };
  /** i32 indices of shape I → f32 [...I, depth] with 1 at the index (out-of-range: all zeros). */
  one_hot: { readonly depth: number };
  // Images (NHWC).
  /** Inputs (x [N,H,W,Ci], w [kh,kw,Ci/groups,Co]). */
  conv2d: ConvAttrs;
  /** Inputs (dy, w): the gradient of conv2d wrt x, whose shape is inputShape. */
  conv2d_grad_input: ConvAttrs & { readonly inputShape: Shape };
  /** Inputs (x, dy): the gradient of conv2d wrt w, whose shape is filterShape. */
  conv2d_grad_filter: ConvAttrs & { readonly filterShape: Shape };
  /** Largest in-image value of each window; NaN if the window holds one (NaN propagates, as PyTorch). */
  max_pool2d: Window2D;
  /** Inputs (x, dy): routes each dy to the first max (or first NaN) in its window, summing overlaps. */
  max_pool2d_grad: Window2D;
  /** Average over the window's cells that lie inside the image (padding excluded from the count). */
  avg_pool2d: Window2D;
  /** Input dy; out shape is inputShape. */
  avg_pool2d_grad: Window2D & { readonly inputShape: Shape };
}

/** Every op name. */
export type Op = keyof OpAttrs;

/** The attributes of op O. */
export type Attrs<O extends Op> = OpAttrs[O];

/** Every op name as a runtime list (kept exhaustive by the `satisfies` check below). */
export const OPS = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'minimum',
  'maximum',
  'less',
  'less_equal',
  'greater',
  'greater_equal',
  'equal',
  'not_equal',
  'neg',
  'exp',
  'log',
  'sqrt',
  'abs',
  'sign',
  'relu',
  'leaky_relu',
  'elu',
  'gelu',
  'sigmoid',
  'tanh',
  'softplus',
  'cast',
  'where',
  'stop_gradient',
  'full',
  'constant',
  'random_uniform',
  'softmax',
  'log_softmax',
  'argmax',
  'matmul',
  'sum',
  'mean',
  'max',
  'reshape',
  'transpose',
  'broadcast_to',
  'concat',
  'slice',
  'pad',
  'gather',
  'scatter_add',
  'one_hot',
  'conv2d',
  'conv2d_grad_input',
  'conv2d_grad_filter',
  'max_pool2d',
  'max_pool2d_grad',
  'avg_pool2d',
  'avg_pool2d_grad',
] as const satisfies readonly Op[];

type Missing = Exclude<Op, (typeof OPS)[number]>;
// If this line fails to compile, an op was added to OpAttrs but not to OPS.
export const OPS_COMPLETE: Missing extends never ? true : Missing = true;

/** A shape or dtype rule was broken; `message` says how, in the user's words. */
export class ShapeError extends Error {
  constructor(
    message: string,
    readonly kind: 'shape' | 'dtype' = 'shape',
  ) {
    super(message);
    this.name = 'ShapeError';
  }
}
