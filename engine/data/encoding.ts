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

/** Decode `bytes` (a whole file) as text; throws TextEncodingError when no listed encoding fits. */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (hasPrefix(bytes, 0xef, 0xbb, 0xbf)) return { text: decode('utf-8', bytes.subarray(3)), encoding: 'utf-8', bom: true };
  if (hasPrefix(bytes, 0xff, 0xfe)) return { text: decode('utf-16le', bytes.subarray(2)), encoding: 'utf-16le', bom: true };
  if (hasPrefix(bytes, 0xfe, 0xff)) return { text: decode('utf-16be', bytes.subarray(2)), encoding: 'utf-16be', bom: true };
  // NUL is valid UTF-8, so UTF-16 text without a mark would decode "successfully" into garbage: look first.
  const nul = bytes.subarray(0, NUL_SCAN_BYTES).indexOf(0);
  if (nul >= 0) {
    throw new TextEncodingError(`byte ${nul + 1} is a NUL byte, which text files do not contain: this is not a text file, or it is UTF-16 without a byte-order mark. Save it as ${EXPECTED_ENCODINGS}`);
  }
  try {
    return { text: decode('utf-8', bytes, true), encoding: 'utf-8', bom: false };
  } catch {
    // Not UTF-8: every byte sequence is valid Windows-1252, the encoding of most older spreadsheets' CSVs.
    return { text: decodeWindows1252(bytes), encoding: 'windows-1252', bom: false };
  }
}

/** Windows-1252's characters for bytes 0x80–0x9F (the rest are Latin-1's); the five unassigned bytes stay as they are. */
const CP1252_HIGH = '€\x81‚ƒ„…†‡ˆ‰Š‹Œ\x8dŽ\x8f\x90‘’“”•–—˜™š›œ\x9džŸ';

/** Some runtimes (Node) decode "windows-1252" as plain Latin-1, leaving 0x80–0x9F as control codes: map those. */
function decodeWindows1252(bytes: Uint8Array): string {
  return decode('windows-1252', bytes).replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

function decode(encoding: TextEncodingName, bytes: Uint8Array, fatal = false): string {
  // ignoreBOM: the mark was already taken off; a second one is content.
  return new TextDecoder(encoding, { fatal, ignoreBOM: true }).decode(bytes);
}

/** A short phrase for the user: how the file was read. */
export function describeEncoding(d: Pick<DecodedText, 'encoding' | 'bom'>): string {
  switch (d.encoding) {
    case 'utf-8': return d.bom ? 'UTF-8 (with a byte-order mark)' : 'UTF-8';
    case 'utf-16le': return 'UTF-16 little-endian (by its byte-order mark)';
    case 'utf-16be': return 'UTF-16 big-endian (by its byte-order mark)';
    case 'windows-1252': return 'Latin-1/Windows-1252 (it is not valid UTF-8)';
    default:
      d.encoding satisfies never;
      return String(d.encoding);
  }
}
