/** Drop a picture, or choose one, to predict on it; the worker resizes it as the dataset's images were. */
import { useState, type DragEvent } from 'react';
import type { DecodedImage } from '../../engine/data/images';

/** Larger pictures are refused before decoding fills memory. */
const MAX_PIXELS = 4096 * 4096;

async function decode(file: File): Promise<DecodedImage> {
  if (!file.type.startsWith('image/')) throw new Error(`${file.name} is not an image (${file.type || 'unknown type'})`);
  const bitmap = await createImageBitmap(file).catch(() => {
    throw new Error(`${file.name} could not be read as an image`);
  });
  if (bitmap.width * bitmap.height > MAX_PIXELS) throw new Error(`${file.name} is ${bitmap.width}×${bitmap.height}: pictures up to 4096×4096 are read`);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0);
  const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
  return { width: bitmap.width, height: bitmap.height, rgba: new Uint8Array(data.buffer) };
}

export function ImageDrop({ onImage }: { onImage: (img: DecodedImage, name: string) => void }) {
  const [error, setError] = useState<string | undefined>(undefined);
  const [over, setOver] = useState(false);
  const take = async (file: File | undefined) => {
    if (!file) return;
    try {
      onImage(await decode(file), file.name);
      setError(undefined);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    void take(e.dataTransfer.files[0]);
  };
  return (
    <div
      className={`image-drop${over ? ' is-over' : ''}`}
      onDragOver={(e) => (e.preventDefault(), setOver(true))}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
    >
      <p>Drop a picture here, or</p>
      <label className="btn">
        Choose a picture…
        <input type="file" accept="image/*" className="visually-hidden" onChange={(e) => void take(e.target.files?.[0])} />
      </label>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
