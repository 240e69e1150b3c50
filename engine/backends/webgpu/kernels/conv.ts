/**
 * conv2d and its two gradients as implicit GEMMs (gemm.ts; no im2col copy), NHWC images and HWIO
 * filters, one GEMM per channel group (the GEMM's batch index is the group):
 *   y[n,oy,ox,g·cog+co]   = Σ_{ky,kx,ci} x[n, oy·sh + ky·dh - pt, ox·sw + kx·dw - pl, g·cig+ci] · w[ky,kx,ci,g·cog+co]
 *     GEMM rows (n,oy,ox) · inner (ky,kx,ci) · columns co; the filter is a dense [kh·kw·cig, co] matrix.
 *   dx[n,iy,ix,g·cig+ci]  = Σ_{ky,kx,co} dy[n, (iy + pt - ky·dh)/sh, (ix + pl - kx·dw)/sw, g·cog+co] · w[ky,kx,ci,g·cog+co]
 *     (terms whose division is inexact or falls outside dy are zero): rows (n,iy,ix) · inner (ky,kx,co) · columns ci.
 *   dw[ky,kx,ci,g·cog+co] = Σ_{n,oy,ox} x[n, oy·sh + ky·dh - pt, ox·sw + kx·dw - pl, g·cig+ci] · dy[n,oy,ox,g·cog+co]
 *     rows (ky,kx,ci) · inner (n,oy,ox) (long: split-K pays off there) · columns co; dy is a dense [·, co] matrix.
 * Cells outside the image read as zero. A 1×1 convolution with stride 1 and no padding is a plain
 * matmul over pixels, so all its operands are dense.
 */
import type { Attrs, ConvAttrs, Op, Shape, TensorType } from '../../../ops/types';
import type { KernelArgs, WgslKernelTable } from '../kernel';
import { u } from '../wgsl';
import { gemm, type GemmOperand, type GemmSpec } from './gemm';
import { chooseVariant } from './matmul';

type ConvOp = 'conv2d' | 'conv2d_grad_input' | 'conv2d_grad_filter';

export function isConvOp(op: Op): op is ConvOp {
  return op === 'conv2d' || op === 'conv2d_grad_input' || op === 'conv2d_grad_filter';
}

/** The tuner's key of a convolution kernel: op, operand shapes and attributes. */
export function convKey<O extends ConvOp>(op: O, inputs: readonly TensorType[], attrs: Attrs<O>): string {
  return `${op} ${inputs.map((t) => `[${t.shape.join(',')}]`).join(' ')} ${JSON.stringify(attrs)}`;
}

/** Every size of a convolution, from its image, filter and output shapes. */
interface Geometry {
  readonly nb: number;
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly kh: number;
  readonly kw: number;
  readonly cig: number;
  readonly co: number;
  readonly cog: number;
  readonly ho: number;
  readonly wo: number;
  readonly groups: number;
  readonly sh: number;
  readonly sw: number;
  readonly dh: number;
  readonly dw: number;
  readonly pt: number;
  readonly pl: number;
}

function geometry(x: Shape, f: Shape, y: Shape, a: ConvAttrs): Geometry {
  const [nb, h, w, c] = x as [number, number, number, number];
  const [kh, kw, cig, co] = f as [number, number, number, number];
  return {
    nb,
    h,
    w,
    c,
    kh,
    kw,
    cig,
    co,
    cog: co / a.groups,
    ho: y[1]!,
    wo: y[2]!,
    groups: a.groups,
    sh: a.stride[0],
    sw: a.stride[1],
    dh: a.dilation[0],
    dw: a.dilation[1],
    pt: a.padding[0],
    pl: a.padding[2],
  };
}

/** 1×1 window, stride 1, no padding: every pixel is one GEMM row. */
function pointwise(g: Geometry): boolean {
  return g.kh === 1 && g.kw === 1 && g.sh === 1 && g.sw === 1 && g.pt === 0 && g.pl === 0 && g.ho === g.h && g.wo === g.w;
}

/** WGSL statements: split flat u32 `v` into the named coordinates (outermost first) of the given sizes. */
function split(v: string, names: readonly string[], sizes: readonly number[]): string {
  const lines: string[] = [];
  let rest = v;
  for (let d = names.length - 1; d > 0; d--) {
    lines.push(`  let ${names[d]} = ${rest} % ${u(sizes[d]!)};`);
    lines.push(`  let ${names[d]}_rest = ${rest} / ${u(sizes[d]!)};`);
    rest = `${names[d]}_rest`;
  }
  lines.push(`  let ${names[0]} = ${rest};`);
  return lines.join('\n');
}

/** Reads image x at window tap (ky, kx) of output pixel (b, oy, ox), channel o + ci; zero outside. */
function imageTap(g: Geometry, binding: string): string {
  return `  let iy = i32(oy * ${u(g.sh)} + ky * ${u(g.dh)}) - ${g.pt}i;
  let ix = i32(ox * ${u(g.sw)} + kx * ${u(g.dw)}) - ${g.pl}i;
  let inside = iy >= 0i && iy < ${g.h}i && ix >= 0i && ix < ${g.w}i;
  let at = ((b * ${u(g.h)} + u32(clamp(iy, 0i, ${g.h - 1}i))) * ${u(g.w)} + u32(clamp(ix, 0i, ${g.w - 1}i))) * ${u(g.c)} + o + ci;
  return select(0.0, ${binding}[at], inside);`;
}

/** Dense operand helper: `aligned` when every group's offset is a multiple of 4. */
const dense = (sr: number, sq: number, groupStride: number, groups: number): GemmOperand => ({
  dense: { sr, sq, aligned: groups === 1 || groupStride % 4 === 0 },
});

function forwardSpec(g: Geometry): GemmSpec {
  const a: GemmOperand = pointwise(g)
    ? dense(g.c, 1, g.cig, g.groups)
    : {
        gather: (name, x) => `fn ${name}(o: u32, r: u32, q: u32) -> f32 {
${split('r', ['b', 'oy', 'ox'], [g.nb, g.ho, g.wo])}
${split('q', ['ky', 'kx', 'ci'], [g.kh, g.kw, g.cig])}
${imageTap(g, x)}
}`,
      };
  return {
    m: g.nb * g.ho * g.wo,
    n: g.cog,
    k: g.kh * g.kw * g.cig,
    batches: g.groups,
    batchOffsets: `  let aOff = bi * ${u(g.cig)};\n  let bOff = bi * ${u(g.cog)};\n  let oOff = bi * ${u(g.cog)};`,
    a,
    b: dense(1, g.co, g.cog, g.groups),
    ldo: g.co,
  };
}

function gradInputSpec(g: Geometry): GemmSpec {
  const a: GemmOperand = pointwise(g)
    ? dense(g.co, 1, g.cog, g.groups)
    : {
        gather: (name, dy) => `fn ${name}(o: u32, r: u32, q: u32) -> f32 {
${split('r', ['b', 'iy', 'ix'], [g.nb, g.h, g.w])}
${split('q', ['ky', 'kx', 'co'], [g.kh, g.kw, g.cog])}
  let ty = i32(iy) + ${g.pt}i - i32(ky * ${u(g.dh)});
  let tx = i32(ix) + ${g.pl}i - i32(kx * ${u(g.dw)});
  let oy = ty / ${g.sh}i;
  let ox = tx / ${g.sw}i;
  let inside = ty >= 0i && tx >= 0i && ty % ${g.sh}i == 0i && tx % ${g.sw}i == 0i && oy < ${g.ho}i && ox < ${g.wo}i;
  let at = ((b * ${u(g.ho)} + u32(clamp(oy, 0i, ${g.ho - 1}i))) * ${u(g.wo)} + u32(clamp(ox, 0i, ${g.wo - 1}i))) * ${u(g.co)} + o + co;
  return select(0.0, ${dy}[at], inside);
}`,
      };
  // B(q = (ky, kx, co), col = ci) = w[ky, kx, ci, o + co].
  const b: GemmOperand = pointwise(g)
    ? dense(g.co, 1, g.cog, g.groups)
    : {
        gather: (name, w) => `fn ${name}(o: u32, r: u32, q: u32) -> f32 {
  let co = q % ${u(g.cog)};
  let tap = q / ${u(g.cog)};
  return ${w}[(tap * ${u(g.cig)} + r) * ${u(g.co)} + o + co];
}`,
      };
  return {
    m: g.nb * g.h * g.w,
    n: g.cig,
    k: g.kh * g.kw * g.cog,
    batches: g.groups,
    batchOffsets: `  let aOff = bi * ${u(g.cog)};\n  let bOff = bi * ${u(g.cog)};\n  let oOff = bi * ${u(g.cig)};`,
    a,
    b,
    ldo: g.c,
  };
}

function gradFilterSpec(g: Geometry): GemmSpec {
  // A(row = (ky, kx, ci), q = (b, oy, ox)) = x at that tap.
  const a: GemmOperand = pointwise(g)
    ? dense(1, g.c, g.cig, g.groups)
    : {
        gather: (name, x) => `fn ${name}(o: u32, r: u32, q: u32) -> f32 {
${split('r', ['ky', 'kx', 'ci'], [g.kh, g.kw, g.cig])}
${split('q', ['b', 'oy', 'ox'], [g.nb, g.ho, g.wo])}
${imageTap(g, x)}
}`,
      };
  return {
    m: g.kh * g.kw * g.cig,
    n: g.cog,
    k: g.nb * g.ho * g.wo,
    batches: g.groups,
    batchOffsets: `  let aOff = bi * ${u(g.cig)};\n  let bOff = bi * ${u(g.cog)};\n  let oOff = bi * ${u(g.cog)};`,
    a,
    b: dense(1, g.co, g.cog, g.groups),
    ldo: g.co,
  };
}

function plan<O extends ConvOp>(op: O, args: KernelArgs<O>, spec: GemmSpec) {
  const variant = chooseVariant(args.options, convKey(op, args.inputs, args.attrs), spec.m, spec.n, spec.k, spec.batches);
  const { code, workgroups } = gemm(spec, variant);
  return { dispatches: [{ code, workgroups, inputs: [0, 1] }] };
}

export const CONV_KERNELS = {
  /** y = conv2d(x, w): x0 = x, x1 = w. */
  conv2d: (args) => plan('conv2d', args, forwardSpec(geometry(args.inputs[0]!.shape, args.inputs[1]!.shape, args.out.shape, args.attrs))),
  /** Inputs (dy, w). */
  conv2d_grad_input: (args) =>
    plan('conv2d_grad_input', args, gradInputSpec(geometry(args.attrs.inputShape, args.inputs[1]!.shape, args.inputs[0]!.shape, args.attrs))),
  /** Inputs (x, dy). */
  conv2d_grad_filter: (args) =>
    plan('conv2d_grad_filter', args, gradFilterSpec(geometry(args.inputs[0]!.shape, args.attrs.filterShape, args.inputs[1]!.shape, args.attrs))),
} satisfies Partial<WgslKernelTable>;
