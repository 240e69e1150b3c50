/// <reference lib="webworker" />
/** The dataset sources of the real worker: the app's served files, IndexedDB, and the browser's image decoders. */
import type { DecodedImage } from '../engine/data/images';
import type { DatasetSources } from './datasets';
import { indexedDbUploadStore } from './uploads';

async function fetchAsset(path: string): Promise<Uint8Array> {
  const url = new URL(`${import.meta.env.BASE_URL}${path}`, self.location.origin);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not load ${url.pathname} (HTTP ${res.status}); it is generated at build time by scripts/build-data.mjs`);
  return new Uint8Array(await res.arrayBuffer());
}

/** The most pixels one uploaded image may have (4096 × 4096). */
const MAX_PIXELS = 4096 * 4096;

async function decodeImage(bytes: ArrayBuffer, type: string): Promise<DecodedImage> {
  const bitmap = await createImageBitmap(new Blob([bytes], type ? { type } : {}));
  try {
    // A small file can declare a huge image: refuse before allocating its pixels (it is then listed as unreadable).
    if (bitmap.width * bitmap.height > MAX_PIXELS)
      throw new Error(`${bitmap.width}×${bitmap.height} pixels is more than this tab decodes (at most ${MAX_PIXELS} per image)`);
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2-D canvas in this worker');
    ctx.drawImage(bitmap, 0, 0);
    const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    return { width: bitmap.width, height: bitmap.height, rgba: data };
  } finally {
    bitmap.close();
  }
}

export function browserDataSources(): DatasetSources {
  return { fetchAsset, uploads: indexedDbUploadStore(), decodeImage };
}
