/**
 * WGSL code generation shared by every kernel: storage types, exact literals, the shader
 * scaffolding (bindings, a linear workgroup id over a 2-D dispatch) and index maths baked as
 * constants (the graph is static, so every shape is known when the shader is written).
 */
import { sizeOf } from '../../ops/shape';
import type { DType, Shape } from '../../ops/types';
import { toDtype } from '../cpu/kernels/storage';
import type { Dispatch } from './kernel';

/** Threads per workgroup of the one-thread-per-element kernels. */
export const WG = 64;

/** Storage element type of a dtype: bool is stored as u32 0/1. */
export function wgslType(dtype: DType): 'f32' | 'i32' | 'u32' {
  return dtype === 'f32' ? 'f32' : dtype === 'i32' ? 'i32' : 'u32';
}

const bits = new Uint32Array(1);
const asF32 = new Float32Array(bits.buffer);

/**
 * `value` converted to dtype as a WGSL expression. Non-finite f32 values read a private zero so the
 * expression is not a const-expression (WGSL rejects const-expressions that give inf or NaN).
 */
export function lit(value: number, dtype: DType): string {
  const v = toDtype(value, dtype);
  if (dtype === 'bool') return `${v}u`;
  if (dtype === 'i32') return v === -2147483648 ? 'bitcast<i32>(0x80000000u)' : `${v}i`;
  asF32[0] = v;
  if (!Number.isFinite(asF32[0])) return `bitcast<f32>(0x${bits[0]!.toString(16)}u + ZERO)`;
  const s = String(asF32[0]);
  return `f32(${/[.e]/.test(s) ? s : `${s}.0`})`;
}

/** A u32 literal. */
export function u(n: number): string {
  return `${n >>> 0}u`;
}

/** Helpers every shader may call. They read bits: a compiler may fold `x != x` to false or assume no infinities. */
const PRELUDE = `var<private> ZERO: u32 = 0u;
fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn is_inf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
`;

/** One storage binding: the name the body uses and its dtype. */
export interface Binding {
  readonly name: string;
  readonly dtype: DType;
}

/**
 * A full compute shader: inputs at bindings 0..k-1 (read-only), `out` at binding k, the uniform
 * `p` of u32 `params` at binding k+1 when there are any, and `main`
 * with `wid` (linear workgroup id) and `li` (local index) in scope before `body`.
 */
export function shader(inputs: readonly Binding[], out: DType, workgroupSize: number, body: string, helpers = '', params: readonly string[] = []): string {
  return shaderWithOutputs(inputs, [{ name: 'out', dtype: out }], workgroupSize, body, helpers, params);
}

/**
 * A compute shader with several outputs (fused kernels): inputs at bindings 0..k-1 (read-only),
 * `outputs` at k..k+o-1 (read-write), then the uniform `p` when there are `params`.
 */
export function shaderWithOutputs(
  inputs: readonly Binding[],
  outputs: readonly Binding[],
  workgroupSize: number,
  body: string,
  helpers = '',
  params: readonly string[] = [],
): string {
  const decls = inputs.map((b, k) => `@group(0) @binding(${k}) var<storage, read> ${b.name}: array<${wgslType(b.dtype)}>;`);
  outputs.forEach((b, k) => decls.push(`@group(0) @binding(${inputs.length + k}) var<storage, read_write> ${b.name}: array<${wgslType(b.dtype)}>;`));
  if (params.length) {
    decls.push(`struct Params { ${params.map((n) => `${n}: u32`).join(', ')} }`);
    decls.push(`@group(0) @binding(${inputs.length + outputs.length}) var<uniform> p: Params;`);
  }
  return `${PRELUDE}${decls.join('\n')}
${helpers}
@compute @workgroup_size(${workgroupSize})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let wid = wg.y * nwg.x + wg.x;
${body}
}
`;
}

/**
 * A dispatch of one thread per output element: `body` sees `i` (the flat output index, < n) and
 * writes out[i]. `inputs` lists which node inputs are bound, in binding order.
 */
export function perElement(bindings: readonly Binding[], inputs: readonly number[], out: DType, n: number, body: string, helpers = ''): Dispatch {
  const code = shader(bindings, out, WG, `  let i = wid * ${u(WG)} + li;\n  if (i >= ${u(n)}) { return; }\n${body}`, helpers);
  return { code, inputs, workgroups: Math.ceil(n / WG) };
}

/** Bindings x0, x1, … for inputs of these dtypes. */
export function inputsNamed(dtypes: readonly DType[]): Binding[] {
  return dtypes.map((dtype, k) => ({ name: `x${k}`, dtype }));
}

/**
 * Statements that split flat index `idx` of `shape` (row-major) into coordinates `${p}0 … ${p}{r-1}`.
 * Dims of size 1 give a constant 0 and cost no division.
 */
export function unravel(idx: string, shape: Shape, p: string): string {
  const lines: string[] = [];
  let rest = idx;
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d]!;
    if (size === 1) lines.push(`  let ${p}${d} = 0u;`);
    else if (d === 0 || sizeOf(shape.slice(0, d)) === 1) lines.push(`  let ${p}${d} = ${rest};`);
    else {
      lines.push(`  let ${p}${d} = ${rest} % ${u(size)};`, `  let ${p}q${d} = ${rest} / ${u(size)};`);
      rest = `${p}q${d}`;
    }
  }
  return lines.join('\n');
}

/** Σ coordinate·stride over dims with a non-zero stride, plus `base`; '0u' when empty. */
export function offset(p: string, strides: readonly number[], base = 0): string {
  const terms = strides.flatMap((s, d) => (s === 0 ? [] : [s === 1 ? `${p}${d}` : `${p}${d} * ${u(s)}`]));
  if (base !== 0) terms.push(u(base));
  return terms.length ? terms.join(' + ') : '0u';
}
