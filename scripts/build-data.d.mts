/** Types for scripts/build-data.mjs (a plain Node script, also imported by vite.config.ts and tests). */
/** The MNIST binary, encoded from the `mnist` package. */
export function encodeMnist(): Uint8Array;
/** Write mnist.bin (and the text corpus, corpus.txt) into outDir (default public/data) unless it is up to date; returns its path. */
export function buildData(outDir?: string, options?: { force?: boolean }): string;
