/**
 * Elementwise kernels: binary arithmetic and comparisons with NumPy broadcasting, unary maths,
 * cast and where. Each family's maths is one switch over a numeric op code (inlined by the JIT,
 * so the loops stay monomorphic); the loops are shared: equal shapes, scalar operand, or rows.
 */
import { sizeOf } from '../../../ops/shape';
import type { DType, TensorType } from '../../../ops/types';
import type { CpuKernelTable, CpuTensor, Data, KernelContext } from '../kernel';
import { broadcastStrides, RowWalker } from './strided';

// ---- binary ---------------------------------------------------------------------------------------

const ADD = 0, SUB = 1, MUL = 2, DIV = 3, POW = 4, MIN = 5, MAX = 6;
const LT = 7, LE = 8, GT = 9, GE = 10, EQ = 11, NE = 12, IMUL = 13;

/** The maths of each binary op; comparisons give 0/1. */
function binaryMath(op: number, x: number, y: number): number {
  switch (op) {
    case ADD: return x + y;
    case SUB: return x - y;
    case MUL: return x * y;
    case DIV: return x / y; // i32: the store truncates toward zero (x/0 stores 0)
    case POW: return x ** y;
    case MIN: return Math.min(x, y); // NaN propagates
    case MAX: return Math.max(x, y);
    case LT: return x < y ? 1 : 0;
    case LE: return x <= y ? 1 : 0;
    case GT: return x > y ? 1 : 0;
    case GE: return x >= y ? 1 : 0;
    case EQ: return x === y ? 1 : 0;
    case NE: return x !== y ? 1 : 0;
    default: return Math.imul(x, y); // IMUL: i32 product wraps exactly (a double product loses low bits past 2^53)
  }
}

function binary(code: number) {
  return (inputs: readonly CpuTensor[], _attrs: unknown, out: TensorType, ctx: KernelContext): Data => {
    const [a, b] = inputs as [CpuTensor, CpuTensor];
    const op = code === MUL && out.dtype === 'i32' ? IMUL : code;
    const n = sizeOf(out.shape);
    const o = ctx.alloc(out.dtype, n);
    const x = a.data;
    const y = b.data;
    if (x.length === n && y.length === 1) {
      const s = y[0]!;
      for (let i = 0; i < n; i++) o[i] = binaryMath(op, x[i]!, s);
    } else if (y.length === n && x.length === 1) {
      const s = x[0]!;
      for (let i = 0; i < n; i++) o[i] = binaryMath(op, s, y[i]!);
    } else if (x.length === n && y.length === n) {
      // Broadcasting that keeps the size moves no element: row-major order is unchanged.
      for (let i = 0; i < n; i++) o[i] = binaryMath(op, x[i]!, y[i]!);
    } else {
      const w = new RowWalker(out.shape, [broadcastStrides(a.shape, out.shape), broadcastStrides(b.shape, out.shape)]);
      const [sx, sy] = w.step as [number, number];
      for (let r = 0, k = 0; r < w.count; r++, w.next()) {
        const bx = w.base[0]!;
        const by = w.base[1]!;
        for (let j = 0; j < w.length; j++, k++) o[k] = binaryMath(op, x[bx + j * sx]!, y[by + j * sy]!);
      }
    }
    return o;
  };
}

// ---- unary ----------------------------------------------------------------------------------------

const NEG = 0, EXP = 1, LOG = 2, SQRT = 3, ABS = 4, SIGN = 5, RELU = 6, LEAKY_RELU = 7, ELU = 8;
const GELU = 9, SIGMOID = 10, TANH = 11, SOFTPLUS = 12;
const GELU_C = Math.sqrt(2 / Math.PI);

/** The maths of each unary op; `alpha` is the leaky_relu / elu attribute. */
function unaryMath(op: number, x: number, alpha: number): number {
  switch (op) {
    case NEG: return -x;
    case EXP: return Math.exp(x);
    case LOG: return Math.log(x);
    case SQRT: return Math.sqrt(x);
    case ABS: return Math.abs(x);
    case SIGN: return Math.sign(x);
    case RELU: return x < 0 ? 0 : x; // NaN stays NaN
    case LEAKY_RELU: return x > 0 ? x : alpha * x;
    case ELU: return x > 0 ? x : alpha * Math.expm1(x);
    case GELU: return 0.5 * x * (1 + Math.tanh(GELU_C * (x + 0.044715 * x * x * x)));
    // exp of a non-positive number only, so neither branch overflows.
    case SIGMOID: return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    case TANH: return Math.tanh(x);
    // log(1 + e^x) = max(x, 0) + log1p(e^-|x|): no overflow for large x, no underflow to 0 for very negative x.
    default: return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }
}

function unary(code: number) {
  return (inputs: readonly CpuTensor[], attrs: { readonly alpha?: number }, out: TensorType, ctx: KernelContext): Data => {
    const x = inputs[0]!.data;
    const alpha = attrs.alpha ?? 0;
    const o = ctx.alloc(out.dtype, x.length);
    for (let i = 0; i < x.length; i++) o[i] = unaryMath(code, x[i]!, alpha);
    return o;
  };
}

// ---- cast and where -------------------------------------------------------------------------------

/** Convert element type: → bool is x != 0; → i32 truncates toward zero (the Int32Array store); bool → number is 0/1. */
function cast(inputs: readonly CpuTensor[], attrs: { readonly dtype: DType }, out: TensorType, ctx: KernelContext): Data {
  const x = inputs[0]!.data;
  const o = ctx.alloc(out.dtype, x.length);
  if (attrs.dtype === 'bool') for (let i = 0; i < x.length; i++) o[i] = x[i] !== 0 ? 1 : 0;
  else o.set(x);
  return o;
}

/** out = cond ? a : b, all three broadcast to out's shape. */
function where(inputs: readonly CpuTensor[], _attrs: unknown, out: TensorType, ctx: KernelContext): Data {
  const [c, a, b] = inputs as [CpuTensor, CpuTensor, CpuTensor];
  const o = ctx.alloc(out.dtype, sizeOf(out.shape));
  const w = new RowWalker(out.shape, [c.shape, a.shape, b.shape].map((s) => broadcastStrides(s, out.shape)));
  const [sc, sa, sb] = w.step as [number, number, number];
  const cd = c.data;
  const ad = a.data;
  const bd = b.data;
  for (let r = 0, k = 0; r < w.count; r++, w.next()) {
    const [bc, ba, bb] = w.base as [number, number, number];
    for (let j = 0; j < w.length; j++, k++) o[k] = cd[bc + j * sc] ? ad[ba + j * sa]! : bd[bb + j * sb]!;
  }
  return o;
}

export const ELEMENTWISE_KERNELS = {
  add: binary(ADD), sub: binary(SUB), mul: binary(MUL), div: binary(DIV), pow: binary(POW),
  minimum: binary(MIN), maximum: binary(MAX),
  less: binary(LT), less_equal: binary(LE), greater: binary(GT), greater_equal: binary(GE),
  equal: binary(EQ), not_equal: binary(NE),
  neg: unary(NEG), exp: unary(EXP), log: unary(LOG), sqrt: unary(SQRT), abs: unary(ABS), sign: unary(SIGN),
  relu: unary(RELU), leaky_relu: unary(LEAKY_RELU), elu: unary(ELU), gelu: unary(GELU),
  sigmoid: unary(SIGMOID), tanh: unary(TANH), softplus: unary(SOFTPLUS),
  cast,
  where,
} satisfies Partial<CpuKernelTable>;
