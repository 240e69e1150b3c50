/**
 * The expression table: every elementwise op once, with its JavaScript evaluation (the reference
 * maths the CPU backend runs, fused or not) and its WGSL rendering (the WebGPU backend's fused and
 * single-op kernels). A new elementwise op is one entry here plus its shape and gradient rules in
 * engine/ops; both backends' kernels are derived from this table.
 *
 * The JS evaluation returns a double that the caller stores into the output dtype's typed array:
 * that store rounds to f32, or converts to i32 by the cast rule (toI32: truncate toward zero,
 * saturate, NaN → 0), exactly as the reference kernels do.
 * WGSL follows the same maths, including NaN propagation where f32 built-ins leave it unspecified
 * and the stable forms of sigmoid, tanh and softplus.
 */
import { lit } from '../../backends/webgpu/wgsl';
import { toI32 } from '../../backends/cpu/kernels/storage';
import type { Data } from '../../backends/cpu/kernel';
import type { Attrs, DType, Op } from '../../ops/types';

/** Every op an elementwise kernel computes: one output element from the broadcast input elements at its position. */
export type ElementwiseOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'minimum'
  | 'maximum'
  | 'less'
  | 'less_equal'
  | 'greater'
  | 'greater_equal'
  | 'equal'
  | 'not_equal'
  | 'neg'
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'abs'
  | 'sign'
  | 'relu'
  | 'leaky_relu'
  | 'elu'
  | 'gelu'
  | 'sigmoid'
  | 'tanh'
  | 'softplus'
  | 'cast'
  | 'where'
  | 'stop_gradient'
  | 'reshape'
  | 'broadcast_to';

/** The dtypes an expression sees: its first operand's (arithmetic follows it) and its result's. */
export interface ExprTypes {
  readonly input: DType;
  readonly out: DType;
}

/** One elementwise op's maths. */
export interface Expression<O extends Op> {
  /** Operands it reads (1 for unary ops and copies, 2 for binary, 3 for where). */
  readonly arity: 1 | 2 | 3;
  /** The scalar maths in JavaScript for these types: the reference (its result is stored into the output dtype). */
  js(attrs: Attrs<O>, types: ExprTypes): (x: number, y: number, z: number) => number;
  /** A WGSL expression of operand identifiers `args` (already holding the broadcast elements). */
  wgsl(args: readonly string[], attrs: Attrs<O>, types: ExprTypes): string;
  /** The WGSL helper functions `wgsl` calls (pasted into the shader once). */
  readonly helpers?: string;
  /**
   * The f32 maths as a self-contained WGSL expression (no shader prelude, no helper), for code that
   * has neither, such as a GEMM epilogue; absent when the op needs more than an expression.
   */
  epilogue?(args: readonly string[], attrs: Attrs<O>): string;
  /**
   * The f32 maths over a block, o[j] = a[j] op b[j] for j < n, written out per op so the JIT inlines
   * it: a fast path for the hottest ops (the fused CPU kernels use it; the fused-vs-reference tests
   * check it against `js`, which the per-op kernels use).
   */
  readonly block?: (o: Data, a: Data, b: Data, n: number) => void;
  /** A copy: moves no element in row-major order (reshape, broadcast_to, stop_gradient), so it fuses as its operand; its single-op kernel is a movement kernel. */
  readonly copy?: boolean;
}

/** NaN as a runtime f32 (a const NaN would not compile). */
const NAN = lit(NaN, 'f32');

/**
 * x ** y as IEEE 754 pow (C's, PyTorch's): JavaScript's `**` except that 1 ** y = 1 for every y
 * (NaN too) and (-1) ** ±inf = 1, where `**` gives NaN.
 */
export function pow(x: number, y: number): number {
  return x === 1 || (x === -1 && (y === Infinity || y === -Infinity)) ? 1 : x ** y;
}

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

type Js2 = (x: number, y: number) => number;
type Wgsl2 = (x: string, y: string, dtype: DType) => string;

/** A binary op: `js` and `wgsl` on operands of the first input's dtype; `epilogue` when its f32 form needs nothing else. */
function binary(js: (dtype: DType) => Js2, wgsl: Wgsl2, extra: { helpers?: string; epilogue?: boolean } = {}): Expression<Op> {
  return {
    arity: 2,
    js: (_a, t) => js(t.input),
    wgsl: ([x, y], _a, t) => wgsl(x!, y!, t.input),
    ...(extra.helpers ? { helpers: extra.helpers } : {}),
    ...(extra.epilogue ? { epilogue: ([x, y]: readonly string[]) => wgsl(x!, y!, 'f32') } : {}),
  };
}

/** A comparison: 1 when `js` holds, stored as bool. */
function compare(js: Js2, op: string): Expression<Op> {
  return binary(
    () => js,
    (x, y) => `select(0u, 1u, ${x} ${op} ${y})`,
  );
}

type Alpha = { readonly alpha?: number };

/**
 * A unary op. WGSL leaves built-ins on NaN indeterminate (SwiftShader's log(NaN) is 89), so the f32
 * rendering passes NaN through as JavaScript does; `epilogue` marks ops whose bare form already keeps NaN.
 */
function unary(js: (alpha: number) => (x: number) => number, wgsl: (x: string, dtype: DType, alpha: number) => string, epilogue = false): Expression<Op> {
  return {
    arity: 1,
    js: (a) => js((a as Alpha).alpha ?? 0),
    wgsl: ([x], a, t) => {
      const expr = wgsl(x!, t.input, (a as Alpha).alpha ?? 0);
      return t.input === 'f32' ? `select(${expr}, ${x}, is_nan(${x}))` : expr;
    },
    helpers: UNARY_HELPERS,
    ...(epilogue ? { epilogue: ([x]: readonly string[], a: Attrs<Op>) => wgsl(x!, 'f32', (a as Alpha).alpha ?? 0) } : {}),
  };
}

/** An exact copy of its operand. */
const copy: Expression<Op> = { arity: 1, js: () => (x) => x, wgsl: ([x]) => x!, epilogue: ([x]) => x!, copy: true };

const GELU_C = Math.sqrt(2 / Math.PI);

/** gelu, tanh approximation: 0.5x(1 + tanh(sqrt(2/pi)(x + 0.044715x^3))). */
const gelu = (x: number) => 0.5 * x * (1 + Math.tanh(GELU_C * (x + 0.044715 * x * x * x)));

/**
 * x of dtype `from` as dtype `to` in WGSL: → bool is x != 0, bool → number is 0/1, f32 → i32 truncates
 * toward zero and saturates, NaN → 0 (the op table's rule; WGSL leaves NaN indeterminate, so it is tested by its bits).
 */
export function convertWgsl(x: string, from: DType, to: DType): string {
  if (from === to) return x;
  if (to === 'bool') return `select(1u, 0u, ${x} == ${lit(0, from)})`; // NaN → true, as x != 0 in JavaScript
  if (from === 'f32' && to === 'i32') {
    const saturated = `select(select(i32(${x}), ${lit(2147483647, 'i32')}, ${x} >= 2147483648.0), ${lit(-2147483648, 'i32')}, ${x} < -2147483648.0)`;
    return `select(${saturated}, 0i, is_nan(${x}))`;
  }
  return `${to === 'f32' ? 'f32' : to === 'i32' ? 'i32' : 'u32'}(${x})`;
}

/** One entry per elementwise op; the mapped type makes a missing entry a compile error. */
export const EXPRESSIONS: { readonly [O in ElementwiseOp]: Expression<O> } = {
  add: {
    ...binary(
      () => (x, y) => x + y,
      (x, y) => `${x} + ${y}`,
      { epilogue: true },
    ),
    block: (o, a, b, n) => {
      for (let j = 0; j < n; j++) o[j] = a[j]! + b[j]!;
    },
  },
  sub: {
    ...binary(
      () => (x, y) => x - y,
      (x, y) => `${x} - ${y}`,
      { epilogue: true },
    ),
    block: (o, a, b, n) => {
      for (let j = 0; j < n; j++) o[j] = a[j]! - b[j]!;
    },
  },
  // i32 wraps exactly (a double product loses low bits past 2^53), as WGSL's i32 multiply.
  mul: {
    ...binary(
      (t) => (t === 'i32' ? Math.imul : (x, y) => x * y),
      (x, y) => `${x} * ${y}`,
      { epilogue: true },
    ),
    block: (o, a, b, n) => {
      for (let j = 0; j < n; j++) o[j] = a[j]! * b[j]!;
    },
  },
  // i32: the Int32Array store truncates toward zero (and stores 0 for x / 0); WGSL gives x for x / 0.
  div: {
    ...binary(
      () => (x, y) => x / y,
      (x, y, t) => (t === 'i32' ? `select(${x} / ${y}, 0i, ${y} == 0i)` : `${x} / ${y}`),
      { epilogue: true },
    ),
    block: (o, a, b, n) => {
      for (let j = 0; j < n; j++) o[j] = a[j]! / b[j]!;
    },
  },
  pow: binary(
    () => pow,
    (x, y, t) => (t === 'i32' ? `pow_i32(${x}, ${y})` : `pow_f32(${x}, ${y})`),
    { helpers: POW_HELPERS },
  ),
  // Math.min / Math.max propagate NaN; WGSL's min / max need not.
  minimum: binary(
    () => (x, y) => Math.min(x, y),
    (x, y, t) => (t === 'f32' ? `select(min(${x}, ${y}), ${x} + ${y}, is_nan(${x}) || is_nan(${y}))` : `min(${x}, ${y})`),
  ),
  maximum: binary(
    () => (x, y) => Math.max(x, y),
    (x, y, t) => (t === 'f32' ? `select(max(${x}, ${y}), ${x} + ${y}, is_nan(${x}) || is_nan(${y}))` : `max(${x}, ${y})`),
  ),
  less: compare((x, y) => (x < y ? 1 : 0), '<'),
  less_equal: compare((x, y) => (x <= y ? 1 : 0), '<='),
  greater: compare((x, y) => (x > y ? 1 : 0), '>'),
  greater_equal: compare((x, y) => (x >= y ? 1 : 0), '>='),
  equal: compare((x, y) => (x === y ? 1 : 0), '=='),
  // x != y as !(x == y): true for NaN whether the compiler emits an ordered or unordered compare.
  not_equal: binary(
    () => (x, y) => (x !== y ? 1 : 0),
    (x, y) => `select(1u, 0u, ${x} == ${y})`,
  ),

  neg: unary(
    () => (x) => -x,
    (x) => `-${x}`,
    true,
  ),
  exp: unary(
    () => Math.exp,
    (x) => `exp(${x})`,
  ),
  log: unary(
    () => Math.log,
    (x) => `select(select(log(${x}), ${NAN}, ${x} < 0.0), ${lit(-Infinity, 'f32')}, ${x} == 0.0)`,
  ),
  sqrt: unary(
    () => Math.sqrt,
    (x) => `select(sqrt(${x}), ${NAN}, ${x} < 0.0)`,
  ),
  abs: unary(
    () => Math.abs,
    (x) => `abs(${x})`,
    true,
  ),
  sign: unary(
    () => Math.sign,
    (x, t) => (t === 'i32' ? `sign(${x})` : `select(sign(${x}), ${x}, is_nan(${x}))`),
  ),
  relu: unary(
    () => (x) => (x < 0 ? 0 : x),
    (x) => `select(${x}, 0.0, ${x} < 0.0)`,
    true,
  ), // NaN stays NaN
  leaky_relu: unary(
    (a) => (x) => (x > 0 ? x : a * x),
    (x, _t, a) => `select(${lit(a, 'f32')} * ${x}, ${x}, ${x} > 0.0)`,
    true,
  ),
  elu: unary(
    (a) => (x) => (x > 0 ? x : a * Math.expm1(x)),
    (x, _t, a) => `select(${lit(a, 'f32')} * expm1_s(${x}), ${x}, ${x} > 0.0)`,
  ),
  gelu: unary(
    () => gelu,
    (x) => `0.5 * ${x} * (1.0 + tanh_s(${lit(GELU_C, 'f32')} * (${x} + 0.044715 * ${x} * ${x} * ${x})))`,
  ),
  // exp of a non-positive number only, so neither branch overflows.
  sigmoid: unary(
    () => (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
    (x) => `select(exp(${x}) / (1.0 + exp(${x})), 1.0 / (1.0 + exp(-${x})), ${x} >= 0.0)`,
  ),
  tanh: unary(
    () => Math.tanh,
    (x) => `tanh_s(${x})`,
  ),
  // log(1 + e^x) = max(x, 0) + log1p(e^-|x|): no overflow for large x, no underflow to 0 for very negative x.
  softplus: unary(
    () => (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
    (x) => `max(${x}, 0.0) + log1p_s(exp(-abs(${x})))`,
  ),

  // → bool is x != 0; f32 → i32 by the cast rule (toI32); bool → number is 0/1 (the store keeps it).
  cast: {
    arity: 1,
    js: (_a, t) => (t.out === 'bool' ? (x) => (x !== 0 ? 1 : 0) : t.out === 'i32' && t.input === 'f32' ? toI32 : (x) => x),
    wgsl: ([x], _a, t) => convertWgsl(x!, t.input, t.out),
  },
  /** cond ? a : b (cond is bool, stored 0/1). */
  where: { arity: 3, js: () => (c, a, b) => (c ? a : b), wgsl: ([c, a, b]) => `select(${b}, ${a}, ${c} != 0u)` },
  stop_gradient: copy,
  reshape: copy,
  broadcast_to: copy,
};

/** Elementwise ops that only copy (their single-op kernels are movement kernels; fused they are their operand). */
export type CopyOp = 'stop_gradient' | 'reshape' | 'broadcast_to';

/** Elementwise ops whose single-op kernels both backends derive from this table. */
export type ComputedOp = Exclude<ElementwiseOp, CopyOp>;

/** Every ComputedOp, for building the kernel tables. */
export const COMPUTED_OPS = (Object.keys(EXPRESSIONS) as ElementwiseOp[]).filter((op): op is ComputedOp => !EXPRESSIONS[op].copy);

/** True for an op that an elementwise kernel computes (fused, or alone). */
export function isElementwise(op: Op): op is ElementwiseOp {
  return op in EXPRESSIONS;
}

/** The entry of an elementwise op, typed for any op (the caller checked isElementwise). */
export function expressionOf(op: ElementwiseOp): Expression<Op> {
  return EXPRESSIONS[op] as Expression<Op>;
}
