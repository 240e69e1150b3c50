/** How much data one tab takes: uploads are checked against these before they are read. */

const MiB = 1024 * 1024;
/** Largest CSV file read (its parsed rows take several times its size in memory). */
export const MAX_CSV_BYTES = 64 * MiB;
/** Largest total size of the image files in one upload. */
export const MAX_IMAGE_UPLOAD_BYTES = 256 * MiB;
/** Most images in one upload. */
export const MAX_IMAGES = 20_000;
/** Largest decoded dataset (float32 values of every field). */
export const MAX_DATASET_BYTES = 1024 * MiB;

const size = (bytes: number) => (bytes >= MiB ? `${(bytes / MiB).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`);

/** Why an upload is refused, or undefined when it fits; checked from File.size before reading. */
export function uploadProblem(kind: 'csv' | 'images', files: readonly { name: string; size: number }[]): string | undefined {
  const total = files.reduce((s, f) => s + f.size, 0);
  if (!files.length) return 'no files were chosen';
  if (kind === 'csv') {
    if (files.length !== 1) return 'choose one CSV file';
    if (total > MAX_CSV_BYTES) return `${files[0]!.name} is ${size(total)}, more than the ${size(MAX_CSV_BYTES)} a tab can hold as a CSV dataset: use a sample of its rows`;
    return undefined;
  }
  if (files.length > MAX_IMAGES) return `${files.length} files is more than the ${MAX_IMAGES} images one upload takes: use fewer images per class`;
  if (total > MAX_IMAGE_UPLOAD_BYTES) return `the images are ${size(total)} together, more than the ${size(MAX_IMAGE_UPLOAD_BYTES)} one upload takes: use fewer or smaller images`;
  return undefined;
}

/** Why a decoded image set would not fit, or undefined. */
export function decodedSizeProblem(count: number, width: number, height: number, channels: number): string | undefined {
  const bytes = count * width * height * channels * 4;
  if (bytes <= MAX_DATASET_BYTES) return undefined;
  return `${count} images of ${width}×${height}×${channels} take ${size(bytes)} as float32, more than ${size(MAX_DATASET_BYTES)}: choose a smaller image size or grayscale`;
}
