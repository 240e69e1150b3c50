import { describe, expect, it } from 'vitest';
import { sizeOf } from '../../../ops/shape';
import type { ConvAttrs, Shape } from '../../../ops/types';
import type { CpuTensor } from '../kernel';
import { dot, expectClose, FLOAT_MODES, randomTensor, ravel, run, tensor, tolFor, unravel } from './test-utils';

/** The definition, one output element at a time, with explicit bounds checks. */
function naiveConv(x: CpuTensor, w: CpuTensor, a: ConvAttrs, outShape: Shape): number[] {
  const [, h, wd] = x.shape as [number, number, number, number];
  const [kh, kw, cig, co] = w.shape as [number, number, number, number];
  const cog = co / a.groups;
  return Array.from({ length: sizeOf(outShape) }, (_v, i) => {
    const [n, oy, ox, c] = unravel(i, outShape) as [number, number, number, number];
    const g = Math.floor(c / cog);
    let s = 0;
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++) {
        for (let ci = 0; ci < cig; ci++) {
          const iy = oy * a.stride[0] + ky * a.dilation[0] - a.padding[0];
          const ix = ox * a.stride[1] + kx * a.dilation[1] - a.padding[2];
          if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
          s += x.data[ravel([n, iy, ix, g * cig + ci], x.shape)]! * w.data[ravel([ky, kx, ci, c], w.shape)]!;
        }
      }
    }
    return s;
  });
}

const conv = (stride: [number, number], padding: [number, number, number, number], dilation: [number, number], groups: number): ConvAttrs => ({
  stride,
  padding,
  dilation,
  groups,
});

/** (input shape, filter shape, attrs): plain, strided, padded, dilated, grouped, all at once, depthwise, 1×1, wide. */
const CASES: [Shape, Shape, ConvAttrs][] = [
  [[2, 5, 6, 3], [3, 3, 3, 4], conv([1, 1], [0, 0, 0, 0], [1, 1], 1)],
  [[1, 7, 6, 3], [3, 2, 3, 4], conv([2, 2], [1, 2, 0, 1], [1, 1], 1)],
  [[1, 6, 7, 3], [3, 3, 3, 2], conv([1, 2], [2, 2, 2, 2], [2, 2], 1)],
  [[2, 5, 5, 4], [2, 2, 2, 6], conv([1, 1], [0, 1, 1, 0], [1, 1], 2)],
  [[2, 9, 8, 4], [3, 3, 2, 6], conv([2, 2], [1, 2, 2, 1], [2, 2], 2)],
  [[1, 5, 5, 3], [3, 3, 1, 3], conv([1, 1], [1, 1, 1, 1], [1, 1], 3)],
  [[3, 4, 3, 5], [1, 1, 5, 2], conv([1, 1], [0, 0, 0, 0], [1, 1], 1)],
  // Enough input channels per group for the four-channel passes plus a remainder.
  [[2, 6, 5, 12], [3, 3, 6, 4], conv([2, 1], [1, 0, 2, 1], [2, 1], 2)],
  [[1, 5, 4, 8], [2, 3, 8, 5], conv([1, 1], [1, 1, 0, 2], [1, 2], 1)],
];

describe('conv2d', () => {
  it('gives a hand-computed result', () => {
    const x = tensor([1, 3, 3, 1], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const w = tensor([2, 2, 1, 1], [1, 0, 0, 1]);
    expect([...run('conv2d', [x, w], conv([1, 1], [0, 0, 0, 0], [1, 1], 1)).data]).toEqual([6, 8, 12, 14]);
    // Padding reads zeros: the top-left output sees only x[0,0] under w[1,1].
    expect(run('conv2d', [x, w], conv([1, 1], [1, 0, 1, 0], [1, 1], 1)).data[0]).toBe(1);
  });

  for (const mode of FLOAT_MODES) {
    it(`matches the naive definition: stride, padding, dilation, groups (${mode})`, () => {
      CASES.forEach(([xs, ws, a], k) => {
        const x = randomTensor(xs, 10 + k, mode);
        const w = randomTensor(ws, 20 + k, mode);
        const y = run('conv2d', [x, w], a, mode);
        expectClose(y.data, naiveConv(x, w, a, y.shape), tolFor(mode));
      });
    });

    it(`gradients are the exact adjoints: <conv(x,w), dy> = <x, grad_input(dy,w)> = <w, grad_filter(x,dy)> (${mode})`, () => {
      CASES.forEach(([xs, ws, a], k) => {
        const x = randomTensor(xs, 30 + k, mode);
        const w = randomTensor(ws, 40 + k, mode);
        const y = run('conv2d', [x, w], a, mode);
        const dy = randomTensor(y.shape, 50 + k, mode);
        const dx = run('conv2d_grad_input', [dy, w], { ...a, inputShape: xs }, mode);
        const dw = run('conv2d_grad_filter', [x, dy], { ...a, filterShape: ws }, mode);
        expect(dx.shape).toEqual(xs);
        expect(dw.shape).toEqual(ws);
        const lhs = dot(y.data, dy.data);
        expectClose([dot(x.data, dx.data)], [lhs], mode === 'f64' ? 1e-12 : 1e-5);
        expectClose([dot(w.data, dw.data)], [lhs], mode === 'f64' ? 1e-12 : 1e-5);
      });
    });
  }

  it('grad_input of a one-hot dy is the flipped filter placed at the output pixel', () => {
    // y[0,1,1,0] = Σ x[0, 1+ky-1, 1+kx-1, 0] w[ky,kx,0,0] with padding 1, so dx = w laid over x around (1,1).
    const w = tensor([3, 3, 1, 1], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const dy = tensor([1, 3, 3, 1], [0, 0, 0, 0, 1, 0, 0, 0, 0]);
    const dx = run('conv2d_grad_input', [dy, w], { ...conv([1, 1], [1, 1, 1, 1], [1, 1], 1), inputShape: [1, 3, 3, 1] });
    expect([...dx.data]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
