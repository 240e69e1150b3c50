/**
 * Share links (DESIGN.md, "Models leave the tab"): the document, not its weights, compressed into
 * the URL fragment as `#graph=<base64url of zlib>`. The fragment never reaches a server. Reading a
 * link bounds it before anything else (its length, then what it inflates to), checks the zlib
 * checksum so a damaged link says so, and opens the text through the one document gate.
 */
import { Unzlib, strToU8, zlibSync } from 'fflate';
import type { GraphDocument } from '../../engine/graph/document';
import { DOCUMENT_LIMITS } from '../../engine/graph/limits';
import { openDocumentText } from './documentFile';

/** The fragment's parameter that holds the graph. */
export const SHARE_PARAM = 'graph';
/** The longest encoded graph a link may carry, in characters (the fragment after `graph=`). */
export const SHARE_LINK_LIMIT = 256 * 1024;
/** Compressed bytes pushed to the inflater at a time: one push inflates at most ~1 MB, so the size check stops a bomb early. */
const INFLATE_CHUNK = 1024;

/** What a URL fragment holds: no graph, a graph that opens, or a message saying why it does not. */
export type ShareRead = { kind: 'none' } | { kind: 'ok'; doc: GraphDocument } | { kind: 'refused'; message: string };

/** The fragment (without "#") that carries `doc`. */
export function shareFragment(doc: GraphDocument): string {
  return `${SHARE_PARAM}=${toBase64Url(zlibSync(strToU8(JSON.stringify(doc)), { level: 9 }))}`;
}

/** `base` (a page address) with `doc` in its fragment, replacing any fragment it had. */
export function shareUrl(doc: GraphDocument, base: string): string {
  return `${base.replace(/#.*$/s, '')}#${shareFragment(doc)}`;
}

const kb = (chars: number) => `${Math.ceil(chars / 1024)} KB`;

/** Whether `doc` fits in a link; undefined when it does, else a message saying what to do instead. */
export function shareLinkProblem(fragment: string): string | undefined {
  const encoded = fragment.length - SHARE_PARAM.length - 1;
  if (encoded <= SHARE_LINK_LIMIT) return undefined;
  return `This graph is too large for a link (${kb(encoded)} encoded, at most ${kb(SHARE_LINK_LIMIT)}). Save it as a file instead.`;
}

const DAMAGED = 'This share link is damaged (it was cut short or changed), so the graph was not opened';

/** Read a location's fragment (`location.hash`, with or without "#"). Never throws. */
export function readShareFragment(
  hash: string,
  limits: { encoded: number; inflated: number } = { encoded: SHARE_LINK_LIMIT, inflated: DOCUMENT_LIMITS.bytes },
): ShareRead {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  const prefix = `${SHARE_PARAM}=`;
  // Only `#graph=…` is a share link; any other fragment is left to whoever put it there.
  if (!fragment.startsWith(prefix)) return { kind: 'none' };
  const encoded = fragment.slice(prefix.length);
  if (encoded.length > limits.encoded) {
    return {
      kind: 'refused',
      message: `This share link is too long (${kb(encoded.length)}; a link may hold at most ${kb(limits.encoded)}), so the graph was not opened.`,
    };
  }
  const bytes = fromBase64Url(encoded);
  if (!bytes) return { kind: 'refused', message: `${DAMAGED}: it holds characters a link never does.` };
  const inflated = inflateBounded(bytes, limits.inflated);
  if (inflated === 'too-large') {
    return {
      kind: 'refused',
      message: `This share link unpacks to more than ${Math.round(limits.inflated / 1024 / 1024)} MB, more than any graph may be, so it was not opened.`,
    };
  }
  if (!inflated) return { kind: 'refused', message: `${DAMAGED}.` };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(inflated);
  } catch {
    return { kind: 'refused', message: `${DAMAGED}: it is not text.` };
  }
  const read = openDocumentText(text, 'the share link');
  return read.ok ? { kind: 'ok', doc: read.doc } : { kind: 'refused', message: read.message };
}

/** zlib data inflated, stopping as soon as the output passes `max` bytes; undefined when the data or its checksum is wrong. */
function inflateBounded(data: Uint8Array, max: number): Uint8Array | 'too-large' | undefined {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let tooLarge = false;
  let ended = false;
  const inflater = new Unzlib((chunk, final) => {
    total += chunk.length;
    if (total > max) tooLarge = true;
    else chunks.push(chunk);
    if (final) ended = true;
  });
  try {
    for (let at = 0; at < data.length && !tooLarge; at += INFLATE_CHUNK) {
      inflater.push(data.subarray(at, at + INFLATE_CHUNK), at + INFLATE_CHUNK >= data.length);
    }
  } catch {
    return undefined;
  }
  if (tooLarge) return 'too-large';
  if (!ended || data.length < 6) return undefined;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  // fflate does not check zlib's Adler-32 trailer; a changed character usually still inflates.
  const stored = ((data[data.length - 4]! << 24) | (data[data.length - 3]! << 16) | (data[data.length - 2]! << 8) | data[data.length - 1]!) >>> 0;
  return adler32(out) === stored ? out : undefined;
}

/** RFC 1950's checksum. */
export function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  // 5552 is the most bytes that can be summed before b may overflow 2^32 (zlib's NMAX).
  for (let start = 0; start < data.length; start += 5552) {
    const end = Math.min(start + 5552, data.length);
    for (let i = start; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) INDEX[ALPHABET.charCodeAt(i)] = i;

/** RFC 4648 §5 without padding. */
export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const left = bytes.length - i;
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    if (left > 1) out += ALPHABET[(n >> 6) & 63]!;
    if (left > 2) out += ALPHABET[n & 63]!;
  }
  return out;
}

/** The bytes of unpadded base64url text; undefined for any other character or an impossible length. */
export function fromBase64Url(text: string): Uint8Array | undefined {
  if (text.length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const v = code < 128 ? INDEX[code]! : -1;
    if (v < 0) return undefined;
    value = ((value << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (value >> bits) & 0xff;
    }
  }
  return out;
}
