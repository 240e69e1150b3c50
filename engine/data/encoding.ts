/**
 * Turning an uploaded text file's bytes into text: UTF-8 (with or without a byte-order mark),
 * UTF-16 LE/BE by their byte-order mark, and Windows-1252 (the superset of Latin-1 that browsers
 * decode "latin1" as) when the bytes are not valid UTF-8. The WHATWG Encoding Standard's TextDecoder
 * does the decoding, so the page, the worker and Node agree.
 */

/** The encodings a text upload is read in. */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** Decoded text, the encoding it was read in, and whether a byte-order mark said so. */
export interface DecodedText {
  readonly text: string;
  readonly encoding: TextEncodingName;
  readonly bom: boolean;
}

/** Bytes that cannot be read as text, with a sentence saying what is expected. */
export class TextEncodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TextEncodingError';
  }
}

/** What a text upload may be, for messages. */
export const EXPECTED_ENCODINGS = 'UTF-8 (the usual "CSV UTF-8"), UTF-16 with a byte-order mark, or Latin-1/Windows-1252';

/** How far NUL bytes are looked for: a text file has none, UTF-16 without a BOM has many. */
const NUL_SCAN_BYTES = 64 * 1024;

const hasPrefix = (b: Uint8Array, ...prefix: number[]) => prefix.every((v, i) => b[i] === v);

/** Bytes decoded between two yields (a 64 MiB file takes seconds to decode on a slow machine). */
const DECODE_SLICE_BYTES = 4 << 20;

/**
 * The decoder as a generator that stops after each slice of `sliceBytes` and returns the text;
 * throws TextEncodingError when no listed encoding fits.
 */
export function* decodeTextSteps(bytes: Uint8Array, sliceBytes = DECODE_SLICE_BYTES): Generator<void, DecodedText, void> {
  if (hasPrefix(bytes, 0xef, 0xbb, 0xbf)) return { text: yield* decodeSlices('utf-8', bytes.subarray(3), sliceBytes), encoding: 'utf-8', bom: true };
  if (hasPrefix(bytes, 0xff, 0xfe)) return { text: yield* decodeSlices('utf-16le', bytes.subarray(2), sliceBytes), encoding: 'utf-16le', bom: true };
  if (hasPrefix(bytes, 0xfe, 0xff)) return { text: yield* decodeSlices('utf-16be', bytes.subarray(2), sliceBytes), encoding: 'utf-16be', bom: true };
  // NUL is valid UTF-8, so UTF-16 text without a mark would decode "successfully" into garbage: look first.
  const nul = bytes.subarray(0, NUL_SCAN_BYTES).indexOf(0);
  if (nul >= 0) {
    throw new TextEncodingError(
      `byte ${nul + 1} is a NUL byte, which text files do not contain: this is not a text file, or it is UTF-16 without a byte-order mark. Save it as ${EXPECTED_ENCODINGS}`,
    );
  }
  let utf8: string | undefined;
  try {
    utf8 = yield* decodeSlices('utf-8', bytes, sliceBytes, true);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e; // TextDecoder's fatal mode throws TypeError on invalid bytes
  }
  if (utf8 !== undefined) return { text: utf8, encoding: 'utf-8', bom: false };
  // Not UTF-8: every byte sequence is valid Windows-1252, the encoding of most older spreadsheets' CSVs.
  return { text: yield* decodeSlices('windows-1252', bytes, sliceBytes), encoding: 'windows-1252', bom: false };
}

/** Decode `bytes` (a whole file) as text at once; throws TextEncodingError when no listed encoding fits. */
export function decodeText(bytes: Uint8Array, sliceBytes?: number): DecodedText {
  const steps = decodeTextSteps(bytes, sliceBytes);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** decodeText a slice at a time, awaiting `yieldNow` between slices so the thread stays responsive. */
export async function decodeTextAsync(bytes: Uint8Array, yieldNow: () => Promise<void>, sliceBytes?: number): Promise<DecodedText> {
  const steps = decodeTextSteps(bytes, sliceBytes);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await yieldNow();
  }
}

/** Windows-1252's characters for bytes 0x80–0x9F (the rest are Latin-1's); the five unassigned bytes stay as they are. */
const CP1252_HIGH = '€\x81‚ƒ„…†‡ˆ‰Š‹Œ\x8dŽ\x8f\x90‘’“”•–—˜™š›œ\x9džŸ';

/** A streaming decode over slices (a character split between two slices is carried over); fatal throws TypeError on bad bytes. */
function* decodeSlices(encoding: TextEncodingName, bytes: Uint8Array, sliceBytes: number, fatal = false): Generator<void, string, void> {
  // ignoreBOM: the mark was already taken off; a second one is content.
  const decoder = new TextDecoder(encoding, { fatal, ignoreBOM: true });
  const pieces: string[] = [];
  for (let at = 0; at === 0 || at < bytes.length; at += sliceBytes) {
    const last = at + sliceBytes >= bytes.length;
    let piece = decoder.decode(bytes.subarray(at, at + sliceBytes), { stream: !last });
    // Some runtimes (Node) decode "windows-1252" as plain Latin-1, leaving 0x80–0x9F as control codes: map those.
    if (encoding === 'windows-1252') piece = piece.replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
    pieces.push(piece);
    if (!last) yield;
  }
  return pieces.join('');
}

/** A short phrase for the user: how the file was read. */
export function describeEncoding(d: Pick<DecodedText, 'encoding' | 'bom'>): string {
  switch (d.encoding) {
    case 'utf-8':
      return d.bom ? 'UTF-8 (with a byte-order mark)' : 'UTF-8';
    case 'utf-16le':
      return 'UTF-16 little-endian (by its byte-order mark)';
    case 'utf-16be':
      return 'UTF-16 big-endian (by its byte-order mark)';
    case 'windows-1252':
      return 'Latin-1/Windows-1252 (it is not valid UTF-8)';
    default:
      d.encoding satisfies never;
      return String(d.encoding);
  }
}
