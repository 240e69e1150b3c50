/**
 * Graph and weights in one file the studio reopens: a zip holding `graph.json` (the document, as
 * the studio saves it) and `weights.safetensors` (./weights.ts names its tensors). Other entries
 * are ignored, so later versions can add some.
 *
 * Unpacking checks sizes from the zip's directory before inflating anything, so a small file
 * cannot inflate into a large allocation, and checks the weights fully (readSafetensors). The
 * document comes back as text: the caller opens it as any other document, through
 * `parseDocument` (engine/graph/migrations), which applies the document limits, migrates and
 * validates it; then matches the weights to the compiled program (matchWeights).
 */
import { strToU8, unzipSync, zipSync } from 'fflate';
import type { GraphDocument } from '../graph/document';
import { MODEL_FILE_BYTES } from '../graph/limits';
import { readSafetensors, SafetensorsError, type SafetensorsFile } from './safetensors';

/** Entry names inside the zip. */
export const MODEL_ENTRIES = { graph: 'graph.json', weights: 'weights.safetensors' } as const;

/** The largest model file the studio unpacks, and each part of it. */
export const MODEL_FILE_LIMITS = {
  /** The whole zip. */
  fileBytes: MODEL_FILE_BYTES,
  /** graph.json once inflated (the studio's document limit). */
  graphBytes: 8 * 1024 * 1024,
  /** weights.safetensors once inflated. */
  weightsBytes: 1024 * 1024 * 1024,
  /** Entries in the zip's directory. */
  entries: 64,
} as const;

export type ModelFileLimits = { readonly [K in keyof typeof MODEL_FILE_LIMITS]: number };

/** The file is not a model file Wiregrad can open; the message says what is wrong, in the user's words. */
export class ModelFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModelFileError';
  }
}

/** The unpacked parts of a model file. */
export interface UnpackedModel {
  /** The document's JSON text: open it with parseDocument, as any document file. */
  readonly graphText: string;
  /** The weights, fully checked; match them to the program with matchWeights. */
  readonly weights: SafetensorsFile;
}

/** Zip entries carry this date, so the same model gives the same bytes. */
const ENTRY_TIME = new Date('1980-01-01T00:00:00Z');

/** A model file of `doc` and its weights (a safetensors file, e.g. from encodeWeights). */
export function packModel(doc: GraphDocument, weights: Uint8Array): Uint8Array {
  return zipSync(
    {
      [MODEL_ENTRIES.graph]: [strToU8(JSON.stringify(doc, null, 2)), { level: 6 }],
      // Trained floats hardly compress; storing them keeps packing and opening fast.
      [MODEL_ENTRIES.weights]: [weights, { level: 0 }],
    },
    { mtime: ENTRY_TIME },
  );
}

const mib = (n: number) => (n < 1024 * 1024 ? `${n} bytes` : `${Math.round(n / (1024 * 1024))} MiB`);

/** The document text and checked weights of a model file; any problem is a ModelFileError. */
export function unpackModel(bytes: Uint8Array, limits: ModelFileLimits = MODEL_FILE_LIMITS): UnpackedModel {
  if (bytes.length > limits.fileBytes) throw new ModelFileError(`the file is ${mib(bytes.length)}, over the ${mib(limits.fileBytes)} a model file may be`);
  const seen = new Set<string>();
  let entries = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter(info) {
        if (++entries > limits.entries) throw new ModelFileError(`the zip lists more than ${limits.entries} entries; a model file has two`);
        const limit = info.name === MODEL_ENTRIES.graph ? limits.graphBytes : info.name === MODEL_ENTRIES.weights ? limits.weightsBytes : undefined;
        if (limit === undefined) return false;
        if (seen.has(info.name)) throw new ModelFileError(`the zip holds ${info.name} twice`);
        seen.add(info.name);
        if (info.originalSize > limit) throw new ModelFileError(`${info.name} is ${mib(info.originalSize)} unpacked, over the ${mib(limit)} allowed`);
        if (info.compression !== 0 && info.compression !== 8)
          throw new ModelFileError(`${info.name} is compressed with method ${info.compression}; only stored and deflated entries can be read`);
        if (info.compression === 0 && info.size !== info.originalSize)
          throw new ModelFileError(`${info.name} is stored but its sizes disagree (${info.size} and ${info.originalSize} bytes)`);
        return true;
      },
    });
  } catch (e) {
    if (e instanceof ModelFileError) throw e;
    throw new ModelFileError(`this is not a readable zip file (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  const graph = files[MODEL_ENTRIES.graph];
  const weights = files[MODEL_ENTRIES.weights];
  if (!graph) throw new ModelFileError(`the zip has no ${MODEL_ENTRIES.graph}: it is not a Wiregrad model file`);
  if (!weights) throw new ModelFileError(`the zip has no ${MODEL_ENTRIES.weights}: it holds a graph but no weights`);
  let graphText: string;
  try {
    graphText = new TextDecoder('utf-8', { fatal: true }).decode(graph);
  } catch (e) {
    throw new ModelFileError(`${MODEL_ENTRIES.graph} is not UTF-8 text`, { cause: e });
  }
  try {
    return { graphText, weights: readSafetensors(weights) };
  } catch (e) {
    if (e instanceof SafetensorsError) throw new ModelFileError(`${MODEL_ENTRIES.weights}: ${e.message}`, { cause: e });
    throw e;
  }
}
