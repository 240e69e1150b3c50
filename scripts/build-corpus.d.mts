/** Types for scripts/build-corpus.mjs (a plain Node script, also imported by build-data.mjs, the CLI and tests). */
/** Characters of text kept. */
export const CORPUS_CHARS: number;
/** The built-in corpus: the first State of the Union addresses (public domain), about 1 MB. */
export function corpusText(): string;
/** Write corpus.txt into outDir (default public/data) unless it is up to date; returns its path. */
export function buildCorpus(outDir?: string, options?: { force?: boolean }): string;
