/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes of UTF-8
 * JSON (starting with "{", maybe padded with spaces), then the byte buffer. The header maps each
 * tensor name to { dtype, shape, data_offsets: [begin, end) relative to the byte buffer }, plus an
 * optional "__metadata__" map of strings. Tensors are little-endian and row-major; the tensors'
 * ranges cover the byte buffer exactly, with no overlap and no hole (the reference reader's rule).
 *
 * The reader checks every header number against the file before it touches tensor data and
 * allocates nothing per tensor: a parsed file's tensors are views of the input bytes. Decoding a
 * tensor allocates its element count × 4 bytes, which the checks bound by 4 × its bytes in the file.
 * The writer lays files out as the reference writer does (tensors by dtype alignment, largest
 * first, then by name; the header padded with spaces to a multiple of 8 bytes), so the same
 * tensors give the same bytes as `safetensors.torch.save_file`.
 */
import { JsonNumber, JsonSyntaxError, parseStrictJson, type JsonValue } from './strictJson';

/** A safetensors file is malformed, or holds something Wiregrad cannot read; the message names the tensor and field. */
export class SafetensorsError extends Error {
  constructor(
    message: string,
    readonly tensor?: string,
  ) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

/**
 * The dtypes of the format with a whole number of bytes per element, in the reference
 * implementation's order (increasing alignment), which the writer's sort follows.
 */
const DTYPE_ORDER = [
  'BOOL',
  'U8',
  'I8',
  'F8_E5M2',
  'F8_E4M3',
  'F8_E8M0',
  'I16',
  'U16',
  'F16',
  'BF16',
  'I32',
  'U32',
  'F32',
  'C64',
  'F64',
  'I64',
  'U64',
] as const;
export type SafetensorsDType = (typeof DTYPE_ORDER)[number];

const DTYPE_BYTES: Readonly<Record<SafetensorsDType, number>> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  F8_E8M0: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  C64: 8,
  F64: 8,
  I64: 8,
  U64: 8,
};
/** Dtypes of the format Wiregrad does not read (sub-byte floats are not in DTYPE_ORDER at all). */
const UNREADABLE = new Set<SafetensorsDType>(['F8_E5M2', 'F8_E4M3', 'F8_E8M0', 'C64']);

/** The reference implementation's limit on the header, against parsing an enormous JSON text. */
export const MAX_HEADER_BYTES = 100_000_000;
/** Bound on JSON nesting in a header; a valid one nests 3 deep. */
const MAX_HEADER_DEPTH = 8;
/** How much of a name a message quotes. */
const QUOTE = 80;

/** One tensor of a parsed file. */
export interface SafetensorsTensor {
  readonly name: string;
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  /** The tensor's bytes: a view of the parsed input, not a copy. */
  readonly bytes: Uint8Array;
}

/** A parsed, fully validated file. */
export interface SafetensorsFile {
  /** Tensors by name, in header order. */
  readonly tensors: ReadonlyMap<string, SafetensorsTensor>;
  /** The "__metadata__" strings (empty when the file has none). */
  readonly metadata: ReadonlyMap<string, string>;
}

/** A tensor decoded to one of Wiregrad's element types. */
export type DecodedTensor =
  | { readonly dtype: 'f32'; readonly shape: readonly number[]; readonly data: Float32Array }
  | { readonly dtype: 'i32'; readonly shape: readonly number[]; readonly data: Int32Array };

/** A tensor to write: Float32Array for F32, Int32Array for I32, or raw little-endian bytes of any dtype. */
export interface TensorToWrite {
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array | Uint8Array;
}

export interface ReadOptions {
  /** Largest header accepted, in bytes (default MAX_HEADER_BYTES). */
  readonly maxHeaderBytes?: number;
}

/** A shape for a message, its dimensions clipped after 8. */
const formatShape = (shape: readonly number[]) => `[${shape.slice(0, 8).join(', ')}${shape.length > 8 ? `, … (${shape.length} dimensions)` : ''}]`;
const quote = (name: string) => JSON.stringify(name.length > QUOTE ? `${name.slice(0, QUOTE)}…` : name);

function isDType(s: string): s is SafetensorsDType {
  return Object.prototype.hasOwnProperty.call(DTYPE_BYTES, s);
}

/** A non-negative safe integer written as digits only (what serde_json reads into a u64). */
function count(v: JsonValue | undefined): number | undefined {
  if (!(v instanceof JsonNumber) || !/^(0|[1-9][0-9]*)$/.test(v.text)) return undefined;
  const n = Number(v.text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Parse and check a whole file. Every problem is a SafetensorsError; tensor bytes are views of `file`. */
export function readSafetensors(file: Uint8Array, options: ReadOptions = {}): SafetensorsFile {
  const maxHeader = options.maxHeaderBytes ?? MAX_HEADER_BYTES;
  if (file.length < 8) throw new SafetensorsError(`the file is ${file.length} bytes, shorter than the 8-byte header length`);
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const high = view.getUint32(4, true);
  const n = high * 2 ** 32 + view.getUint32(0, true);
  if (n > maxHeader) throw new SafetensorsError(`the header length ${n} is over the limit of ${maxHeader} bytes`);
  if (n > file.length - 8) throw new SafetensorsError(`the header length ${n} runs past the end of the ${file.length}-byte file`);
  if (n < 2) throw new SafetensorsError(`the header length ${n} is too short for a JSON object`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(file.subarray(8, 8 + n));
  } catch {
    throw new SafetensorsError('the header is not valid UTF-8');
  }
  if (text[0] !== '{') throw new SafetensorsError('the header does not start with "{"');
  let header: JsonValue;
  try {
    header = parseStrictJson(text, MAX_HEADER_DEPTH);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new SafetensorsError(`the header is not valid JSON: ${e.message}`);
    throw e;
  }
  if (!(header instanceof Map)) throw new SafetensorsError('the header is not a JSON object');
  const buffer = file.subarray(8 + n);

  const metadata = new Map<string, string>();
  const entries: { name: string; dtype: SafetensorsDType; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, info] of header) {
    if (name === '__metadata__') {
      if (!(info instanceof Map)) throw new SafetensorsError('"__metadata__" must be an object of strings');
      for (const [k, v] of info) {
        if (typeof v !== 'string') throw new SafetensorsError(`"__metadata__" entry ${quote(k)} is not a string`);
        metadata.set(k, v);
      }
      continue;
    }
    const what = `tensor ${quote(name)}`;
    const fail = (message: string): never => {
      throw new SafetensorsError(`${what}: ${message}`, name);
    };
    if (!(info instanceof Map)) fail('its entry is not an object');
    const entry = info as Map<string, JsonValue>;
    const dtype = entry.get('dtype');
    if (typeof dtype !== 'string') fail('"dtype" is missing or not a string');
    if (!isDType(dtype as string)) fail(`unknown or unsupported dtype ${quote(dtype as string)}`);
    const rawShape = entry.get('shape');
    if (!Array.isArray(rawShape)) fail('"shape" is missing or not an array');
    const shape = (rawShape as JsonValue[]).map((d, i) => count(d) ?? fail(`"shape"[${i}] is not a non-negative integer below 2^53`));
    const offsets = entry.get('data_offsets');
    if (!Array.isArray(offsets) || offsets.length !== 2) fail('"data_offsets" is missing or not a pair [begin, end]');
    const [begin, end] = (offsets as JsonValue[]).map((o, i) => count(o) ?? fail(`"data_offsets"[${i}] is not a non-negative integer below 2^53`)) as [
      number,
      number,
    ];
    if (end < begin) fail(`"data_offsets" [${begin}, ${end}] ends before it begins`);
    if (end > buffer.length) fail(`"data_offsets" [${begin}, ${end}] runs past the ${buffer.length}-byte data buffer`);
    const size = DTYPE_BYTES[dtype as SafetensorsDType];
    const span = end - begin;
    // Multiply with an early exit, so a hostile shape never forms a product beyond 2^53.
    let bytes = shape.includes(0) ? 0 : size;
    let complete = true;
    for (let i = 0; i < shape.length && bytes > 0; i++) {
      bytes *= shape[i]!;
      if (bytes > span && i < shape.length - 1) {
        complete = false;
        break;
      }
    }
    if (bytes !== span)
      fail(
        `shape ${formatShape(shape)} of ${dtype} needs ${complete ? '' : 'more than '}${complete ? bytes : span} bytes but "data_offsets" [${begin}, ${end}] hold ${span}`,
      );
    entries.push({ name, dtype: dtype as SafetensorsDType, shape, begin, end });
  }

  // The ranges, in order, must tile the byte buffer: each begins where the previous ended.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  let previous: string | undefined;
  for (const e of sorted) {
    if (e.begin < at)
      throw new SafetensorsError(`tensor ${quote(e.name)}: its bytes [${e.begin}, ${e.end}) overlap those of tensor ${quote(previous!)}`, e.name);
    if (e.begin > at)
      throw new SafetensorsError(
        `tensor ${quote(e.name)}: bytes [${at}, ${e.begin}) before it belong to no tensor (the data buffer must have no holes)`,
        e.name,
      );
    at = e.end;
    previous = e.name;
  }
  if (at !== buffer.length) throw new SafetensorsError(`bytes [${at}, ${buffer.length}) at the end of the data buffer belong to no tensor`);

  const tensors = new Map<string, SafetensorsTensor>();
  for (const e of entries) tensors.set(e.name, { name: e.name, dtype: e.dtype, shape: e.shape, bytes: buffer.subarray(e.begin, e.end) });
  return { tensors, metadata };
}

/** IEEE half to float (exact). */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * The tensor as float32 (F32, F16, BF16, F64) or int32 (I32, I64, U32, U64, I16, U16, I8, U8, BOOL).
 * A value that does not fit (an F64 beyond float32's range, an integer beyond int32's) is an error
 * naming the tensor and the element's index.
 */
export function decodeTensor(t: SafetensorsTensor): DecodedTensor {
  const v = new DataView(t.bytes.buffer, t.bytes.byteOffset, t.bytes.byteLength);
  const size = DTYPE_BYTES[t.dtype];
  const n = t.bytes.byteLength / size;
  const fail = (message: string): never => {
    throw new SafetensorsError(`tensor ${quote(t.name)}: ${message}`, t.name);
  };
  if (UNREADABLE.has(t.dtype)) fail(`Wiregrad cannot read dtype ${t.dtype}`);
  const float = (f: (i: number) => number): DecodedTensor => {
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = f(i);
    return { dtype: 'f32', shape: t.shape, data };
  };
  const int = (f: (i: number) => number): DecodedTensor => {
    const data = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const x = f(i);
      if (x < -(2 ** 31) || x > 2 ** 31 - 1) fail(`element ${i} (${x}) does not fit in int32`);
      data[i] = x;
    }
    return { dtype: 'i32', shape: t.shape, data };
  };
  switch (t.dtype) {
    case 'F32':
      return float((i) => v.getFloat32(i * 4, true));
    case 'F16':
      return float((i) => halfToFloat(v.getUint16(i * 2, true)));
    case 'BF16': {
      // bfloat16 is the top half of a float32.
      const bits = new DataView(new ArrayBuffer(4));
      return float((i) => {
        bits.setUint32(0, v.getUint16(i * 2, true) * 0x10000);
        return bits.getFloat32(0);
      });
    }
    case 'F64':
      return float((i) => {
        const x = v.getFloat64(i * 8, true);
        const y = Math.fround(x);
        if (Number.isFinite(x) && !Number.isFinite(y)) fail(`element ${i} (${x}) is beyond float32's range`);
        return y;
      });
    case 'I32':
      return int((i) => v.getInt32(i * 4, true));
    case 'U32':
      return int((i) => v.getUint32(i * 4, true));
    case 'I64':
      return int((i) => Number(v.getBigInt64(i * 8, true)));
    case 'U64':
      return int((i) => Number(v.getBigUint64(i * 8, true)));
    case 'I16':
      return int((i) => v.getInt16(i * 2, true));
    case 'U16':
      return int((i) => v.getUint16(i * 2, true));
    case 'I8':
      return int((i) => v.getInt8(i));
    case 'U8':
    case 'BOOL':
      return int((i) => v.getUint8(i));
    default:
      return fail(`Wiregrad cannot read dtype ${t.dtype}`);
  }
}

/** UTF-8 byte order, as Rust compares Strings. */
function compareUtf8(a: string, b: string): number {
  const enc = new TextEncoder();
  const x = enc.encode(a);
  const y = enc.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/** The tensor's bytes, checked against its shape and dtype. */
function bytesOf(name: string, t: TensorToWrite): Uint8Array {
  const { data } = t;
  if (t.dtype === 'F32' && !(data instanceof Float32Array) && !(data instanceof Uint8Array))
    throw new SafetensorsError(`tensor ${quote(name)}: F32 data must be a Float32Array or raw bytes`, name);
  if (t.dtype === 'I32' && !(data instanceof Int32Array) && !(data instanceof Uint8Array))
    throw new SafetensorsError(`tensor ${quote(name)}: I32 data must be an Int32Array or raw bytes`, name);
  if (t.dtype !== 'F32' && t.dtype !== 'I32' && !(data instanceof Uint8Array))
    throw new SafetensorsError(`tensor ${quote(name)}: ${t.dtype} data must be raw little-endian bytes`, name);
  if (!t.shape.every((d) => Number.isSafeInteger(d) && d >= 0))
    throw new SafetensorsError(`tensor ${quote(name)}: shape ${formatShape(t.shape)} has a dimension that is not a non-negative integer`, name);
  const want = t.shape.reduce((a, d) => a * d, 1) * DTYPE_BYTES[t.dtype];
  if (data.byteLength !== want)
    throw new SafetensorsError(
      `tensor ${quote(name)}: shape ${formatShape(t.shape)} of ${t.dtype} needs ${want} bytes but the data has ${data.byteLength}`,
      name,
    );
  if (data instanceof Uint8Array) return data;
  // Typed arrays are in the platform's byte order; the file is little-endian.
  const out = new Uint8Array(want);
  const v = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) {
    if (data instanceof Float32Array) v.setFloat32(i * 4, data[i]!, true);
    else v.setInt32(i * 4, data[i]!, true);
  }
  return out;
}

/** A safetensors file of `tensors` (by name) and optional metadata strings. */
export function writeSafetensors(
  tensors: ReadonlyMap<string, TensorToWrite> | Readonly<Record<string, TensorToWrite>>,
  metadata?: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
): Uint8Array {
  const list = tensors instanceof Map ? [...tensors] : Object.entries(tensors);
  for (const [name] of list) if (name === '__metadata__') throw new SafetensorsError('"__metadata__" is reserved and cannot name a tensor', name);
  const rank = (d: SafetensorsDType) => DTYPE_ORDER.indexOf(d);
  list.sort(([an, a], [bn, b]) => rank(b.dtype) - rank(a.dtype) || compareUtf8(an, bn));
  const parts = list.map(([name, t]) => bytesOf(name, t));
  // Build the JSON by hand so that key order is the reference writer's: metadata, then tensors in data order.
  const members: string[] = [];
  const meta = metadata instanceof Map ? [...metadata] : Object.entries(metadata ?? {});
  if (metadata !== undefined) members.push(`"__metadata__":{${meta.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(String(v))}`).join(',')}}`);
  let offset = 0;
  list.forEach(([name, t], i) => {
    const begin = offset;
    offset += parts[i]!.byteLength;
    members.push(`${JSON.stringify(name)}:{"dtype":"${t.dtype}","shape":[${t.shape.join(',')}],"data_offsets":[${begin},${offset}]}`);
  });
  let header = new TextEncoder().encode(`{${members.join(',')}}`);
  const pad = (8 - (header.length % 8)) % 8;
  if (pad) {
    const padded = new Uint8Array(header.length + pad).fill(0x20);
    padded.set(header);
    header = padded;
  }
  const out = new Uint8Array(8 + header.length + offset);
  new DataView(out.buffer).setUint32(0, header.length, true);
  out.set(header, 8);
  let at = 8 + header.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
