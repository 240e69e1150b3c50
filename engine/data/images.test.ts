import { describe, expect, it } from 'vitest';
import { classOfPath, imageDataset, imageTensor, labelImagePaths, resizeBilinear, rgbaToChannels } from './images';

describe('image folders', () => {
  it('labels files by subfolder (Keras convention) or by name prefix, classes sorted', () => {
    expect(classOfPath('pets/cat/001.png')).toBe('cat');
    expect(classOfPath('cat_001.png')).toBe('cat');
    expect(classOfPath('pets/dog_7.jpg')).toBe('dog');
    expect(classOfPath('seven.png')).toBe('seven');
    const r = labelImagePaths(['p/zebra/1.png', 'p/ant/2.JPG', 'p/zebra/notes.txt', 'p/ant/3.jpeg', 'p/.DS_Store']);
    expect(r.classNames).toEqual(['ant', 'zebra']);
    expect(r.images).toEqual([0, 1, 3]);
    expect([...r.labels]).toEqual([1, 0, 0]);
    expect(r.skipped).toEqual(['p/zebra/notes.txt', 'p/.DS_Store']);
  });

  it('converts RGBA to RGB or grayscale in 0..1 (tf.image.rgb_to_grayscale weights), dropping alpha', () => {
    const rgba = [255, 0, 0, 255, 0, 255, 0, 0, 0, 0, 255, 128, 51, 102, 153, 255];
    expect([...rgbaToChannels(rgba, 4, 'rgb')].map((v) => +v.toFixed(4))).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1, 0.2, 0.4, 0.6]);
    const gray = rgbaToChannels(rgba, 4, 'grayscale');
    expect(gray[0]).toBeCloseTo(0.2989, 6);
    expect(gray[1]).toBeCloseTo(0.587, 6);
    expect(gray[2]).toBeCloseTo(0.114, 6);
    expect(gray[3]).toBeCloseTo(0.2989 * 0.2 + 0.587 * 0.4 + 0.114 * 0.6, 6);
  });

  it('halves a 4×4 image by averaging each 2×2 block (half-pixel bilinear)', () => {
    // At scale 2 the sample point (2x + 0.5)·... − 0.5 falls midway between two source pixels.
    const src = Float32Array.from({ length: 16 }, (_v, i) => i);
    expect([...resizeBilinear(src, 4, 4, 1, 2, 2)]).toEqual([2.5, 4.5, 10.5, 12.5]);
  });

  it('doubles a 2×2 image with hand-computed weights and clamped edges', () => {
    // Output x = 0..3 samples source x = -0.25, 0.25, 0.75, 1.25 → clamped 0, 0.25, 0.75, 1.
    const src = Float32Array.of(0, 4, 8, 12);
    const out = resizeBilinear(src, 2, 2, 1, 4, 4);
    expect([...out.subarray(0, 4)]).toEqual([0, 1, 3, 4]);
    expect([...out.subarray(4, 8)]).toEqual([2, 3, 5, 6]);
    expect([...out.subarray(12, 16)]).toEqual([8, 9, 11, 12]);
  });

  it('resizes each channel of an RGB image separately, non-square', () => {
    // 1 row × 3 columns → 1 × 2: x samples at 0.25 and 1.75.
    const src = Float32Array.of(0, 10, 100, 1, 20, 200, 2, 30, 300);
    const out = resizeBilinear(src, 1, 3, 3, 1, 2);
    expect([...out].map((v) => +v.toFixed(5))).toEqual([0.25, 12.5, 125, 1.75, 27.5, 275]);
  });

  it('builds the dataset fields from decoded images at the chosen size', () => {
    const white = { width: 2, height: 2, rgba: new Uint8Array(16).fill(255) };
    const t = imageTensor(white, { width: 3, height: 3, color: 'rgb' });
    expect(t.length).toBe(27);
    expect([...t].every((v) => Math.abs(v - 1) < 1e-6)).toBe(true);
    const ds = imageDataset(
      'pets',
      [
        { tensor: t, label: 1 },
        { tensor: t, label: 0 },
      ],
      ['cat', 'dog'],
      { width: 3, height: 3, color: 'rgb' },
    );
    expect(ds.fields).toEqual({ x: { shape: [3, 3, 3], dtype: 'f32' }, label: { shape: [], dtype: 'i32' } });
    expect([...ds.data.label!]).toEqual([1, 0]);
  });
});
