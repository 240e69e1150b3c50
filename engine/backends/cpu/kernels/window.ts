/** What a convolution and a pooling share: the NHWC sizes of one sliding window over an image. */
import type { Padding4, Shape } from '../../../ops/types';

/** Image, output and stride/padding sizes of one sliding-window op. */
export interface WindowGeometry {
  n: number;
  h: number;
  w: number;
  c: number;
  ho: number;
  wo: number;
  sh: number;
  sw: number;
  /** Padding above and to the left: window (oy, ox) starts at row oy·sh − pt, column ox·sw − pl. */
  pt: number;
  pl: number;
}

/** The geometry of a window op from its NHWC input `x` and output `y` shapes. */
export function windowGeometry(x: Shape, y: Shape, a: { readonly stride: readonly [number, number]; readonly padding: Padding4 }): WindowGeometry {
  const [n, h, w, c] = x as [number, number, number, number];
  return { n, h, w, c, ho: y[1]!, wo: y[2]!, sh: a.stride[0], sw: a.stride[1], pt: a.padding[0], pl: a.padding[2] };
}
