import { describe, expect, it } from 'vitest';
import type { HistogramSample } from '../charts/distribution';
import { ridgeGeometry, ridgeOutline } from './ridgeGeometry';

const W = 300;
const H = 150;

/** The outline's points mapped through its SVG matrix(a b c d e f). */
function screenPoints(d: string, transform: string): [number, number][] {
  const [a, b, c, dd, e, f] = /matrix\(([^)]*)\)/.exec(transform)![1]!.split(' ').map(Number) as [number, number, number, number, number, number];
  return [...d.matchAll(/[ML](-?[\d.e+-]+),(-?[\d.e+-]+)/g)].map((m) => {
    const [x, y] = [Number(m[1]), Number(m[2])];
    return [a * x + c * y + e, b * x + dd * y + f];
  });
}

describe('histogram ridges', () => {
  const samples: HistogramSample[] = [
    { step: 10, min: -1, max: 1, counts: [1, 4, 9, 2] },
    { step: 20, min: -0.5, max: 2.5, counts: [3, 0, 7, 12, 5, 1] },
    { step: 30, min: 0.25, max: 0.25, counts: [8] },
  ];

  it('draws each bin where value and density put it, with the baseline at both ends', () => {
    const g = ridgeGeometry(samples, W, H)!;
    // Independently: the value range over all samples, the densest bin, one baseline per sample in order.
    const lo = -1;
    const hi = 2.5;
    const width = (s: HistogramSample) => (s.max - s.min || 1) / s.counts.length;
    const peak = Math.max(...samples.map((s) => Math.max(...s.counts) / width(s)));
    const x = (v: number) => 8 + ((v - lo) / (hi - lo)) * (W - 52);
    const gap = (H - 46 - 20) / 2;
    samples.forEach((s, k) => {
      const base = 6 + 46 + k * gap;
      const expected: [number, number][] = [
        [x(s.min), base],
        ...s.counts.map((c, i): [number, number] => [x(s.min + (i + 0.5) * width(s)), base - (c / width(s) / peak) * 46]),
        [x(s.min + s.counts.length * width(s)), base],
      ];
      const drawn = screenPoints(g.paths[k]!.d, g.paths[k]!.transform);
      expect(drawn).toHaveLength(expected.length);
      drawn.forEach(([px, py], i) => {
        expect(px).toBeCloseTo(expected[i]![0], 6);
        expect(py).toBeCloseTo(expected[i]![1], 6);
      });
      expect(g.paths[k]!.step).toBe(s.step);
      expect(g.paths[k]!.base).toBeCloseTo(base, 9);
    });
    // The densest bin reaches the full ridge height.
    const tallest = Math.min(...g.paths.flatMap((p, k) => screenPoints(p.d, p.transform).map(([, y]) => y - (6 + 46 + k * gap))));
    expect(tallest).toBeCloseTo(-46, 6);
  });

  it('draws each outline from its sample alone: a new sample changes the transforms, not the paths', () => {
    const before = ridgeGeometry(samples.slice(0, 2), W, H)!;
    const after = ridgeGeometry(samples, W, H)!;
    expect(after.paths[0]!.d).toBe(before.paths[0]!.d);
    expect(ridgeOutline(samples[0]!)).toBe(before.paths[0]!.d);
    // The third sample's range is inside the first two's, but it moves the second one's baseline up.
    expect(after.paths[1]!.d).toBe(before.paths[1]!.d);
    expect(after.paths[1]!.transform).not.toBe(before.paths[1]!.transform);
  });

  it('leaves out samples with non-finite ranges or no bins', () => {
    const g = ridgeGeometry([...samples, { step: 40, min: Number.NaN, max: 1, counts: [1] }, { step: 50, min: 0, max: 1, counts: [] }], W, H)!;
    expect(g.paths.map((p) => p.step)).toEqual([10, 20, 30]);
    expect(ridgeGeometry([{ step: 1, min: Number.POSITIVE_INFINITY, max: 1, counts: [1] }], W, H)).toBeUndefined();
  });
});
