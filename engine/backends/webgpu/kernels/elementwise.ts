/**
 * Elementwise kernels, one thread per output element: binary arithmetic and comparisons with
 * NumPy broadcasting, unary maths, cast and where. The maths matches the CPU reference
 * (engine/backends/cpu/kernels/elementwise.ts), including NaN propagation where f32 WGSL built-ins
 * leave it unspecified and the stable forms of sigmoid, tanh and softplus.
 */
import { sizeOf } from '../../../ops/shape';
import type { Attrs, DType, Op, Shape, TensorType } from '../../../ops/types';
import { broadcastStrides } from '../../cpu/kernels/strided';
import type { KernelArgs, KernelPlan, WgslKernelTable } from '../kernel';
import { inputsNamed, lit, offset, perElement, unravel, wgslType } from '../wgsl';

/**
 * Index expressions reading each input as broadcast to `out` at flat output index `i`, plus the
 * statements computing output coordinates `c*` when some input needs them. An input with the
 * output's size reads at i (broadcasting that keeps the size moves no element); a scalar at 0.
 */
export function broadcastReads(inputs: readonly Shape[], out: Shape): { prelude: string; at: string[] } {
  const n = sizeOf(out);
  let needCoords = false;
  const at = inputs.map((s) => {
    if (sizeOf(s) === n) return 'i';
    if (sizeOf(s) === 1) return '0u';
    needCoords = true;
    return `(${offset('c', broadcastStrides(s, out))})`;
  });
  return { prelude: needCoords ? unravel('i', out, 'c') : '', at };
}

/** NaN as a runtime f32 (a const NaN would not compile). */
const NAN = lit(NaN, 'f32');

// ---- binary ---------------------------------------------------------------------------------------

/**
 * WGSL helpers for the f32 and i32 power functions. f32 follows IEEE 754 pow (C's, PyTorch's), as the
 * CPU does: WGSL's pow is exp2(y·log2(x)), undefined for x <= 0 (SwiftShader's pow(0, -1) is 1.7e38).
 */
const POW_HELPERS = `
fn pow_f32(x: f32, y: f32) -> f32 {
  // x ** 0 = 1 and 1 ** y = 1, even for NaN.
  if (y == 0.0 || x == 1.0) { return 1.0; }
  if (is_nan(x) || is_nan(y)) { return ${NAN}; }
  let ax = abs(x);
  if (is_inf(y)) {
    // x ** ±inf: 1 for |x| = 1, else inf when |x| > 1 and y > 0 (or |x| < 1 and y < 0), else 0.
    if (ax == 1.0) { return 1.0; }
    return select(0.0, ${lit(Infinity, 'f32')}, (ax > 1.0) == (y > 0.0));
  }
  // A negative base (-0 and -inf too) keeps its sign for an odd integer exponent: (-1)^y.
  let integer = floor(y) == y;
  let flip = (bitcast<u32>(x) & 0x80000000u) != 0u && integer && (abs(y) % 2.0) == 1.0;
  if (ax == 0.0 || is_inf(x)) {
    // ±0 and ±inf: 0 ** y is inf for y < 0, 0 for y > 0; inf ** y the reverse.
    let r = select(0.0, ${lit(Infinity, 'f32')}, (ax == 0.0) == (y < 0.0));
    return select(r, -r, flip);
  }
  // A negative base has a real power only for an integer exponent.
  if (x < 0.0 && !integer) { return ${NAN}; }
  let r = pow(ax, y);
  return select(r, -r, flip);
}
fn pow_i32(x: i32, y: i32) -> i32 {
  // JavaScript computes x ** y in f64 and the store truncates: a negative power is 0 unless |x| = 1.
  if (y < 0) { return select(select(0, 1, x == 1), select(-1, 1, (y & 1) == 0), x == -1); }
  var r = 1i; var b = x; var e = y;
  loop { if (e == 0) { break; } if ((e & 1) == 1) { r = r * b; } b = b * b; e = e >> 1u; }
  return r;
}`;

type BinaryMath = (x: string, y: string, dtype: DType) => string;

const cmp = (op: string): BinaryMath => (x, y) => `select(0u, 1u, ${x} ${op} ${y})`;
/** x != y as !(x == y): true for NaN whether the compiler emits an ordered or unordered compare. */
const notEqual: BinaryMath = (x, y) => `select(1u, 0u, ${x} == ${y})`;

/** The maths of each binary op on operands x, y of `dtype`. */
const BINARY: Record<string, BinaryMath> = {
  add: (x, y) => `${x} + ${y}`,
  sub: (x, y) => `${x} - ${y}`,
  mul: (x, y) => `${x} * ${y}`, // i32 wraps, like Math.imul
  // i32: WGSL gives x for x / 0, JavaScript's store of ±Infinity or NaN gives 0.
  div: (x, y, t) => (t === 'i32' ? `select(${x} / ${y}, 0i, ${y} == 0i)` : `${x} / ${y}`),
  pow: (x, y, t) => (t === 'i32' ? `pow_i32(${x}, ${y})` : `pow_f32(${x}, ${y})`),
  minimum: (x, y, t) => (t === 'f32' ? `select(min(${x}, ${y}), ${x} + ${y}, is_nan(${x}) || is_nan(${y}))` : `min(${x}, ${y})`),
  maximum: (x, y, t) => (t === 'f32' ? `select(max(${x}, ${y}), ${x} + ${y}, is_nan(${x}) || is_nan(${y}))` : `max(${x}, ${y})`),
  less: cmp('<'), less_equal: cmp('<='), greater: cmp('>'), greater_equal: cmp('>='), equal: cmp('=='), not_equal: notEqual,
};

function binary(name: keyof typeof BINARY) {
  return ({ inputs, out }: Pick<KernelArgs<'add'>, 'inputs' | 'out'>): KernelPlan => {
    const [a, b] = inputs as [TensorType, TensorType];
    const { prelude, at } = broadcastReads([a.shape, b.shape], out.shape);
    const body = `${prelude}\n  let x = x0[${at[0]}];\n  let y = x1[${at[1]}];\n  out[i] = ${BINARY[name]!('x', 'y', a.dtype)};`;
    const helpers = name === 'pow' ? POW_HELPERS : '';
    return { dispatches: [perElement(inputsNamed([a.dtype, b.dtype]), [0, 1], out.dtype, sizeOf(out.shape), body, helpers)] };
  };
}

// ---- unary ----------------------------------------------------------------------------------------

/** Stable expm1, log1p and tanh (Kahan's tricks: the rounding error of 1 + x cancels in the ratio). */
const UNARY_HELPERS = `
fn expm1_s(x: f32) -> f32 {
  let e = exp(x);
  if (e == 1.0) { return x; }
  let em1 = e - 1.0;
  if (em1 == -1.0) { return -1.0; }
  if (is_nan(x) || x > 80.0) { return e; }
  return em1 * x / log(e);
}
fn log1p_s(x: f32) -> f32 {
  let v = 1.0 + x;
  if (v == 1.0) { return x; }
  return log(v) * x / (v - 1.0);
}
fn tanh_s(x: f32) -> f32 {
  // tanh|x| = -expm1(-2|x|) / (2 + expm1(-2|x|)): no overflow, no cancellation near 0.
  let m = expm1_s(-2.0 * abs(x));
  let r = -m / (2.0 + m);
  return select(r, -r, x < 0.0);
}`;

const GELU_C = Math.sqrt(2 / Math.PI);

/** The maths of each unary op on operand x (an identifier) of `dtype` (f32 unless noted); `alpha` is the op's attribute. */
const UNARY: Record<string, (x: string, dtype: DType, alpha: number) => string> = {
  neg: (x) => `-${x}`,
  exp: (x) => `exp(${x})`,
  log: (x) => `select(select(log(${x}), ${NAN}, ${x} < 0.0), ${lit(-Infinity, 'f32')}, ${x} == 0.0)`,
  sqrt: (x) => `select(sqrt(${x}), ${NAN}, ${x} < 0.0)`,
  abs: (x) => `abs(${x})`,
  sign: (x, t) => (t === 'i32' ? `sign(${x})` : `select(sign(${x}), ${x}, is_nan(${x}))`),
  relu: (x) => `select(${x}, 0.0, ${x} < 0.0)`, // NaN stays NaN
  leaky_relu: (x, _t, a) => `select(${lit(a, 'f32')} * ${x}, ${x}, ${x} > 0.0)`,
  elu: (x, _t, a) => `select(${lit(a, 'f32')} * expm1_s(${x}), ${x}, ${x} > 0.0)`,
  gelu: (x) => `0.5 * ${x} * (1.0 + tanh_s(${lit(GELU_C, 'f32')} * (${x} + 0.044715 * ${x} * ${x} * ${x})))`,
  // exp of a non-positive number only, so neither branch overflows.
  sigmoid: (x) => `select(exp(${x}) / (1.0 + exp(${x})), 1.0 / (1.0 + exp(-${x})), ${x} >= 0.0)`,
  tanh: (x) => `tanh_s(${x})`,
  // log(1 + e^x) = max(x, 0) + log1p(e^-|x|).
  softplus: (x) => `max(${x}, 0.0) + log1p_s(exp(-abs(${x})))`,
};

/** Unary maths on x, where NaN in gives NaN out, as in JavaScript: WGSL leaves built-ins on NaN indeterminate (SwiftShader's log(NaN) is 89). */
function unaryExpr(name: keyof typeof UNARY, x: string, dtype: DType, alpha: number): string {
  const expr = UNARY[name]!(x, dtype, alpha);
  return dtype === 'f32' ? `select(${expr}, ${x}, is_nan(${x}))` : expr;
}

function unary(name: keyof typeof UNARY) {
  return ({ inputs, attrs, out }: { inputs: readonly TensorType[]; attrs: { readonly alpha?: number }; out: TensorType }): KernelPlan => {
    const x = inputs[0]!;
    const body = `  let x = x0[i];\n  out[i] = ${unaryExpr(name, 'x', x.dtype, attrs.alpha ?? 0)};`;
    return { dispatches: [perElement(inputsNamed([x.dtype]), [0], out.dtype, sizeOf(out.shape), body, UNARY_HELPERS)] };
  };
}

// ---- cast and where -------------------------------------------------------------------------------

/**
 * x of dtype `from` as dtype `to`: → bool is x != 0, bool → number is 0/1, f32 → i32 truncates toward
 * zero and saturates, NaN → 0 (the op table's rule; WGSL leaves NaN indeterminate, so it is tested by its bits).
 */
export function convert(x: string, from: DType, to: DType): string {
  if (from === to) return x;
  if (to === 'bool') return `select(1u, 0u, ${x} == ${lit(0, from)})`; // NaN → true, as x != 0 in JavaScript
  if (from === 'f32' && to === 'i32') {
    const saturated = `select(select(i32(${x}), ${lit(2147483647, 'i32')}, ${x} >= 2147483648.0), ${lit(-2147483648, 'i32')}, ${x} < -2147483648.0)`;
    return `select(${saturated}, 0i, is_nan(${x}))`;
  }
  return `${wgslType(to)}(${x})`;
}

export const ELEMENTWISE_KERNELS = {
  add: binary('add'), sub: binary('sub'), mul: binary('mul'), div: binary('div'), pow: binary('pow'),
  minimum: binary('minimum'), maximum: binary('maximum'),
  less: binary('less'), less_equal: binary('less_equal'), greater: binary('greater'), greater_equal: binary('greater_equal'),
  equal: binary('equal'), not_equal: binary('not_equal'),
  neg: unary('neg'), exp: unary('exp'), log: unary('log'), sqrt: unary('sqrt'), abs: unary('abs'), sign: unary('sign'),
  relu: unary('relu'), leaky_relu: unary('leaky_relu'), elu: unary('elu'), gelu: unary('gelu'),
  sigmoid: unary('sigmoid'), tanh: unary('tanh'), softplus: unary('softplus'),

  cast: ({ inputs, out }) => {
    const x = inputs[0]!;
    const body = `  out[i] = ${convert('x0[i]', x.dtype, out.dtype)};`;
    return { dispatches: [perElement(inputsNamed([x.dtype]), [0], out.dtype, sizeOf(out.shape), body)] };
  },

  /** out = cond ? a : b, all three broadcast to out's shape. */
  where: ({ inputs, out }) => {
    const { prelude, at } = broadcastReads(inputs.map((t) => t.shape), out.shape);
    const body = `${prelude}\n  out[i] = select(x2[${at[2]}], x1[${at[1]}], x0[${at[0]}] != 0u);`;
    return { dispatches: [perElement(inputsNamed(inputs.map((t) => t.dtype)), [0, 1, 2], out.dtype, sizeOf(out.shape), body)] };
  },
} satisfies Partial<WgslKernelTable>;

// ---- fusion ---------------------------------------------------------------------------------------

/** Ops that compute each output element from the broadcast input elements at the same position, and nothing else. */
const FUSIBLE = new Set<string>([...Object.keys(BINARY), ...Object.keys(UNARY), 'cast', 'where', 'stop_gradient', 'reshape', 'broadcast_to']);

/**
 * True for the ops a fused elementwise kernel can compute inline (elementwiseExpr). reshape moves
 * no element in row-major order, and broadcast_to only reads its input broadcast, so both fuse as copies.
 */
export function isFusibleElementwise(op: Op): boolean {
  return FUSIBLE.has(op);
}

/**
 * One fusible op as a WGSL expression of its operands `args` (identifiers already holding the
 * broadcast input elements), and the helper functions it calls. Same maths as the single-op kernels.
 */
export function elementwiseExpr(op: Op, attrs: Attrs<Op>, inputs: readonly TensorType[], out: TensorType, args: readonly string[]): { expr: string; helpers: string } {
  const [x, y, z] = args as [string, string, string];
  const dtype = inputs[0]!.dtype;
  if (op in BINARY) return { expr: BINARY[op]!(x, y, dtype), helpers: op === 'pow' ? POW_HELPERS : '' };
  if (op in UNARY) return { expr: unaryExpr(op as keyof typeof UNARY, x, dtype, (attrs as { alpha?: number }).alpha ?? 0), helpers: UNARY_HELPERS };
  if (op === 'cast') return { expr: convert(x, dtype, out.dtype), helpers: '' };
  if (op === 'where') return { expr: `select(${z}, ${y}, ${x} != 0u)`, helpers: '' };
  if (op === 'stop_gradient' || op === 'reshape' || op === 'broadcast_to') return { expr: x, helpers: '' };
  throw new Error(`${op} is not an elementwise op that fuses`);
}

/** Ops whose maths needs neither the shader prelude (is_nan) nor helper functions, and keeps NaN as the CPU does. */
const PLAIN = new Set<string>(['add', 'sub', 'mul', 'div', 'neg', 'abs', 'relu', 'leaky_relu', 'stop_gradient', 'reshape']);

/**
 * A f32 op as a self-contained WGSL expression of `args` (for code without this module's prelude,
 * such as a GEMM epilogue), or undefined when the op needs more than an expression.
 */
export function plainExpr(op: Op, attrs: Attrs<Op>, dtype: DType, args: readonly string[]): string | undefined {
  if (dtype !== 'f32' || !PLAIN.has(op)) return undefined;
  const [x, y] = args as [string, string];
  if (op in BINARY) return BINARY[op]!(x, y, dtype);
  if (op in UNARY) return UNARY[op]!(x, dtype, (attrs as { alpha?: number }).alpha ?? 0);
  return x;
}
