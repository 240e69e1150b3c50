/**
 * Reductions (sum, mean, max over axes) and the along-one-axis ops (softmax, log_softmax, argmax).
 * One thread per output element (or per row, for softmax) loops over the reduced elements in the
 * CPU reference's order — except a few outputs of many elements each (a loss, a gradient norm),
 * where one thread would run alone: there a workgroup per output strides over the elements and
 * combines its threads' partials in workgroup memory (another order of the same sum).
 */
import { normalizeAxes, normalizeAxis, sizeOf, stridesOf } from '../../../ops/shape';
import type { DType, Shape, TensorType } from '../../../ops/types';
import type { KernelArgs, KernelPlan, WgslKernelTable } from '../kernel';
import { inputsNamed, lit, offset, perElement, shader, u, unravel, wgslType, type Binding } from '../wgsl';

/** Dims of `shape` selected by `keep`, adjacent ones merged (row-major contiguous), size-1 dims dropped. */
function mergedDims(shape: Shape, keep: (axis: number) => boolean): { size: number; stride: number }[] {
  const strides = stridesOf(shape);
  const dims: { size: number; stride: number; last: number }[] = [];
  shape.forEach((d, a) => {
    if (!keep(a) || d === 1) return;
    const prev = dims[dims.length - 1];
    if (prev && prev.last === a - 1) dims[dims.length - 1] = { size: prev.size * d, stride: strides[a]!, last: a };
    else dims.push({ size: d, stride: strides[a]!, last: a });
  });
  return dims;
}

/** What one reduction does with each element v: start value, combine into acc, and finish. */
interface Combiner {
  init(dtype: DType): string;
  step(dtype: DType): string;
  finish(count: number, dtype: DType): string;
}

const SUM: Combiner = { init: (t) => lit(0, t), step: () => 'acc = acc + v;', finish: () => 'acc' };
/** mean = Σ / count (NaN for zero elements, as 0/0). */
const MEAN: Combiner = { ...SUM, finish: (n) => `acc / f32(${n})` };
/** max propagates NaN (JavaScript's Math.max does; WGSL's max leaves it unspecified). */
const MAX: Combiner = {
  init: (t) => lit(-Infinity, t),
  step: (t) => (t === 'f32' ? 'acc = select(max(acc, v), acc + v, is_nan(acc) || is_nan(v));' : 'acc = max(acc, v);'),
  finish: () => 'acc',
};

/** Threads of a workgroup that reduces one output (a power of two). */
const PAR = 256;
/**
 * Parallel when each output reduces at least this many elements and there are at most PAR_OUTPUTS
 * outputs. Few outputs: with 64 or more (a bias gradient summing [B, T, 64] over B and T) one
 * thread per output is already parallel enough and much cheaper than a workgroup tree per output —
 * on SwiftShader 20 such sums in a char-GPT step took 846 ms that way, 29 ms serially
 * (bench/profile-gpt.ts).
 */
const PAR_MIN_COUNT = 2048;
const PAR_OUTPUTS = 32;

/** A workgroup per output: threads stride over the reduced elements, then a tree in workgroup memory. */
function parallelReduction(x: TensorType, out: TensorType, combine: Combiner, reduced: Dim[], kept: Dim[], count: number, fused: ReductionFusion): KernelPlan {
  const t = wgslType(x.dtype);
  const body = `  if (wid >= ${u(sizeOf(out.shape))}) { return; }
  let i = wid;
${unravel(
  'i',
  kept.map((d) => d.size),
  'k',
)}
  let base = ${offset(
    'k',
    kept.map((d) => d.stride),
  )};
  {
    var acc: ${t} = ${combine.init(x.dtype)};
    for (var r = li; r < ${u(count)}; r += ${u(PAR)}) {
${unravel(
  'r',
  reduced.map((d) => d.size),
  'q',
)}
      let v = ${fused.element(
        `base + ${offset(
          'q',
          reduced.map((d) => d.stride),
        )}`,
      )};
      ${combine.step(x.dtype)}
    }
    part[li] = acc;
  }
  workgroupBarrier();
  for (var s = ${u(PAR / 2)}; s > 0u; s = s >> 1u) {
    if (li < s) {
      var acc = part[li];
      let v = part[li + s];
      ${combine.step(x.dtype)}
      part[li] = acc;
    }
    workgroupBarrier();
  }
  if (li == 0u) {
    let acc = part[0];
    out[i] = ${fused.store(combine.finish(count, x.dtype))};
  }`;
  const code = shader(fused.inputs, out.dtype, PAR, body, `var<workgroup> part: array<${t}, ${PAR}>;\n${fused.helpers}`);
  return { dispatches: [{ code, inputs: fused.inputs.map((_b, k) => k), workgroups: sizeOf(out.shape) }] };
}

type Dim = { size: number; stride: number };

/**
 * Elementwise work fused into a reduction (engine/backends/webgpu/fused-reduce.ts renders it from the
 * schedule's reduce kernel): the buffers bound, the value reduced for the input element at a flat
 * index, and the value stored for a finished result (`i`, the output index, is in scope).
 */
export interface ReductionFusion {
  readonly inputs: readonly Binding[];
  readonly helpers: string;
  element(index: string): string;
  store(acc: string): string;
}

/** No fusion: the reduction reads x0 and stores its result. */
const plain = (x: DType): ReductionFusion => ({ inputs: inputsNamed([x]), helpers: '', element: (index) => `x0[${index}]`, store: (acc) => acc });

const COMBINERS: Record<'sum' | 'mean' | 'max', Combiner> = { sum: SUM, mean: MEAN, max: MAX };

/**
 * The dispatch of a sum, mean or max of `x` over `axes` into `out`: one thread per output, or a
 * workgroup per output for a few large ones; `fused` supplies the reduced elements and the stored values.
 */
export function reductionDispatches(op: 'sum' | 'mean' | 'max', x: TensorType, axes: readonly number[], out: TensorType, fused = plain(x.dtype)): KernelPlan {
  return reduction(COMBINERS[op])({ inputs: [x], attrs: { axes, keepdims: true }, out }, fused);
}

function reduction(combine: Combiner) {
  return ({ inputs, attrs, out }: KernelArgs<'sum' | 'mean' | 'max'>, fused = plain(inputs[0]!.dtype)): KernelPlan => {
    const x = inputs[0]!;
    const axes = normalizeAxes(attrs.axes, x.shape.length);
    const reduced = mergedDims(x.shape, (a) => axes.includes(a));
    const kept = mergedDims(x.shape, (a) => !axes.includes(a));
    const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
    if (count >= PAR_MIN_COUNT && sizeOf(out.shape) <= PAR_OUTPUTS) return parallelReduction(x, out, combine, reduced, kept, count, fused);
    // Output coordinates over the kept dims give the base; nested loops walk the reduced dims in order.
    const lines = [
      unravel(
        'i',
        kept.map((d) => d.size),
        'k',
      ),
      `  let base = ${offset(
        'k',
        kept.map((d) => d.stride),
      )};`,
      `  var acc: ${wgslType(x.dtype)} = ${combine.init(x.dtype)};`,
    ];
    reduced.forEach((d, r) => lines.push(`${'  '.repeat(r + 1)}for (var r${r} = 0u; r${r} < ${u(d.size)}; r${r}++) {`));
    const depth = '  '.repeat(reduced.length + 1);
    lines.push(
      `${depth}let v = ${fused.element(
        `base + ${offset(
          'r',
          reduced.map((d) => d.stride),
        )}`,
      )};`,
      `${depth}${combine.step(x.dtype)}`,
    );
    reduced.forEach((_d, r) => lines.push(`${'  '.repeat(reduced.length - r)}}`));
    lines.push(`  out[i] = ${fused.store(combine.finish(count, x.dtype))};`);
    const bound = fused.inputs.map((_b, k) => k);
    return { dispatches: [perElement(fused.inputs, bound, out.dtype, sizeOf(out.shape), lines.join('\n'), fused.helpers)] };
  };
}

/** [outer, len, inner] around one axis. */
function aroundAxis(shape: Shape, axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis]!, sizeOf(shape.slice(axis + 1))];
}

/** One thread per (outer, inner) row along `axis`: `row` sees `base`, and element j lives at base + j·inner. */
function perRow(x: TensorType, axis: number, out: DType, row: string): KernelPlan {
  const [outer, len, inner] = aroundAxis(x.shape, normalizeAxis(axis, x.shape.length));
  const body = `  let base = (i / ${u(inner)}) * ${u(len * inner)} + i % ${u(inner)};
  let LEN = ${u(len)};
  let STEP = ${u(inner)};
${row}`;
  const helpers = 'fn exp_n(v: f32) -> f32 { return select(exp(v), v, is_nan(v)); } // NaN stays NaN';
  return { dispatches: [perElement(inputsNamed([x.dtype]), [0], out, outer * inner, body, helpers)] };
}

/** softmax: e^(x - max) / Σ e^(x - max); log_softmax: x - max - log Σ e^(x - max). */
function softmax(log: boolean) {
  return ({ inputs, attrs, out }: KernelArgs<'softmax' | 'log_softmax'>): KernelPlan =>
    perRow(
      inputs[0]!,
      attrs.axis,
      out.dtype,
      `
  var m = ${lit(-Infinity, 'f32')};
  for (var j = 0u; j < LEN; j++) { let v = x0[base + j * STEP]; m = select(max(m, v), m + v, is_nan(m) || is_nan(v)); }
  var s = 0.0;
  for (var j = 0u; j < LEN; j++) { s += exp_n(x0[base + j * STEP] - m); }
  ${log ? 'let shift = m + log(s);' : ''}
  for (var j = 0u; j < LEN; j++) {
    let at = base + j * STEP;
    // A NaN or +inf in the row makes it all NaN (inf - inf), as on the CPU; WGSL leaves those cases indeterminate.
    out[at] = select(${log ? 'x0[at] - shift' : 'exp_n(x0[at] - m) / s'}, ${lit(NaN, 'f32')}, is_nan(m) || (is_inf(m) && m > 0.0));
  }`,
    );
}

export const REDUCE_KERNELS = {
  sum: (args) => reduction(SUM)(args),
  mean: (args) => reduction(MEAN)(args),
  max: (args) => reduction(MAX)(args),
  softmax: softmax(false),
  log_softmax: softmax(true),

  /**
   * Index of the largest value along axis; the first one wins ties (strictly greater replaces), and
   * the first NaN wins over every number (as on the CPU and in PyTorch). NaN is tested by its bits.
   */
  argmax: ({ inputs, attrs, out }) =>
    perRow(
      inputs[0]!,
      attrs.axis,
      out.dtype,
      `
  var best = x0[base];
  var at = 0i;
  for (var j = 1u; j < LEN; j++) {
    let v = x0[base + j * STEP];
    if (${inputs[0]!.dtype === 'f32' ? '!is_nan(best) && (is_nan(v) || v > best)' : 'v > best'}) { best = v; at = i32(j); }
  }
  out[i] = at;`,
    ),
} satisfies Partial<WgslKernelTable>;
