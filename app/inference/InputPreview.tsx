/** A small picture of an image-shaped input ([height, width, 1 or 3] in 0..1), drawn pixel by pixel. */
import { useEffect, useRef } from 'react';

export function InputPreview({ values, shape, label }: { values: Float32Array; shape: readonly number[]; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [h = 1, w = 1, c = 1] = shape;
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(w, h);
    for (let p = 0; p < w * h; p++) {
      const px = (k: number) => Math.round(255 * Math.min(1, Math.max(0, values[p * c + (c === 3 ? k : 0)]!)));
      img.data.set([px(0), px(1), px(2), 255], 4 * p);
    }
    ctx.putImageData(img, 0, 0);
  }, [values, w, h, c]);
  return <canvas ref={ref} className="input-preview" width={w} height={h} role="img" aria-label={label} />;
}
