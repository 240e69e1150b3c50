/** Uploads are checked against these from File.size, before any file is read. */

const MiB = 1024 * 1024;
/** Largest CSV file read (its parsed rows take several times its size in memory). */
export const MAX_CSV_BYTES = 64 * MiB;
/** Largest text file read as a character corpus (each character becomes two i32 ids and a string while it is read). */
export const MAX_TEXT_BYTES = 16 * MiB;
/** Largest total size of the image files in one upload. */
export const MAX_IMAGE_UPLOAD_BYTES = 256 * MiB;
/** Most files in one image upload. */
export const MAX_IMAGES = 20_000;

export const formatBytes = (bytes: number) => (bytes >= MiB ? `${(bytes / MiB).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`);

/** Why an upload is refused, or undefined when it fits. */
export function uploadProblem(kind: 'csv' | 'images' | 'text', files: readonly { name: string; size: number }[]): string | undefined {
  const total = files.reduce((s, f) => s + f.size, 0);
  if (!files.length) return 'no files were chosen';
  if (kind === 'csv') {
    if (files.length !== 1) return 'choose one CSV file';
    if (total > MAX_CSV_BYTES)
      return `${files[0]!.name} is ${formatBytes(total)}, more than the ${formatBytes(MAX_CSV_BYTES)} a tab can hold as a CSV dataset: use a sample of its rows`;
    return undefined;
  }
  if (kind === 'text') {
    if (files.length !== 1) return 'choose one text file';
    if (total > MAX_TEXT_BYTES)
      return `${files[0]!.name} is ${formatBytes(total)}, more than the ${formatBytes(MAX_TEXT_BYTES)} a tab reads as a character corpus: use a part of the text`;
    return undefined;
  }
  if (files.length > MAX_IMAGES) return `${files.length} files is more than the ${MAX_IMAGES} images one upload takes: use fewer images per class`;
  if (total > MAX_IMAGE_UPLOAD_BYTES)
    return `the images are ${formatBytes(total)} together, more than the ${formatBytes(MAX_IMAGE_UPLOAD_BYTES)} one upload takes: use fewer or smaller images`;
  return undefined;
}

/** The name an upload is stored under: the CSV's or text's file name, the chosen folder's name, or "images". */
export function uploadName(kind: 'csv' | 'images' | 'text', files: readonly { name: string; webkitRelativePath?: string }[]): string {
  if (kind !== 'images') return files[0]!.name;
  const root = files[0]?.webkitRelativePath?.split('/')[0];
  return root || 'images';
}
