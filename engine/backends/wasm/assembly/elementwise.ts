// Elementwise rows: o[j] = x[j·sx] op y[j·sy] for j < n, with steps of 0 (a broadcast value) or 1.
// The codes match engine/backends/wasm/codes.ts. f32 in; arithmetic writes f32, comparisons u8 (0/1).

const ADD = 0, SUB = 1, MUL = 2, DIV = 3, MIN = 4, MAX = 5;
const LT = 6, LE = 7, GT = 8, GE = 9, EQ = 10, NE = 11;

// @ts-ignore: decorator
@inline
function apply(op: i32, a: f32, b: f32): f32 {
  switch (op) {
    case ADD: return a + b;
    case SUB: return a - b;
    case MUL: return a * b;
    case DIV: return a / b;
    case MIN: return min(a, b); // wasm's f32.min: NaN propagates, as the op requires
    default: return max(a, b);
  }
}

// @ts-ignore: decorator
@inline
function applyV(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case ADD: return f32x4.add(a, b);
    case SUB: return f32x4.sub(a, b);
    case MUL: return f32x4.mul(a, b);
    case DIV: return f32x4.div(a, b);
    case MIN: return f32x4.min(a, b);
    default: return f32x4.max(a, b);
  }
}

/** One row of an f32 arithmetic op (ADD … MAX). */
export function binary_f32(op: i32, o: usize, x: usize, sx: i32, y: usize, sy: i32, n: i32): void {
  let j = 0;
  if (sx == 1 && sy == 1) {
    for (; j + 4 <= n; j += 4) {
      const off = <usize>j << 2;
      v128.store(o + off, applyV(op, v128.load(x + off), v128.load(y + off)));
    }
  } else if (sx == 1 && sy == 0) {
    const b = v128.load32_splat(y);
    for (; j + 4 <= n; j += 4) {
      const off = <usize>j << 2;
      v128.store(o + off, applyV(op, v128.load(x + off), b));
    }
  } else if (sx == 0 && sy == 1) {
    const a = v128.load32_splat(x);
    for (; j + 4 <= n; j += 4) {
      const off = <usize>j << 2;
      v128.store(o + off, applyV(op, a, v128.load(y + off)));
    }
  }
  for (; j < n; j++) {
    store<f32>(o + (<usize>j << 2), apply(op, load<f32>(x + (<usize>(j * sx) << 2)), load<f32>(y + (<usize>(j * sy) << 2))));
  }
}

// @ts-ignore: decorator
@inline
function compareV(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case LT: return f32x4.lt(a, b);
    case LE: return f32x4.le(a, b);
    case GT: return f32x4.gt(a, b);
    case GE: return f32x4.ge(a, b);
    case EQ: return f32x4.eq(a, b);
    default: return f32x4.ne(a, b);
  }
}

/** One row of an f32 comparison (LT … NE), 0/1 bytes out; 4 lanes at a time where both steps are 1. */
export function compare_f32(op: i32, o: usize, x: usize, sx: i32, y: usize, sy: i32, n: i32): void {
  let j = 0;
  if (sx == 1 && sy == 1) {
    const one = i32x4.splat(1);
    for (; j + 4 <= n; j += 4) {
      const off = <usize>j << 2;
      // Lane masks (-1/0) to 0/1, narrowed from i32 to bytes: four bytes stored.
      const m = v128.and(compareV(op, v128.load(x + off), v128.load(y + off)), one);
      const b = i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_u(m, m), i16x8.splat(0));
      v128.store32_lane(o + j, b, 0);
    }
  }
  for (; j < n; j++) {
    const a = load<f32>(x + (<usize>(j * sx) << 2));
    const b = load<f32>(y + (<usize>(j * sy) << 2));
    let r = false;
    switch (op) {
      case LT: r = a < b; break;
      case LE: r = a <= b; break;
      case GT: r = a > b; break;
      case GE: r = a >= b; break;
      case EQ: r = a == b; break;
      default: r = a != b;
    }
    store<u8>(o + j, r ? 1 : 0);
  }
}

/** One row of where: o[j] = c[j·sc] ? a[j·sa] : b[j·sb] over 4-byte values (f32 or i32); 4 lanes at a time where every step is 1. */
export function where32(o: usize, c: usize, sc: i32, a: usize, sa: i32, b: usize, sb: i32, n: i32): void {
  let j = 0;
  if (sc == 1 && sa == 1 && sb == 1) {
    const zero = i32x4.splat(0);
    for (; j + 4 <= n; j += 4) {
      const off = <usize>j << 2;
      // Four condition bytes widened to i32 lanes; nonzero picks a.
      const pick = i32x4.ne(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(c + j))), zero);
      v128.store(o + off, v128.bitselect(v128.load(a + off), v128.load(b + off), pick));
    }
  }
  for (; j < n; j++) {
    const pick = load<u8>(c + j * sc) != 0;
    store<u32>(o + (<usize>j << 2), pick ? load<u32>(a + (<usize>(j * sa) << 2)) : load<u32>(b + (<usize>(j * sb) << 2)));
  }
}

const NEG = 0, ABS = 1, SQRT = 2, RELU = 3, LEAKY_RELU = 4;

/** o = f(x) over n f32 values for the unary ops cheap enough to vectorise (NEG … LEAKY_RELU). */
export function unary_f32(op: i32, o: usize, x: usize, n: i32, alpha: f32): void {
  let j = 0;
  const zero = f32x4.splat(0);
  const va = f32x4.splat(alpha);
  for (; j + 4 <= n; j += 4) {
    const off = <usize>j << 2;
    const v = v128.load(x + off);
    let r: v128;
    switch (op) {
      case NEG: r = f32x4.neg(v); break;
      case ABS: r = f32x4.abs(v); break;
      case SQRT: r = f32x4.sqrt(v); break;
      // x < 0 ? 0 : x keeps NaN (NaN < 0 is false).
      case RELU: r = v128.bitselect(zero, v, f32x4.lt(v, zero)); break;
      default: r = v128.bitselect(v, f32x4.mul(v, va), f32x4.gt(v, zero));
    }
    v128.store(o + off, r);
  }
  for (; j < n; j++) {
    const v = load<f32>(x + (<usize>j << 2));
    let r: f32;
    switch (op) {
      case NEG: r = -v; break;
      case ABS: r = abs(v); break;
      case SQRT: r = sqrt(v); break;
      case RELU: r = v < 0 ? 0 : v; break;
      default: r = v > 0 ? v : alpha * v;
    }
    store<f32>(o + (<usize>j << 2), r);
  }
}
