/**
 * The schedule's fused elementwise kernels on the WASM backend: an SSA list of loads, literals and
 * table ops (engine/compile/schedule) evaluated block by block, every intermediate in a block-sized
 * slot of scratch memory instead of a whole tensor. Each op of a block is one call of a SIMD row
 * kernel (assembly/elementwise.ts: f32 arithmetic, comparisons, where, the cheap unary ops) on
 * operands given as (pointer, step 0 or 1); loads read the source tensor in place where the
 * broadcast view is contiguous or constant along the row (no copy), else are gathered into their slot.
 * Ops with no SIMD kernel (exp, tanh, pow, i32 and bool maths …) run the expression table's JS maths
 * over the same slots, storing into typed arrays of their dtype exactly as the CPU reference does.
 * Values equal at every element (literals, single-element loads, ops on those only) are computed
 * once per run and read with step 0. A GEMM kernel's epilogue is the same evaluation over the product.
 */
import { viewStrides } from '../../compile/schedule/elementwise';
import { expressionOf } from '../../compile/schedule/expressions';
import { dtypeOf, type Expr } from '../../compile/schedule/kernels';
import { sizeOf, stridesOf } from '../../ops/shape';
import type { Attrs, DType, Shape } from '../../ops/types';
import { RowWalker } from '../cpu/kernels/strided';
import type { WasmContext } from './kernel';
import { BYTES } from './runtime';

/** Elements evaluated at a time: a block of every live expression stays in cache. */
export const BLOCK = 2048;

/** Arithmetic (binary_f32) and comparison (compare_f32) codes: assembly/elementwise.ts. */
const ARITH: Readonly<Record<string, number>> = { add: 0, sub: 1, mul: 2, div: 3, minimum: 4, maximum: 5 };
const COMPARE: Readonly<Record<string, number>> = { less: 6, less_equal: 7, greater: 8, greater_equal: 9, equal: 10, not_equal: 11 };
// leaky_relu's SIMD kernel multiplies by alpha rounded to f32; the reference by the double alpha: it runs the JS maths.
const UNARY: Readonly<Record<string, number>> = { neg: 0, abs: 1, sqrt: 2, relu: 3 };

/** A program to evaluate: `exprs` over `domain`, storing `stores[q]` into the tensor at `outs[q]`. */
export interface Program {
  readonly domain: Shape;
  readonly exprs: readonly Expr[];
  readonly stores: readonly { readonly expr: number; readonly shape: Shape }[];
}

/** Scratch bytes a program needs: a block slot and a one-element slot per expression. */
export function programScratch(p: Program): number {
  const block = Math.min(BLOCK, Math.max(1, sizeOf(p.domain)));
  const tiles = periods(p).reduce((n, period) => n + (period ? Math.ceil(((block + period) * 4) / 16) * 16 : 0), 0);
  return p.exprs.length * (Math.ceil((block * 4) / 16) * 16 + 16) + tiles;
}

/**
 * Per expression, the period of a load whose flat index is the domain's modulo its size (a bias
 * [c] over [..., c]: its shape, less leading 1s, is the domain's last dims), else 0. Where every
 * load that varies is full-size or periodic and every store full-size, the domain is walked as one
 * flat row and a periodic load read from a tile of its repeats (a bias add over [n, h, w, c] runs
 * in blocks, not in rows of c elements).
 */
function periods(p: Program): number[] {
  const { domain, exprs, stores } = p;
  const size = sizeOf(domain);
  const none = exprs.map(() => 0);
  if (stores.some((st) => sizeOf(st.shape) !== size)) return none;
  const out = exprs.map((e) => {
    if (e.kind !== 'load') return 0;
    const n = sizeOf(e.shape);
    if (n === size || n === 1) return 0;
    const shape = e.shape.slice(e.shape.findIndex((d) => d !== 1));
    const tail = domain.slice(domain.length - shape.length);
    return n <= BLOCK && shape.length <= domain.length && shape.every((d, i) => d === tail[i]) ? n : -1;
  });
  return out.includes(-1) || !out.some((n) => n > 0) ? none : out;
}

/** How an expression is evaluated per block (decided once per run): an instruction code. */
const UNIFORM = 0,
  LOAD = 1,
  ALIAS = 2,
  ARITH_OP = 3,
  COMPARE_OP = 4,
  UNARY_OP = 5,
  WHERE = 6,
  BOOL_TO_F32 = 7,
  I32_TO_F32 = 8,
  JS = 9;

/** Typed views of the whole memory, indexed by byte offset / element size. */
interface Views {
  readonly f32: Float32Array;
  readonly i32: Int32Array;
  readonly bool: Uint8Array;
}

const shift = (t: DType) => (t === 'bool' ? 0 : 2);

/**
 * A program prepared once (at prepare time): its instructions, the walk over its domain and the
 * layout of its slots in scratch (at byte offset `scratch`). `run` evaluates it with loads (and a
 * GEMM's accumulator) read from `source(e)`, the tensor's byte offset (an accumulator is read as an
 * [m, n] f32 tensor), storing into the tensors at byte offsets `outs`.
 */
export class FusedProgram {
  private readonly block: number;
  private readonly slot: number[];
  private readonly one: number[];
  private readonly types: DType[];
  private readonly uniform: boolean[];
  private readonly walked: number[];
  private readonly w: RowWalker;
  private readonly code: Int32Array;
  private readonly argA: Int32Array;
  private readonly argB: Int32Array;
  private readonly argC: Int32Array;
  private readonly param: Int32Array;
  private readonly alpha: Float32Array;
  private readonly fns: ((x: number, y: number, z: number) => number)[] = [];
  private readonly ptr: Int32Array;
  private readonly step: Int32Array;
  private readonly direct: Int32Array;
  private readonly active: Int32Array;
  private readonly empty: boolean;
  private readonly period: number[];
  /** Per periodic load: byte offset of its tile (block + period elements of its repeats). */
  private readonly tile: number[];

  constructor(
    private readonly p: Program,
    scratch: number,
  ) {
    const { domain, exprs, stores } = p;
    const size = sizeOf(domain);
    this.empty = size === 0;
    const block = (this.block = Math.min(BLOCK, Math.max(1, size)));
    const slotBytes = Math.ceil((block * 4) / 16) * 16;
    const slot = (this.slot = exprs.map((_e, k) => scratch + k * (slotBytes + 16)));
    this.one = exprs.map((_e, k) => slot[k]! + slotBytes);
    const types = (this.types = exprs.map(dtypeOf));
    // Which values are uniform, and the strides of every load that is not.
    const loadStrides = exprs.map((e) => (e.kind === 'load' ? viewStrides(e.shape, domain) : e.kind === 'acc' ? stridesOf(domain) : undefined));
    const uniform: boolean[] = (this.uniform = []);
    exprs.forEach((e, k) => {
      if (e.kind === 'literal') uniform[k] = true;
      else if (e.kind === 'op') uniform[k] = e.args.every((i) => uniform[i]);
      else uniform[k] = loadStrides[k]!.every((st) => st === 0);
    });
    const walked = (this.walked = exprs.flatMap((_e, k) => (loadStrides[k] && !uniform[k] ? [k] : [])));
    const period = (this.period = periods(p));
    const tiles = exprs.length * (slotBytes + 16);
    this.tile = exprs.map((_e, k) => scratch + tiles + period.slice(0, k).reduce((n, q) => n + (q ? Math.ceil(((block + q) * 4) / 16) * 16 : 0), 0));
    // Flat: one row over the domain, every view contiguous (a periodic load's view is its tile).
    const flat = period.some((q) => q > 0);
    const w = (this.w = flat
      ? new RowWalker([size], [...walked.map(() => [1]), ...stores.map(() => [1])])
      : new RowWalker(domain, [...walked.map((k) => loadStrides[k]!), ...stores.map((st) => viewStrides(st.shape, domain))]));
    // Every expression that is not uniform an instruction: code, operands, SIMD op code (or the walker view of a load).
    const m = exprs.length;
    const code = (this.code = new Int32Array(m));
    const argA = (this.argA = new Int32Array(m));
    const argB = (this.argB = new Int32Array(m));
    const argC = (this.argC = new Int32Array(m));
    const param = (this.param = new Int32Array(m));
    const alpha = (this.alpha = new Float32Array(m));
    const fns = this.fns;
    this.ptr = new Int32Array(m); // per block: each value's byte offset and step (0 or 1)
    this.step = new Int32Array(m);
    exprs.forEach((e, k) => {
      const t = types[k]!;
      if (e.kind === 'op') fns[k] = expressionOf(e.op).js(e.attrs as Attrs<never>, e.types);
      if (uniform[k]) {
        code[k] = UNIFORM;
        return;
      }
      if (e.kind === 'load' || e.kind === 'acc') {
        code[k] = LOAD;
        param[k] = walked.indexOf(k);
        return;
      }
      if (e.kind !== 'op') throw new Error('a literal is uniform');
      const entry = expressionOf(e.op);
      const [a, b, c] = e.args;
      argA[k] = a!;
      argB[k] = b ?? a!;
      argC[k] = c ?? a!;
      const f32In = e.types.input === 'f32';
      const allF32 = [t, ...e.args.map((i) => types[i])].every((d) => d === 'f32');
      if (entry.copy) code[k] = ALIAS;
      else if (f32In && t === 'f32' && ARITH[e.op] !== undefined) [code[k], param[k]] = [ARITH_OP, ARITH[e.op]!];
      else if (f32In && t === 'bool' && COMPARE[e.op] !== undefined) [code[k], param[k]] = [COMPARE_OP, COMPARE[e.op]!];
      else if (f32In && t === 'f32' && UNARY[e.op] !== undefined) {
        [code[k], param[k]] = [UNARY_OP, UNARY[e.op]!];
        alpha[k] = (e.attrs as { alpha?: number }).alpha ?? 0;
      } else if (e.op === 'cast' && t === 'f32' && e.types.input === 'bool') code[k] = BOOL_TO_F32;
      else if (e.op === 'cast' && t === 'f32' && e.types.input === 'i32') code[k] = I32_TO_F32;
      else if (e.op === 'where' && types[a!] === 'bool' && types[b!] !== 'bool' && types[c!] === types[b!] && t === types[b!]) code[k] = WHERE;
      else code[k] = allF32 ? JS : JS + 1;
    });
    // An op stored by a contiguous store writes straight into its output (the first such store).
    const direct = (this.direct = new Int32Array(m).fill(-1));
    stores.forEach((st, q) => {
      const k = st.expr;
      if (w.step[walked.length + q] === 1 && direct[k]! < 0 && code[k]! >= ARITH_OP) direct[k] = q;
    });
    this.active = Int32Array.from(exprs.flatMap((_e, k) => (code[k] === UNIFORM ? [] : [k])));
  }

  run(ctx: WasmContext, source: (e: Expr) => number, outs: readonly number[]): void {
    if (this.empty) return;
    const { exprs, stores } = this.p;
    const { block, slot, one, types, uniform, walked, period, tile, w, code, argA, argB, argC, param, alpha, fns, ptr, step, direct, active } = this;
    const buffer = ctx.mem.buffer;
    const views: Views = { f32: new Float32Array(buffer), i32: new Int32Array(buffer), bool: new Uint8Array(buffer) };
    const view = (t: DType) => views[t] as Float32Array | Int32Array | Uint8Array;
    // Uniform values once per run, each stored in its dtype (as the per-op kernels round or wrap); loads' tensors.
    for (let k = 0; k < exprs.length; k++) {
      const e = exprs[k]!;
      const t = types[k]!;
      if (!uniform[k]) {
        if (code[k] !== LOAD) continue;
        const q = period[k]!;
        if (q === 0) argA[k] = source(e);
        else {
          // The tile: the load's values repeated over block + period elements, read at (flat index mod period).
          const v = view(t);
          const from = source(e) >> shift(t);
          const to = tile[k]! >> shift(t);
          for (let i = 0; i < block + q; i += q) v.copyWithin(to + i, from, from + Math.min(q, block + q - i));
          argA[k] = tile[k]!;
        }
        continue;
      }
      let v: number;
      if (e.kind === 'literal') v = e.value;
      else if (e.kind === 'op') {
        const arg = (i: number | undefined) => (i === undefined ? 0 : view(types[i]!)[one[i]! >> shift(types[i]!)]!);
        v = fns[k]!(arg(e.args[0]), arg(e.args[1]), arg(e.args[2]));
      } else v = view(t)[source(e) >> shift(t)]!;
      view(t)[one[k]! >> shift(t)] = e.kind === 'literal' && t === 'bool' ? (v ? 1 : 0) : v;
      ptr[k] = one[k]!;
      step[k] = 0;
    }
    const { k: wasm } = ctx;
    const base = w.base;
    const wstep = w.step;
    const storeView = walked.length;
    for (let r = 0; r < w.count; r++, w.next()) {
      for (let j0 = 0; j0 < w.length; j0 += block) {
        const n = Math.min(block, w.length - j0);
        for (let i = 0; i < active.length; i++) {
          const k = active[i]!;
          const op = code[k]!;
          const a = argA[k]!;
          if (op === LOAD) {
            const v = param[k]!;
            const s = wstep[v]!;
            const bytes = BYTES[types[k]!];
            const q = period[k]!;
            const at = q ? a + (j0 % q) * bytes : a + (base[v]! + j0 * s) * bytes;
            if (s === 0 || s === 1) {
              ptr[k] = at;
              step[k] = s;
            } else {
              gather(view(types[k]!), shift(types[k]!), slot[k]!, at, s, n);
              ptr[k] = slot[k]!;
              step[k] = 1;
            }
            continue;
          }
          if (op === ALIAS) {
            ptr[k] = ptr[a]!;
            step[k] = step[a]!;
            continue;
          }
          const q = direct[k]!;
          const o = q >= 0 ? outs[q]! + (base[storeView + q]! + j0) * BYTES[types[k]!] : slot[k]!;
          const b = argB[k]!;
          ptr[k] = o;
          step[k] = 1;
          switch (op) {
            case ARITH_OP:
              wasm.binary_f32(param[k]!, o, ptr[a]!, step[a]!, ptr[b]!, step[b]!, n);
              break;
            case COMPARE_OP:
              wasm.compare_f32(param[k]!, o, ptr[a]!, step[a]!, ptr[b]!, step[b]!, n);
              break;
            case WHERE: {
              const c = argC[k]!;
              wasm.where32(o, ptr[a]!, step[a]!, ptr[b]!, step[b]!, ptr[c]!, step[c]!, n);
              break;
            }
            case UNARY_OP:
              if (step[a] === 1) wasm.unary_f32(param[k]!, o, ptr[a]!, n, alpha[k]!);
              else jsF32(views.f32, fns[k]!, o >> 2, ptr[a]! >> 2, step[a]!, 0, 0, 0, 0, n);
              break;
            case BOOL_TO_F32:
              if (step[a] === 1) wasm.u8_to_f32(o, ptr[a]!, n);
              else views.f32.fill(views.bool[ptr[a]!]!, o >> 2, (o >> 2) + n);
              break;
            case I32_TO_F32:
              if (step[a] === 1) wasm.i32_to_f32(o, ptr[a]!, n);
              else views.f32.fill(views.i32[ptr[a]! >> 2]!, o >> 2, (o >> 2) + n);
              break;
            case JS: {
              const c = argC[k]!;
              jsF32(views.f32, fns[k]!, o >> 2, ptr[a]! >> 2, step[a]!, ptr[b]! >> 2, step[b]!, ptr[c]! >> 2, step[c]!, n);
              break;
            }
            default: {
              const c = argC[k]!;
              const [ta, tb, tc] = [types[a]!, types[b]!, types[c]!];
              jsAny(
                view(types[k]!),
                fns[k]!,
                o >> shift(types[k]!),
                view(ta),
                ptr[a]! >> shift(ta),
                step[a]!,
                view(tb),
                ptr[b]! >> shift(tb),
                step[b]!,
                view(tc),
                ptr[c]! >> shift(tc),
                step[c]!,
                n,
              );
            }
          }
        }
        for (let q = 0; q < stores.length; q++) {
          const k = stores[q]!.expr;
          if (direct[k] === q) continue;
          const t = types[k]!;
          const s = wstep[storeView + q]!;
          const v = view(t);
          const oi = (outs[q]! >> shift(t)) + base[storeView + q]! + j0 * s;
          const si = ptr[k]! >> shift(t);
          const ss = step[k]!;
          if (s === 1 && ss === 1) v.copyWithin(oi, si, si + n);
          else if (s === 0) v[oi] = v[si + (n - 1) * ss]!;
          else for (let j = 0; j < n; j++) v[oi + j * s] = v[si + j * ss]!;
        }
      }
    }
  }
}

/** o[j] = f(a[j·sa], b[j·sb], c[j·sc]) over f32 memory (one typed-array class: the loop stays monomorphic). */
function jsF32(
  m: Float32Array,
  f: (x: number, y: number, z: number) => number,
  o: number,
  a: number,
  sa: number,
  b: number,
  sb: number,
  c: number,
  sc: number,
  n: number,
): void {
  for (let j = 0; j < n; j++) m[o + j] = f(m[a + j * sa]!, m[b + j * sb]!, m[c + j * sc]!);
}

/** Copy n elements at `step` from byte offset `from` into the slot at byte offset `to`. */
function gather(v: Float32Array | Int32Array | Uint8Array, sh: number, to: number, from: number, step: number, n: number): void {
  const d = to >> sh;
  const s = from >> sh;
  for (let j = 0; j < n; j++) v[d + j] = v[s + j * step]!;
}

/** The same as jsF32 over views of any dtype (i32 and bool maths, casts): stores round or wrap as the reference's do. */
function jsAny(
  out: Float32Array | Int32Array | Uint8Array,
  f: (x: number, y: number, z: number) => number,
  o: number,
  va: Float32Array | Int32Array | Uint8Array,
  a: number,
  sa: number,
  vb: Float32Array | Int32Array | Uint8Array,
  b: number,
  sb: number,
  vc: Float32Array | Int32Array | Uint8Array,
  c: number,
  sc: number,
  n: number,
): void {
  for (let j = 0; j < n; j++) out[o + j] = f(va[a + j * sa]!, vb[b + j * sb]!, vc[c + j * sc]!);
}
