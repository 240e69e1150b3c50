/**
 * Elementwise kernels: binary arithmetic and comparisons with NumPy broadcasting, unary maths,
 * cast and where. Each family is one switch over a numeric op code with a loop per case: the
 * switch runs once per row, not per element (a callback per element would cost several times more).
 */
import { sizeOf } from '../../../ops/shape';
import type { DType, TensorType } from '../../../ops/types';
import type { CpuKernelTable, CpuTensor, Data, KernelContext } from '../kernel';
import { toI32 } from './storage';
import { broadcastStrides, RowWalker } from './strided';

// ---- binary ---------------------------------------------------------------------------------------

const ADD = 0, SUB = 1, MUL = 2, DIV = 3, POW = 4, MIN = 5, MAX = 6;
const LT = 7, LE = 8, GT = 9, GE = 10, EQ = 11, NE = 12, IMUL = 13;

/**
 * One row of a binary op: o[k + j] = x[bx + j·sx] op y[by + j·sy] for j < n. A step of 0 repeats
 * a broadcast value. One loop per op, so no per-element dispatch; comparisons store 0/1.
 */
function binaryRow(op: number, o: Data, k: number, n: number, x: Data, bx: number, sx: number, y: Data, by: number, sy: number): void {
  switch (op) {
    case ADD: for (let j = 0; j < n; j++) o[k + j] = x[bx + j * sx]! + y[by + j * sy]!; break;
    case SUB: for (let j = 0; j < n; j++) o[k + j] = x[bx + j * sx]! - y[by + j * sy]!; break;
    case MUL: for (let j = 0; j < n; j++) o[k + j] = x[bx + j * sx]! * y[by + j * sy]!; break;
    // i32: the Int32Array store truncates toward zero (and stores 0 for x/0).
    case DIV: for (let j = 0; j < n; j++) o[k + j] = x[bx + j * sx]! / y[by + j * sy]!; break;
    case POW: for (let j = 0; j < n; j++) o[k + j] = pow(x[bx + j * sx]!, y[by + j * sy]!); break;
    // Math.min / Math.max: NaN propagates.
    case MIN: for (let j = 0; j < n; j++) o[k + j] = Math.min(x[bx + j * sx]!, y[by + j * sy]!); break;
    case MAX: for (let j = 0; j < n; j++) o[k + j] = Math.max(x[bx + j * sx]!, y[by + j * sy]!); break;
    case LT: for (let j = 0; j < n; j++) o[k + j] = x[bx + j * sx]! < y[by + j * sy]! ? 1 : 0; break;
    case LE: for (let j = 0; j < n; j++) o[k + j] = x[bx + j * sx]! <= y[by + j * sy]! ? 1 : 0; break;
    case GT: for (let j = 0; j < n; j++) o[k + j] = x[bx + j * sx]! > y[by + j * sy]! ? 1 : 0; break;
    case GE: for (let j = 0; j < n; j++) o[k + j] = x[bx + j * sx]! >= y[by + j * sy]! ? 1 : 0; break;
    case EQ: for (let j = 0; j < n; j++) o[k + j] = x[bx + j * sx]! === y[by + j * sy]! ? 1 : 0; break;
    case NE: for (let j = 0; j < n; j++) o[k + j] = x[bx + j * sx]! !== y[by + j * sy]! ? 1 : 0; break;
    // i32 product wrapping exactly (a double product loses low bits past 2^53).
    case IMUL: for (let j = 0; j < n; j++) o[k + j] = Math.imul(x[bx + j * sx]!, y[by + j * sy]!); break;
  }
}

/**
 * x ** y as IEEE 754 pow (C's, PyTorch's): JavaScript's `**` except that 1 ** y = 1 for every y
 * (NaN too) and (-1) ** ±inf = 1, where `**` gives NaN.
 */
export function pow(x: number, y: number): number {
  return x === 1 || (x === -1 && (y === Infinity || y === -Infinity)) ? 1 : x ** y;
}

function binary(code: number) {
  return (inputs: readonly CpuTensor[], _attrs: unknown, out: TensorType, ctx: KernelContext): Data => {
    const [a, b] = inputs as [CpuTensor, CpuTensor];
    const op = code === MUL && out.dtype === 'i32' ? IMUL : code;
    const o = ctx.alloc(out.dtype, sizeOf(out.shape));
    // Equal shapes coalesce to one row of steps 1; a scalar operand to one row of step 0.
    const w = new RowWalker(out.shape, [broadcastStrides(a.shape, out.shape), broadcastStrides(b.shape, out.shape)]);
    const [sx, sy] = w.step as [number, number];
    for (let r = 0; r < w.count; r++, w.next()) binaryRow(op, o, r * w.length, w.length, a.data, w.base[0]!, sx, b.data, w.base[1]!, sy);
    return o;
  };
}

// ---- unary ----------------------------------------------------------------------------------------

const NEG = 0, EXP = 1, LOG = 2, SQRT = 3, ABS = 4, SIGN = 5, RELU = 6, LEAKY_RELU = 7, ELU = 8;
const GELU = 9, SIGMOID = 10, TANH = 11, SOFTPLUS = 12;
const GELU_C = Math.sqrt(2 / Math.PI);

/** gelu, tanh approximation: 0.5x(1 + tanh(sqrt(2/pi)(x + 0.044715x^3))). */
function gelu(x: number): number {
  return 0.5 * x * (1 + Math.tanh(GELU_C * (x + 0.044715 * x * x * x)));
}

/** sigmoid, computing exp of a non-positive number only so neither branch overflows. */
function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** log(1 + e^x) = max(x, 0) + log1p(e^-|x|): no overflow for large x, no underflow to 0 for very negative x. */
function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** o[i] = f(x[i]), one loop per op; `alpha` is the leaky_relu / elu attribute. */
function unaryLoop(op: number, o: Data, x: Data, alpha: number): void {
  const n = x.length;
  switch (op) {
    case NEG: for (let i = 0; i < n; i++) o[i] = -x[i]!; break;
    case EXP: for (let i = 0; i < n; i++) o[i] = Math.exp(x[i]!); break;
    case LOG: for (let i = 0; i < n; i++) o[i] = Math.log(x[i]!); break;
    case SQRT: for (let i = 0; i < n; i++) o[i] = Math.sqrt(x[i]!); break;
    case ABS: for (let i = 0; i < n; i++) o[i] = Math.abs(x[i]!); break;
    case SIGN: for (let i = 0; i < n; i++) o[i] = Math.sign(x[i]!); break;
    case RELU: for (let i = 0; i < n; i++) o[i] = x[i]! < 0 ? 0 : x[i]!; break; // NaN stays NaN
    case LEAKY_RELU: for (let i = 0; i < n; i++) o[i] = x[i]! > 0 ? x[i]! : alpha * x[i]!; break;
    case ELU: for (let i = 0; i < n; i++) o[i] = x[i]! > 0 ? x[i]! : alpha * Math.expm1(x[i]!); break;
    case GELU: for (let i = 0; i < n; i++) o[i] = gelu(x[i]!); break;
    case SIGMOID: for (let i = 0; i < n; i++) o[i] = sigmoid(x[i]!); break;
    case TANH: for (let i = 0; i < n; i++) o[i] = Math.tanh(x[i]!); break;
    case SOFTPLUS: for (let i = 0; i < n; i++) o[i] = softplus(x[i]!); break;
  }
}

function unary(code: number) {
  return (inputs: readonly CpuTensor[], attrs: { readonly alpha?: number }, out: TensorType, ctx: KernelContext): Data => {
    const x = inputs[0]!.data;
    const o = ctx.alloc(out.dtype, x.length);
    unaryLoop(code, o, x, attrs.alpha ?? 0);
    return o;
  };
}

// ---- cast and where -------------------------------------------------------------------------------

/** Convert element type: → bool is x != 0; f32 → i32 truncates toward zero and saturates, NaN → 0 (toI32); bool → number is 0/1. */
function cast(inputs: readonly CpuTensor[], attrs: { readonly dtype: DType }, out: TensorType, ctx: KernelContext): Data {
  const x = inputs[0]!;
  const o = ctx.alloc(out.dtype, x.data.length);
  if (attrs.dtype === 'bool') for (let i = 0; i < o.length; i++) o[i] = x.data[i] !== 0 ? 1 : 0;
  else if (attrs.dtype === 'i32' && x.dtype === 'f32') for (let i = 0; i < o.length; i++) o[i] = toI32(x.data[i]!);
  else o.set(x.data);
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
