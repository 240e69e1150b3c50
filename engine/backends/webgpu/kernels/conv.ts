/**
 * conv2d and its two gradients as direct loops, one thread per output element, NHWC images and
 * HWIO filters:
 *   y[n,oy,ox,g·cog+co] = Σ_{ky,kx,ci} x[n, oy·sh + ky·dh - pt, ox·sw + kx·dw - pl, g·cig+ci] · w[ky,kx,ci,g·cog+co]
 * with cells outside the image reading as zero. The input gradient inverts the index map
 * (oy = (iy + pt - ky·dh) / sh when that divides exactly). TODO: implicit-GEMM tiled variants.
 */
import type { ConvAttrs, Shape, TensorType } from '../../../ops/types';
import type { KernelPlan, WgslKernelTable } from '../kernel';
import { inputsNamed, perElement } from '../wgsl';

/** The convolution's sizes as WGSL constants (i32, since window coordinates go negative). */
function geometry(x: Shape, f: Shape, y: Shape, a: ConvAttrs): string {
  const [n, h, w, c] = x as [number, number, number, number];
  const [kh, kw, cig, co] = f as [number, number, number, number];
  const g: Record<string, number> = {
    N: n, H: h, W: w, C: c, KH: kh, KW: kw, CIG: cig, CO: co, COG: co / a.groups, HO: y[1]!, WO: y[2]!,
    SH: a.stride[0], SW: a.stride[1], DH: a.dilation[0], DW: a.dilation[1], PT: a.padding[0], PL: a.padding[2],
  };
  return Object.entries(g).map(([k, v]) => `const ${k} = ${v}i;`).join('\n');
}

/** `names` (outermost first) as i32 coordinates of flat index i in a tensor of dims `dims`. */
function coords(names: readonly string[], dims: readonly string[]): string {
  const lines = [`  var q = i32(i);`];
  for (let d = names.length - 1; d > 0; d--) lines.push(`  let ${names[d]} = q % ${dims[d]}; q = q / ${dims[d]};`);
  lines.push(`  let ${names[0]} = q;`);
  return lines.join('\n');
}

function plan(inputs: readonly TensorType[], out: TensorType, consts: string, body: string): KernelPlan {
  const n = out.shape.reduce((p, d) => p * d, 1);
  return { dispatches: [perElement(inputsNamed(inputs.map((t) => t.dtype)), [0, 1], out.dtype, n, body, consts)] };
}

export const CONV_KERNELS = {
  /** y = conv2d(x, w): x0 = x, x1 = w. */
  conv2d: ({ inputs, attrs, out }) => {
    const [x, f] = inputs as [TensorType, TensorType];
    const body = `${coords(['b', 'oy', 'ox', 'co'], ['N', 'HO', 'WO', 'CO'])}
  let gr = co / COG;
  var acc = 0.0;
  for (var ky = 0i; ky < KH; ky++) {
    let iy = oy * SH + ky * DH - PT;
    if (iy < 0i || iy >= H) { continue; }
    for (var kx = 0i; kx < KW; kx++) {
      let ix = ox * SW + kx * DW - PL;
      if (ix < 0i || ix >= W) { continue; }
      let xBase = ((b * H + iy) * W + ix) * C + gr * CIG;
      let fBase = (ky * KW + kx) * CIG * CO + co;
      for (var ci = 0i; ci < CIG; ci++) { acc += x0[u32(xBase + ci)] * x1[u32(fBase + ci * CO)]; }
    }
  }
  out[i] = acc;`;
    return plan(inputs, out, geometry(x.shape, f.shape, out.shape, attrs), body);
  },

  /** dx[n,iy,ix,g·cig+ci] = Σ over taps (ky, kx) whose output pixel exists of Σ_co dy[n,oy,ox,g·cog+co] · w[ky,kx,ci,g·cog+co]. */
  conv2d_grad_input: ({ inputs, attrs, out }) => {
    const [dy, f] = inputs as [TensorType, TensorType];
    const body = `${coords(['b', 'iy', 'ix', 'c'], ['N', 'H', 'W', 'C'])}
  let gr = c / CIG;
  let ci = c % CIG;
  var acc = 0.0;
  for (var ky = 0i; ky < KH; ky++) {
    let ty = iy + PT - ky * DH;
    if (ty < 0i || ty % SH != 0i || ty / SH >= HO) { continue; }
    let oy = ty / SH;
    for (var kx = 0i; kx < KW; kx++) {
      let tx = ix + PL - kx * DW;
      if (tx < 0i || tx % SW != 0i || tx / SW >= WO) { continue; }
      let ox = tx / SW;
      let yBase = ((b * HO + oy) * WO + ox) * CO + gr * COG;
      let fBase = ((ky * KW + kx) * CIG + ci) * CO + gr * COG;
      for (var co = 0i; co < COG; co++) { acc += x0[u32(yBase + co)] * x1[u32(fBase + co)]; }
    }
  }
  out[i] = acc;`;
    return plan(inputs, out, geometry(attrs.inputShape, f.shape, dy.shape, attrs), body);
  },

  /** dw[ky,kx,ci,g·cog+co] = Σ_{n,oy,ox} x[n,iy,ix,g·cig+ci] · dy[n,oy,ox,g·cog+co] over in-image taps. */
  conv2d_grad_filter: ({ inputs, attrs, out }) => {
    const [x, dy] = inputs as [TensorType, TensorType];
    const body = `${coords(['ky', 'kx', 'ci', 'co'], ['KH', 'KW', 'CIG', 'CO'])}
  let c = (co / COG) * CIG + ci;
  var acc = 0.0;
  for (var b = 0i; b < N; b++) {
    for (var oy = 0i; oy < HO; oy++) {
      let iy = oy * SH + ky * DH - PT;
      if (iy < 0i || iy >= H) { continue; }
      for (var ox = 0i; ox < WO; ox++) {
        let ix = ox * SW + kx * DW - PL;
        if (ix < 0i || ix >= W) { continue; }
        acc += x0[u32(((b * H + iy) * W + ix) * C + c)] * x1[u32(((b * HO + oy) * WO + ox) * CO + co)];
      }
    }
  }
  out[i] = acc;`;
    return plan(inputs, out, geometry(x.shape, attrs.filterShape, dy.shape, attrs), body);
  },
} satisfies Partial<WgslKernelTable>;
