import { describe, expect, it } from 'vitest';
import { areaResize, centreOfMass, inkBounds, prepareDigit } from './prepareDigit';

/** A w×h canvas with the rectangles given filled with ink 1. */
function canvas(w: number, h: number, rects: readonly (readonly [number, number, number, number])[]): Float32Array {
  const img = new Float32Array(w * h);
  for (const [x, y, rw, rh] of rects) for (let j = y; j < y + rh; j++) for (let i = x; i < x + rw; i++) img[j * w + i] = 1;
  return img;
}

describe('prepareDigit (a drawing as an MNIST digit)', () => {
  it('a filled 100×50 bar becomes a 20×10 block of ink centred in the 28×28 field', () => {
    const out = prepareDigit(canvas(280, 280, [[30, 60, 100, 50]]), 280, 280);
    // By hand: scale 20/100 → 20×10; centre of mass (9.5, 4.5) moved to (13.5, 13.5) → columns 4..23, rows 9..18.
    const want = canvas(28, 28, [[4, 9, 20, 10]]);
    expect(Array.from(out)).toEqual(Array.from(want));
  });

  it('matches a brute-force supersampled resize of an irregular stroke, and keeps the ink mass', () => {
    const w = 140;
    const ink = canvas(w, w, [
      [20, 30, 7, 81],
      [20, 30, 53, 6],
      [60, 70, 9, 41],
    ]);
    // Soft edges, like an anti-aliased brush.
    for (let i = 0; i < ink.length; i++) if (ink[i] === 0 && ink[i - 1] === 1) ink[i] = 0.5;
    const b = inkBounds(ink, w, w)!;
    expect(b).toEqual({ x: 20, y: 30, w: 54, h: 81 });
    const [ow, oh] = [Math.round(54 * (20 / 81)), 20];
    const fast = areaResize(ink, w, b, ow, oh);
    // Independent: the mean of 150×150 point samples per output pixel.
    const n = 150;
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        let sum = 0;
        for (let j = 0; j < n; j++) {
          for (let i = 0; i < n; i++) {
            const x = b.x + ((ox + (i + 0.5) / n) * b.w) / ow;
            const y = b.y + ((oy + (j + 0.5) / n) * b.h) / oh;
            sum += ink[Math.floor(y) * w + Math.floor(x)]!;
          }
        }
        expect(Math.abs(fast[oy * ow + ox]! - sum / (n * n))).toBeLessThan(0.02);
      }
    }
    const out = prepareDigit(ink, w, w);
    const mass = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);
    // Area averaging keeps ink × (pixel area ratio).
    expect(mass(out)).toBeCloseTo((mass(ink) * (ow * oh)) / (b.w * b.h), 3);
    const com = centreOfMass(out, 28, 28)!;
    expect(Math.abs(com.x - 13.5)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(com.y - 13.5)).toBeLessThanOrEqual(0.5);
  });

  it('an off-centre digit moves to the centre; nothing drawn gives zeros', () => {
    const left = prepareDigit(canvas(280, 280, [[0, 0, 40, 200]]), 280, 280);
    const right = prepareDigit(canvas(280, 280, [[200, 80, 40, 200]]), 280, 280);
    expect(Array.from(left)).toEqual(Array.from(right));
    expect(Array.from(prepareDigit(new Float32Array(100), 10, 10))).toEqual(new Array(784).fill(0));
  });
});
