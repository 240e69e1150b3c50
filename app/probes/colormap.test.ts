import { describe, expect, it } from 'vitest';
import { diverging, divergingPixels, symmetricLimit } from './colormap';

describe('divergingPixels', () => {
  it('writes diverging() of every value as opaque RGBA', () => {
    const values = [0, 1, -1, 0.25, -0.6, 3, -7, NaN, Infinity, -Infinity, 1e-9];
    for (let i = 0; i < 200; i++) values.push(Math.sin(i * 12.9898) * 2.5);
    const neutral = [240, 238, 230] as const;
    for (const limit of [symmetricLimit(values), 1, 0]) {
      const px = divergingPixels(values, limit, neutral);
      expect(px.length).toBe(4 * values.length);
      values.forEach((v, i) => {
        expect([...px.subarray(4 * i, 4 * i + 4)], `value ${v}, limit ${limit}`).toEqual([...diverging(v, limit, neutral), 255]);
      });
    }
  });

  it('fills a given buffer (an ImageData) in place', () => {
    const out = new Uint8ClampedArray(8).fill(7);
    expect(divergingPixels([-2, 2], 2, [100, 100, 100], out)).toBe(out);
    expect([...out]).toEqual([33, 102, 172, 255, 178, 24, 43, 255]);
  });
});
