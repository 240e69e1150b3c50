/**
 * A reader of TensorBoard event files for the tests, written apart from the writer (tfevents.ts) on
 * purpose: CRC32C bit by bit rather than by table, varints and wire types decoded by hand rather than
 * through protobufjs, field numbers typed again from event.proto, summary.proto and histogram.proto.
 */
import { readFileSync } from 'node:fs';

/** CRC-32C computed bit by bit (the writer uses a table). */
export function crc32cBitwise(bytes: Uint8Array): number {
  let crc = ~0 >>> 0;
  for (const byte of bytes) {
    crc = (crc ^ byte) >>> 0;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? ((crc >>> 1) ^ 0x82f63b78) >>> 0 : crc >>> 1;
  }
  return ~crc >>> 0;
}

const mask = (crc: number) => (((crc >>> 15) | ((crc << 17) >>> 0)) + 0xa282ead8) % 0x100000000;

/** What the tests look at in one Event. */
export interface ReadEvent {
  wallTime?: number;
  step: number;
  fileVersion?: string;
  scalars: Record<string, number>;
  histograms: Record<string, { min: number; max: number; num: number; limits: number[]; counts: number[] }>;
}

type Field = { no: number; wire: number; varint?: bigint; bytes?: Uint8Array; fixed64?: DataView; fixed32?: DataView };

function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[at++];
      if (b === undefined) throw new Error('truncated varint');
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
      shift += 7n;
    }
  };
  while (at < buf.length) {
    const key = Number(varint());
    const no = key >> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ no, wire, varint: varint() });
    else if (wire === 1) {
      out.push({ no, wire, fixed64: new DataView(buf.buffer, buf.byteOffset + at, 8) });
      at += 8;
    } else if (wire === 2) {
      const len = Number(varint());
      out.push({ no, wire, bytes: buf.subarray(at, at + len) });
      at += len;
    } else if (wire === 5) {
      out.push({ no, wire, fixed32: new DataView(buf.buffer, buf.byteOffset + at, 4) });
      at += 4;
    } else throw new Error(`unexpected wire type ${wire}`);
  }
  return out;
}

const double = (f: Field) => f.fixed64!.getFloat64(0, true);
const packedDoubles = (f: Field) => {
  const v = new DataView(f.bytes!.buffer, f.bytes!.byteOffset, f.bytes!.byteLength);
  return Array.from({ length: f.bytes!.byteLength / 8 }, (_x, i) => v.getFloat64(8 * i, true));
};

function readHistogram(buf: Uint8Array) {
  const h = { min: 0, max: 0, num: 0, limits: [] as number[], counts: [] as number[] };
  for (const f of fields(buf)) {
    if (f.no === 1) h.min = double(f);
    else if (f.no === 2) h.max = double(f);
    else if (f.no === 3) h.num = double(f);
    else if (f.no === 6) h.limits.push(...packedDoubles(f));
    else if (f.no === 7) h.counts.push(...packedDoubles(f));
  }
  return h;
}

function readEvent(buf: Uint8Array): ReadEvent {
  const e: ReadEvent = { step: 0, scalars: {}, histograms: {} };
  for (const f of fields(buf)) {
    if (f.no === 1) e.wallTime = double(f);
    else if (f.no === 2) e.step = Number(BigInt.asIntN(64, f.varint!));
    else if (f.no === 3) e.fileVersion = new TextDecoder().decode(f.bytes);
    else if (f.no === 5) {
      for (const v of fields(f.bytes!)) {
        if (v.no !== 1) continue;
        let tag = '';
        let scalar: number | undefined;
        let histo: ReadEvent['histograms'][string] | undefined;
        for (const x of fields(v.bytes!)) {
          if (x.no === 1) tag = new TextDecoder().decode(x.bytes);
          else if (x.no === 2) scalar = x.fixed32!.getFloat32(0, true);
          else if (x.no === 5) histo = readHistogram(x.bytes!);
        }
        if (scalar !== undefined) e.scalars[tag] = scalar;
        if (histo) e.histograms[tag] = histo;
      }
    }
  }
  return e;
}

/** Every event of a file, each record's length and data checked against its masked CRC. */
export function readEventFile(path: string): ReadEvent[] {
  const bytes = new Uint8Array(readFileSync(path));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const events: ReadEvent[] = [];
  let at = 0;
  while (at < bytes.length) {
    const len = Number(view.getBigUint64(at, true));
    if (mask(crc32cBitwise(bytes.subarray(at, at + 8))) !== view.getUint32(at + 8, true)) throw new Error(`bad length CRC at byte ${at}`);
    const data = bytes.subarray(at + 12, at + 12 + len);
    if (mask(crc32cBitwise(data)) !== view.getUint32(at + 12 + len, true)) throw new Error(`bad data CRC at byte ${at}`);
    events.push(readEvent(data));
    at += 16 + len;
  }
  return events;
}
