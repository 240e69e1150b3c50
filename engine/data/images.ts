/**
 * Image datasets, the pure part: labelling files (Keras image_dataset_from_directory: one subfolder per
 * class) and turning decoded RGBA pixels into a [height, width, channels] tensor in 0..1.
 * Decoding image bytes needs a browser (createImageBitmap); workers/datasets.ts does it.
 */
import type { Dataset } from './dataset';

/** File types Keras' image_dataset_from_directory reads (plus webp, which browsers decode). */
const IMAGE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'bmp', 'webp']);

/** Luma weights of tf.image.rgb_to_grayscale (ITU-R BT.601). */
export const GRAY_WEIGHTS = [0.2989, 0.587, 0.114] as const;

export const isImagePath = (path: string) => IMAGE_EXTENSIONS.has(path.slice(path.lastIndexOf('.') + 1).toLowerCase());

/**
 * The class of a file from its path: its parent folder when it sits in a subfolder of the chosen one
 * ("pets/cat/1.png" → cat), else its name up to the first "_" ("cat_1.png" → cat).
 */
export function classOfPath(path: string): string {
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.length >= 3) return parts[parts.length - 2]!;
  const file = parts[parts.length - 1] ?? path;
  const stem = file.includes('.') ? file.slice(0, file.lastIndexOf('.')) : file;
  return stem.includes('_') ? stem.slice(0, stem.indexOf('_')) : stem;
}

/** Labels for image files: classes sorted by name (as Keras does), non-image files set aside. */
export function labelImagePaths(paths: readonly string[]): { classNames: string[]; labels: Int32Array; images: number[]; skipped: string[] } {
  const images = paths.flatMap((p, i) => (isImagePath(p) ? [i] : []));
  const skipped = paths.filter((p) => !isImagePath(p));
  const classNames = [...new Set(images.map((i) => classOfPath(paths[i]!)))].sort();
  const labels = Int32Array.from(images, (i) => classNames.indexOf(classOfPath(paths[i]!)));
  return { classNames, labels, images, skipped };
}

/** RGBA bytes (as ImageData holds them) to float channels in 0..1: gray (1) or RGB (3); alpha is dropped. */
export function rgbaToChannels(rgba: ArrayLike<number>, pixels: number, color: 'grayscale' | 'rgb'): Float32Array {
  const c = color === 'rgb' ? 3 : 1;
  const out = new Float32Array(pixels * c);
  for (let p = 0; p < pixels; p++) {
    const r = rgba[4 * p]! / 255;
    const g = rgba[4 * p + 1]! / 255;
    const b = rgba[4 * p + 2]! / 255;
    if (c === 3) out.set([r, g, b], 3 * p);
    else out[p] = GRAY_WEIGHTS[0] * r + GRAY_WEIGHTS[1] * g + GRAY_WEIGHTS[2] * b;
  }
  return out;
}

/**
 * Bilinear resize of an [h, w, c] image with half-pixel centres (tf.image.resize's "bilinear", no
 * antialiasing): output pixel (y, x) samples the source at ((y + 0.5)·h/outH − 0.5, (x + 0.5)·w/outW − 0.5),
 * clamped to the image.
 */
export function resizeBilinear(src: Float32Array, h: number, w: number, c: number, outH: number, outW: number): Float32Array {
  const out = new Float32Array(outH * outW * c);
  const axis = (o: number, size: number, outSize: number) => {
    const at = Math.min(Math.max((o + 0.5) * (size / outSize) - 0.5, 0), size - 1);
    const lo = Math.floor(at);
    return { lo, hi: Math.min(lo + 1, size - 1), t: at - lo };
  };
  for (let y = 0; y < outH; y++) {
    const ay = axis(y, h, outH);
    for (let x = 0; x < outW; x++) {
      const ax = axis(x, w, outW);
      for (let k = 0; k < c; k++) {
        const at = (yy: number, xx: number) => src[(yy * w + xx) * c + k]!;
        const top = at(ay.lo, ax.lo) * (1 - ax.t) + at(ay.lo, ax.hi) * ax.t;
        const bottom = at(ay.hi, ax.lo) * (1 - ax.t) + at(ay.hi, ax.hi) * ax.t;
        out[(y * outW + x) * c + k] = top * (1 - ay.t) + bottom * ay.t;
      }
    }
  }
  return out;
}

/** One decoded image, as ImageData gives it. */
export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  readonly rgba: ArrayLike<number>;
}

/** The image as the dataset stores it: [height, width, channels] in 0..1 at the chosen size and colour. */
export function imageTensor(img: DecodedImage, opts: { width: number; height: number; color: 'grayscale' | 'rgb' }): Float32Array {
  const c = opts.color === 'rgb' ? 3 : 1;
  const channels = rgbaToChannels(img.rgba, img.width * img.height, opts.color);
  if (img.width === opts.width && img.height === opts.height) return channels;
  return resizeBilinear(channels, img.height, img.width, c, opts.height, opts.width);
}

/** Assemble decoded samples into a dataset: x [height, width, channels] f32, label [] i32. */
export function imageDataset(
  name: string,
  samples: readonly { tensor: Float32Array; label: number }[],
  classNames: readonly string[],
  opts: { width: number; height: number; color: 'grayscale' | 'rgb' },
): Dataset {
  const c = opts.color === 'rgb' ? 3 : 1;
  const size = opts.width * opts.height * c;
  const x = new Float32Array(samples.length * size);
  const label = new Int32Array(samples.length);
  samples.forEach((s, i) => {
    x.set(s.tensor, i * size);
    label[i] = s.label;
  });
  return {
    name,
    length: samples.length,
    classes: classNames.length,
    classNames,
    fields: { x: { shape: [opts.height, opts.width, c], dtype: 'f32' }, label: { shape: [], dtype: 'i32' } },
    data: { x, label },
  };
}
