/**
 * The op table: for every op, its shape/dtype rule and its gradient written with other ops.
 * The table is an exhaustive mapped type, so adding an op to OpAttrs does not compile until its
 * rules exist here (and kernels exist in every backend's table).
 */
import type { OpBuilder } from './builder';
import { broadcastShapes, formatShape, normalizeAxes, normalizeAxis, reducedShape, resolveReshape, sizeOf, windowOut } from './shape';
import { ShapeError, type Attrs, type ConvAttrs, type DType, type Op, type TensorType, type Window2D } from './types';

/**
 * A gradient rule: given the op's inputs `x`, its output `out` and the incoming gradient `g`
 * (shaped like `out`), return one gradient per input (null where none flows).
 */
export type GradRule<O extends Op> = <T>(b: OpBuilder<T>, x: readonly T[], out: T, g: T, attrs: Attrs<O>) => readonly (T | null)[];

/** Everything the engine knows about an op apart from its kernels. */
export interface OpDef<O extends Op> {
  /** Number of inputs, or 'variadic' (one or more). */
  readonly arity: number | 'variadic';
  /** Output shape and dtype from input types; throws ShapeError on bad input. */
  infer(inputs: readonly TensorType[], attrs: Attrs<O>): TensorType;
  /** Gradient rule; null when the op is piecewise constant (no gradient flows through it). */
  readonly grad: GradRule<O> | null;
}

const t = (shape: readonly number[], dtype: DType): TensorType => ({ shape, dtype });

function expectDtype(x: TensorType, allowed: readonly DType[], what: string): void {
  if (!allowed.includes(x.dtype)) {
    throw new ShapeError(`${what} expects ${allowed.join(' or ')} but got ${x.dtype}`, 'dtype');
  }
}

function expectRank(x: TensorType, rank: number, what: string): void {
  if (x.shape.length !== rank) {
    throw new ShapeError(`${what} expects a rank-${rank} tensor but got shape ${formatShape(x.shape)}`);
  }
}

function sameDtype(a: TensorType, b: TensorType, what: string): void {
  if (a.dtype !== b.dtype) throw new ShapeError(`${what} needs inputs of one dtype but got ${a.dtype} and ${b.dtype}`, 'dtype');
}

// ---- elementwise families -------------------------------------------------------------------

function binary<O extends Op>(grad: GradRule<O> | null, outBool = false): OpDef<O> {
  return {
    arity: 2,
    infer([a, b]) {
      sameDtype(a!, b!, 'this op');
      if (!outBool) expectDtype(a!, ['f32', 'i32'], 'arithmetic');
      return t(broadcastShapes(a!.shape, b!.shape), outBool ? 'bool' : a!.dtype);
    },
    grad,
  };
}

function unary<O extends Op>(grad: GradRule<O> | null, dtypes: readonly DType[] = ['f32']): OpDef<O> {
  return {
    arity: 1,
    infer([x]) {
      expectDtype(x!, dtypes, 'this op');
      return x!;
    },
    grad,
  };
}

/** Gradient of a broadcasting binary op from the two local derivatives' products with g. */
function reduceBoth<T>(b: OpBuilder<T>, x: readonly T[], ga: T | null, gb: T | null): (T | null)[] {
  return [ga && b.sumTo(ga, b.shape(x[0]!)), gb && b.sumTo(gb, b.shape(x[1]!))];
}

/** d min(a,b)/da: 1 where a<b, 0.5 on ties (the gradient is split), else 0. */
function minMaxGrad<T>(b: OpBuilder<T>, x: readonly T[], g: T, firstWins: T): (T | null)[] {
  const [p, q] = x as [T, T];
  const wa = b.add(b.mask(firstWins), b.scale(b.mask(b.equal(p, q)), 0.5));
  const ga = b.mul(g, wa);
  return reduceBoth(b, x, ga, b.sub(g, ga));
}

// ---- reductions -------------------------------------------------------------------------------

function reduction<O extends 'sum' | 'mean' | 'max'>(dtypes: readonly DType[], grad: GradRule<O>): OpDef<O> {
  return {
    arity: 1,
    infer([x], { axes, keepdims }) {
      expectDtype(x!, dtypes, 'this reduction');
      return t(reducedShape(x!.shape, normalizeAxes(axes, x!.shape.length), keepdims), x!.dtype);
    },
    grad,
  };
}

/** g from a reduction, reshaped with kept dims and broadcast back to the input's shape. */
function unreduce<T>(b: OpBuilder<T>, x: T, g: T, axes: readonly number[]): T {
  const shape = b.shape(x);
  const norm = normalizeAxes(axes, shape.length);
  return b.broadcastTo(b.reshape(g, reducedShape(shape, norm, true)), shape);
}

// ---- images -----------------------------------------------------------------------------------

function positivePair(v: readonly number[], what: string): void {
  if (v.length !== 2 || !v.every((d) => Number.isInteger(d) && d >= 1)) throw new ShapeError(`${what} must be two integers ≥ 1, got [${v.join(', ')}]`);
}

function convOut(x: TensorType, w: TensorType, a: ConvAttrs): number[] {
  positivePair(a.stride, 'conv2d stride');
  positivePair(a.dilation, 'conv2d dilation');
  expectRank(x, 4, 'conv2d input (NHWC)');
  expectRank(w, 4, 'conv2d filter (kh, kw, in/groups, out)');
  expectDtype(x, ['f32'], 'conv2d');
  const [n, h, wd, c] = x.shape as [number, number, number, number];
  const [kh, kw, ci, co] = w.shape as [number, number, number, number];
  const g = a.groups;
  if (!Number.isInteger(g) || g < 1 || c % g !== 0 || co % g !== 0) {
    throw new ShapeError(`conv2d groups=${g} must divide input channels ${c} and output channels ${co}`);
  }
  if (ci !== c / g) {
    throw new ShapeError(`conv2d filter ${formatShape(w.shape)} expects ${ci * g} input channels but the input has ${c}`);
  }
  const ho = windowOut(h, kh, a.stride[0], a.padding[0], a.padding[1], a.dilation[0]);
  const wo = windowOut(wd, kw, a.stride[1], a.padding[2], a.padding[3], a.dilation[1]);
  if (ho < 1 || wo < 1) {
    throw new ShapeError(`conv2d window ${kh}x${kw} does not fit the ${h}x${wd} input`);
  }
  return [n, ho, wo, co];
}

function poolOut(x: TensorType, a: Window2D, what: string): number[] {
  expectRank(x, 4, `${what} input (NHWC)`);
  expectDtype(x, ['f32'], what);
  positivePair(a.size, `${what} window`);
  positivePair(a.stride, `${what} stride`);
  // As in TensorFlow and PyTorch: a window must always overlap the image.
  if (a.padding[0] >= a.size[0] || a.padding[1] >= a.size[0] || a.padding[2] >= a.size[1] || a.padding[3] >= a.size[1]) {
    throw new ShapeError(`${what} padding [${a.padding.join(', ')}] must be smaller than the ${a.size.join('x')} window`);
  }
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const ho = windowOut(h, a.size[0], a.stride[0], a.padding[0], a.padding[1]);
  const wo = windowOut(w, a.size[1], a.stride[1], a.padding[2], a.padding[3]);
  if (ho < 1 || wo < 1) throw new ShapeError(`${what} window ${a.size.join('x')} does not fit the ${h}x${w} input`);
  return [n, ho, wo, c];
}

function noSecondOrder<O extends Op>(name: string): GradRule<O> {
  return () => {
    throw new ShapeError(`second-order gradients through ${name} are not supported`);
  };
}

function matmulOut(a: TensorType, b: TensorType, { transA, transB }: Attrs<'matmul'>): number[] {
  expectDtype(a, ['f32'], 'matmul');
  sameDtype(a, b, 'matmul');
  if (a.shape.length < 2 || b.shape.length < 2) {
    throw new ShapeError(`matmul needs operands of rank >= 2 but got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  const ra = a.shape.length;
  const rb = b.shape.length;
  const [m, k1] = transA ? [a.shape[ra - 1]!, a.shape[ra - 2]!] : [a.shape[ra - 2]!, a.shape[ra - 1]!];
  const [k2, n] = transB ? [b.shape[rb - 1]!, b.shape[rb - 2]!] : [b.shape[rb - 2]!, b.shape[rb - 1]!];
  if (k1 !== k2) {
    throw new ShapeError(
      `matmul inner dimensions differ: ${formatShape(a.shape)}${transA ? 'ᵀ' : ''} · ${formatShape(b.shape)}${transB ? 'ᵀ' : ''} (${k1} vs ${k2})`,
    );
  }
  return [...broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2)), m, n];
}

// ---- the table ----------------------------------------------------------------------------------

export const OP_DEFS: { readonly [O in Op]: OpDef<O> } = {
  add: binary((b, x, _o, g) => reduceBoth(b, x, g, g)),
  sub: binary((b, x, _o, g) => reduceBoth(b, x, g, b.neg(g))),
  mul: binary((b, x, _o, g) => reduceBoth(b, x, b.mul(g, x[1]!), b.mul(g, x[0]!))),
  div: binary((b, x, out, g) => reduceBoth(b, x, b.div(g, x[1]!), b.neg(b.div(b.mul(g, out), x[1]!)))),
  pow: binary((b, x, out, g) => {
    const base = x[0]!;
    const exponent = x[1]!;
    const da = b.mul(g, b.mul(exponent, b.pow(base, b.sub(exponent, b.scalar(1)))));
    const positive = b.greater(base, b.scalar(0));
    const logBase = b.where(positive, b.log(b.where(positive, base, b.scalar(1))), b.scalar(0));
    return reduceBoth(b, x, da, b.mul(g, b.mul(out, logBase)));
  }),
  minimum: binary((b, x, _o, g) => minMaxGrad(b, x, g, b.less(x[0]!, x[1]!))),
  maximum: binary((b, x, _o, g) => minMaxGrad(b, x, g, b.greater(x[0]!, x[1]!))),
  less: binary(null, true),
  less_equal: binary(null, true),
  greater: binary(null, true),
  greater_equal: binary(null, true),
  equal: binary(null, true),
  not_equal: binary(null, true),

  neg: unary((b, _x, _o, g) => [b.neg(g)], ['f32', 'i32']),
  exp: unary((b, _x, out, g) => [b.mul(g, out)]),
  log: unary((b, x, _o, g) => [b.div(g, x[0]!)]),
  sqrt: unary((b, _x, out, g) => [b.div(g, b.scale(out, 2))]),
  abs: unary((b, x, _o, g) => [b.mul(g, b.sign(x[0]!))], ['f32', 'i32']),
  sign: unary(null, ['f32', 'i32']),
  relu: unary((b, x, _o, g) => [b.mul(g, b.mask(b.greater(x[0]!, b.scalar(0))))]),
  leaky_relu: unary((b, x, _o, g, { alpha }) => [b.where(b.greater(x[0]!, b.scalar(0)), g, b.scale(g, alpha))]),
  elu: unary((b, x, out, g, { alpha }) => [b.where(b.greater(x[0]!, b.scalar(0)), g, b.mul(g, b.add(out, b.scalar(alpha))))]),
  gelu: unary((b, x, _o, g) => {
    // d/dx 0.5x(1+tanh(u)) = 0.5(1+tanh u) + 0.5x(1-tanh²u)·c(1+3·0.044715x²), u = c(x+0.044715x³)
    const v = x[0]!;
    const c = Math.sqrt(2 / Math.PI);
    const x2 = b.square(v);
    const u = b.scale(b.add(v, b.scale(b.mul(x2, v), 0.044715)), c);
    const th = b.tanh(u);
    const du = b.scale(b.add(b.scalar(1), b.scale(x2, 3 * 0.044715)), c);
    const left = b.scale(b.add(b.scalar(1), th), 0.5);
    const right = b.mul(b.scale(v, 0.5), b.mul(b.oneMinus(b.square(th)), du));
    return [b.mul(g, b.add(left, right))];
  }),
  sigmoid: unary((b, _x, out, g) => [b.mul(g, b.mul(out, b.oneMinus(out)))]),
  tanh: unary((b, _x, out, g) => [b.mul(g, b.oneMinus(b.square(out)))]),
  softplus: unary((b, x, _o, g) => [b.mul(g, b.sigmoid(x[0]!))]),
  cast: {
    arity: 1,
    infer: ([x], { dtype }) => t(x!.shape, dtype),
    grad: (b, x, out, g) => [b.dtype(x[0]!) === 'f32' && b.dtype(out) === 'f32' ? g : null],
  },
  where: {
    arity: 3,
    infer([c, a, bb]) {
      expectDtype(c!, ['bool'], 'where condition');
      sameDtype(a!, bb!, 'where');
      return t(broadcastShapes(c!.shape, a!.shape, bb!.shape), a!.dtype);
    },
    grad: (b, x, _o, g) => {
      const zero = b.scalar(0, b.dtype(g));
      return [null, b.sumTo(b.where(x[0]!, g, zero), b.shape(x[1]!)), b.sumTo(b.where(x[0]!, zero, g), b.shape(x[2]!))];
    },
  },
  stop_gradient: unary(null, ['f32', 'i32', 'bool']),
  full: { arity: 0, infer: (_i, { shape, dtype }) => t(checkShape(shape), dtype), grad: () => [] },
  constant: {
    arity: 0,
    infer(_i, { shape, values, dtype }) {
      if (values.length !== sizeOf(checkShape(shape))) {
        throw new ShapeError(`constant of shape ${formatShape(shape)} needs ${sizeOf(shape)} values but has ${values.length}`);
      }
      return t(shape, dtype);
    },
    grad: () => [],
  },
  random_uniform: {
    arity: 1,
    infer([c], { shape }) {
      if (c!.shape.length !== 0) throw new ShapeError('random_uniform counter must be a scalar');
      return t(checkShape(shape), 'f32');
    },
    grad: null,
  },

  softmax: axisOp((b, _x, out, g, { axis }) => [b.mul(out, b.sub(g, b.sum(b.mul(g, out), [axis], true)))]),
  log_softmax: axisOp((b, _x, out, g, { axis }) => [b.sub(g, b.mul(b.exp(out), b.sum(g, [axis], true)))]),
  argmax: {
    arity: 1,
    infer([x], { axis }) {
      expectDtype(x!, ['f32', 'i32'], 'argmax');
      const a = normalizeAxis(axis, x!.shape.length);
      return t(reducedShape(x!.shape, [a], false), 'i32');
    },
    grad: null,
  },
  matmul: {
    arity: 2,
    infer: ([a, b], attrs) => t(matmulOut(a!, b!, attrs), a!.dtype),
    grad: (b, x, _o, g, { transA, transB }) => {
      const [p, q] = x as [typeof g, typeof g];
      const da = transA ? (transB ? b.matmul(q, g, true, true) : b.matmul(q, g, false, true)) : b.matmul(g, q, false, !transB);
      const db = transB ? (transA ? b.matmul(g, p, true, true) : b.matmul(g, p, true, false)) : b.matmul(p, g, !transA, false);
      return [b.sumTo(da, b.shape(p)), b.sumTo(db, b.shape(q))];
    },
  },
  sum: reduction(['f32', 'i32'], (b, x, _o, g, { axes }) => [unreduce(b, x[0]!, g, axes)]),
  mean: reduction(['f32'], (b, x, _o, g, { axes }) => {
    const shape = b.shape(x[0]!);
    const count = normalizeAxes(axes, shape.length).reduce((n, a) => n * shape[a]!, 1);
    return [b.scale(unreduce(b, x[0]!, g, axes), 1 / count)];
  }),
  max: reduction(['f32', 'i32'], (b, x, out, g, { axes }) => {
    // Ties share the gradient equally, so the rule is symmetric in tied inputs.
    const hit = b.mask(b.equal(x[0]!, unreduce(b, x[0]!, out, axes)));
    const count = b.sum(hit, axes, true);
    return [b.div(b.mul(hit, unreduce(b, x[0]!, g, axes)), b.broadcastTo(count, b.shape(x[0]!)))];
  }),

  reshape: {
    arity: 1,
    infer: ([x], { shape }) => t(resolveReshape(x!.shape, shape), x!.dtype),
    grad: (b, x, _o, g) => [b.reshape(g, b.shape(x[0]!))],
  },
  transpose: {
    arity: 1,
    infer([x], { perm }) {
      const r = x!.shape.length;
      if (perm.length !== r || [...perm].sort((p, q) => p - q).some((p, i) => p !== i)) {
        throw new ShapeError(`transpose perm [${perm.join(', ')}] is not a permutation of ${r} axes`);
      }
      return t(
        perm.map((p) => x!.shape[p]!),
        x!.dtype,
      );
    },
    grad: (b, _x, _o, g, { perm }) => {
      const inv = new Array<number>(perm.length);
      perm.forEach((p, i) => (inv[p] = i));
      return [b.transpose(g, inv)];
    },
  },
  broadcast_to: {
    arity: 1,
    infer([x], { shape }) {
      const out = broadcastShapes(x!.shape, checkShape(shape));
      if (out.length !== shape.length || out.some((d, i) => d !== shape[i])) {
        throw new ShapeError(`cannot broadcast ${formatShape(x!.shape)} to ${formatShape(shape)}`);
      }
      return t(shape, x!.dtype);
    },
    grad: (b, x, _o, g) => [b.sumTo(g, b.shape(x[0]!))],
  },
  concat: {
    arity: 'variadic',
    infer(xs, { axis }) {
      const first = xs[0]!;
      const a = normalizeAxis(axis, first.shape.length);
      let total = 0;
      for (const x of xs) {
        sameDtype(first, x, 'concat');
        if (x.shape.length !== first.shape.length || x.shape.some((d, i) => i !== a && d !== first.shape[i])) {
          throw new ShapeError(`concat along axis ${axis}: ${formatShape(x.shape)} does not match ${formatShape(first.shape)}`);
        }
        total += x.shape[a]!;
      }
      return t(
        first.shape.map((d, i) => (i === a ? total : d)),
        first.dtype,
      );
    },
    grad: (b, x, _o, g, { axis }) => {
      const shape = b.shape(g);
      const a = normalizeAxis(axis, shape.length);
      let offset = 0;
      return x.map((xi) => {
        const len = b.shape(xi)[a]!;
        const begin = shape.map((_d, i) => (i === a ? offset : 0));
        const size = shape.map((d, i) => (i === a ? len : d));
        offset += len;
        return b.slice(g, begin, size);
      });
    },
  },
  slice: {
    arity: 1,
    infer([x], { begin, size }) {
      const s = x!.shape;
      if (begin.length !== s.length || size.length !== s.length) {
        throw new ShapeError(`slice needs begin and size for each of the ${s.length} dims`);
      }
      const out = s.map((d, i) => {
        const b0 = begin[i]!;
        const len = size[i] === -1 ? d - b0 : size[i]!;
        if (!Number.isInteger(b0) || !Number.isInteger(len) || b0 < 0 || len < 0 || b0 + len > d) {
          throw new ShapeError(`slice [${b0}, ${b0 + len}) is outside dim ${i} of size ${d}`);
        }
        return len;
      });
      return t(out, x!.dtype);
    },
    grad: (b, x, out, g, { begin }) => {
      const s = b.shape(x[0]!);
      const o = b.shape(out);
      return [
        b.pad(
          g,
          s.map((d, i) => [begin[i]!, d - begin[i]! - o[i]!] as const),
        ),
      ];
    },
  },
  pad: {
    arity: 1,
    infer([x], { pads }) {
      if (pads.length !== x!.shape.length || pads.some(([p, q]) => p < 0 || q < 0 || !Number.isInteger(p + q))) {
        throw new ShapeError(`pad needs a non-negative [before, after] pair for each of the ${x!.shape.length} dims`);
      }
      return t(
        x!.shape.map((d, i) => d + pads[i]![0] + pads[i]![1]),
        x!.dtype,
      );
    },
    grad: (b, x, _o, g, { pads }) => [
      b.slice(
        g,
        pads.map(([p]) => p),
        b.shape(x[0]!),
      ),
    ],
  },
  gather: {
    arity: 2,
    infer([x, idx], { axis }) {
      expectDtype(idx!, ['i32'], 'gather indices');
      const a = normalizeAxis(axis, x!.shape.length);
      return t([...x!.shape.slice(0, a), ...idx!.shape, ...x!.shape.slice(a + 1)], x!.dtype);
    },
    grad: (b, x, _o, g, { axis }) => {
      const shape = b.shape(x[0]!);
      return [b.scatterAdd(g, x[1]!, normalizeAxis(axis, shape.length), shape), null];
    },
  },
  scatter_add: {
    arity: 2,
    infer([u, idx], { axis, shape }) {
      expectDtype(idx!, ['i32'], 'scatter_add indices');
      const a = normalizeAxis(axis, shape.length);
      const expected = [...shape.slice(0, a), ...idx!.shape, ...shape.slice(a + 1)];
      if (expected.length !== u!.shape.length || expected.some((d, i) => d !== u!.shape[i])) {
        throw new ShapeError(`scatter_add updates ${formatShape(u!.shape)} should be ${formatShape(expected)}`);
      }
      return t(shape, u!.dtype);
    },
    grad: (b, x, _o, g, { axis }) => [b.gather(g, x[1]!, axis), null],
  },
  one_hot: {
    arity: 1,
    infer([idx], { depth }) {
      expectDtype(idx!, ['i32'], 'one_hot indices');
      if (!Number.isInteger(depth) || depth < 1) throw new ShapeError(`one_hot depth must be a positive integer, got ${depth}`);
      return t([...idx!.shape, depth], 'f32');
    },
    grad: null,
  },

  conv2d: {
    arity: 2,
    infer: ([x, w], a) => t(convOut(x!, w!, a), 'f32'),
    grad: (b, x, _o, g, a) => [
      b.emit('conv2d_grad_input', [g, x[1]!], { ...a, inputShape: b.shape(x[0]!) }),
      b.emit('conv2d_grad_filter', [x[0]!, g], { ...a, filterShape: b.shape(x[1]!) }),
    ],
  },
  conv2d_grad_input: {
    arity: 2,
    infer([dy, w], a) {
      const x = t(a.inputShape, 'f32');
      const out = convOut(x, w!, a);
      if (out.some((d, i) => d !== dy!.shape[i])) throw new ShapeError(`conv2d gradient ${formatShape(dy!.shape)} should be ${formatShape(out)}`);
      return x;
    },
    grad: noSecondOrder('conv2d'),
  },
  conv2d_grad_filter: {
    arity: 2,
    infer([x, dy], a) {
      const w = t(a.filterShape, 'f32');
      const out = convOut(x!, w, a);
      if (out.some((d, i) => d !== dy!.shape[i])) throw new ShapeError(`conv2d gradient ${formatShape(dy!.shape)} should be ${formatShape(out)}`);
      return w;
    },
    grad: noSecondOrder('conv2d'),
  },
  max_pool2d: {
    arity: 1,
    infer: ([x], a) => t(poolOut(x!, a, 'max_pool2d'), 'f32'),
    grad: (b, x, _o, g, a) => [b.emit('max_pool2d_grad', [x[0]!, g], a)],
  },
  max_pool2d_grad: {
    arity: 2,
    infer([x, dy], a) {
      const out = poolOut(x!, a, 'max_pool2d');
      if (out.some((d, i) => d !== dy!.shape[i])) throw new ShapeError(`max_pool2d gradient ${formatShape(dy!.shape)} should be ${formatShape(out)}`);
      return x!;
    },
    grad: noSecondOrder('max_pool2d'),
  },
  avg_pool2d: {
    arity: 1,
    infer: ([x], a) => t(poolOut(x!, a, 'avg_pool2d'), 'f32'),
    grad: (b, x, _o, g, a) => [b.emit('avg_pool2d_grad', [g], { ...a, inputShape: b.shape(x[0]!) })],
  },
  avg_pool2d_grad: {
    arity: 1,
    infer([dy], a) {
      const x = t(a.inputShape, 'f32');
      const out = poolOut(x, a, 'avg_pool2d');
      if (out.some((d, i) => d !== dy!.shape[i])) throw new ShapeError(`avg_pool2d gradient ${formatShape(dy!.shape)} should be ${formatShape(out)}`);
      return x;
    },
    grad: noSecondOrder('avg_pool2d'),
  },
};

function axisOp<O extends 'softmax' | 'log_softmax'>(grad: GradRule<O>): OpDef<O> {
  return {
    arity: 1,
    infer([x], { axis }) {
      expectDtype(x!, ['f32'], 'softmax');
      normalizeAxis(axis, x!.shape.length);
      return x!;
    },
    grad,
  };
}

function checkShape(shape: readonly number[]): readonly number[] {
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw new ShapeError(`invalid shape ${formatShape(shape)}`);
  return shape;
}

/** Check arity, then apply the op's shape rule. */
export function inferOp<O extends Op>(op: O, inputs: readonly TensorType[], attrs: Attrs<O>): TensorType {
  const def = OP_DEFS[op] as OpDef<O>;
  if (def.arity === 'variadic' ? inputs.length < 1 : inputs.length !== def.arity) {
    throw new ShapeError(`${op} takes ${def.arity === 'variadic' ? 'one or more' : def.arity} inputs but got ${inputs.length}`);
  }
  return def.infer(inputs, attrs);
}
