/** How much decoded data one dataset may take in the worker (uploads are checked on the page: app/data/uploadLimits.ts). */

const MiB = 1024 * 1024;
/** Largest decoded dataset (float32 values of every field). */
export const MAX_DATASET_BYTES = 1024 * MiB;
/**
 * Most columns a CSV file may have: each is a checkbox in the Dataset section and a column of the
 * preview, and wider tables are rarely tabular data (MNIST as CSV has 785).
 */
export const MAX_CSV_COLUMNS = 2048;
/** Characters of CSV parsed between two yields to the worker's message loop (pings, pause). */
export const CSV_CHUNK_CHARS = 1 << 18;

const size = (bytes: number) => (bytes >= MiB ? `${(bytes / MiB).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`);

/** Why a decoded image set would not fit, or undefined. */
export function decodedSizeProblem(count: number, width: number, height: number, channels: number): string | undefined {
  const bytes = count * width * height * channels * 4;
  if (bytes <= MAX_DATASET_BYTES) return undefined;
  return `${count} images of ${width}×${height}×${channels} take ${size(bytes)} as float32, more than ${size(MAX_DATASET_BYTES)}: choose a smaller image size or grayscale`;
}
