/**
 * TensorBoard event files: TFRecord framing around `Event` protobufs (tensorboard/compat/proto:
 * event.proto, summary.proto, histogram.proto). A record is
 *   uint64 length (little-endian) · uint32 masked CRC32C of those 8 bytes · data · uint32 masked CRC32C of data.
 * The first event of a file carries file_version "brain.Event:2"; scalars are Summary values with
 * simple_value, histograms HistogramProto. The file name holds "tfevents", which TensorBoard looks for.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Root, type Type } from 'protobufjs/light.js';

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1; // Castagnoli, reflected
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32C (Castagnoli), as in RFC 3720 and TFRecord. */
export function crc32c(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC32C_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** TFRecord's masked CRC: rotate right by 15 bits and add a constant (a CRC of data holding CRCs is weak). */
export function maskedCrc32c(bytes: Uint8Array): number {
  const c = crc32c(bytes);
  return ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** One TFRecord around `data`. */
export function tfRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + 4 + data.length + 4);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

// Field names and numbers exactly as in TensorBoard's protos; only what this writer sets.
const DESCRIPTOR = {
  nested: {
    tensorboard: {
      nested: {
        HistogramProto: {
          fields: {
            min: { type: 'double', id: 1 },
            max: { type: 'double', id: 2 },
            num: { type: 'double', id: 3 },
            sum: { type: 'double', id: 4 },
            sum_squares: { type: 'double', id: 5 },
            bucket_limit: { rule: 'repeated', type: 'double', id: 6, options: { packed: true } },
            bucket: { rule: 'repeated', type: 'double', id: 7, options: { packed: true } },
          },
        },
        SummaryValue: {
          fields: {
            tag: { type: 'string', id: 1 },
            simple_value: { type: 'float', id: 2 },
            histo: { type: 'HistogramProto', id: 5 },
          },
        },
        Summary: { fields: { value: { rule: 'repeated', type: 'SummaryValue', id: 1 } } },
        Event: {
          fields: {
            wall_time: { type: 'double', id: 1 },
            step: { type: 'int64', id: 2 },
            file_version: { type: 'string', id: 3 },
            summary: { type: 'Summary', id: 5 },
          },
        },
      },
    },
  },
};

/** A histogram as TensorBoard stores it: bucket i counts values in (bucket_limit[i-1], bucket_limit[i]]. */
export interface Histogram {
  readonly min: number;
  readonly max: number;
  readonly num: number;
  readonly sum: number;
  readonly sum_squares: number;
  readonly bucket_limit: readonly number[];
  readonly bucket: readonly number[];
}

/** One Summary value: a scalar or a histogram under a tag. */
export type SummaryValue = { readonly tag: string; readonly simple_value: number } | { readonly tag: string; readonly histo: Histogram };

/** An Event message as a plain object. */
export interface TfEvent {
  readonly wall_time: number;
  readonly step?: number;
  readonly file_version?: string;
  readonly summary?: { readonly value: readonly SummaryValue[] };
}

let eventType: Type | undefined;
const event = () => (eventType ??= Root.fromJSON(DESCRIPTOR).lookupType('tensorboard.Event'));

/** The Event's protobuf bytes. */
export function encodeEvent(e: TfEvent): Uint8Array {
  const type = event();
  const problem = type.verify(e);
  if (problem) throw new Error(`internal error: the event does not fit event.proto: ${problem}`);
  return type.encode(type.fromObject(e)).finish();
}

/**
 * Writes one events file in `dir` (created if needed), record by record, so a run cut short
 * still leaves everything logged until then. Times are seconds since the epoch, as TensorBoard wants.
 */
export class EventFileWriter {
  /** The file's path: `<dir>/events.out.tfevents.<seconds>.<host>.<pid>.0`. */
  readonly path: string;
  private fd: number | undefined;

  constructor(
    dir: string,
    private readonly clock: () => number = () => Date.now() / 1000,
  ) {
    mkdirSync(dir, { recursive: true });
    const now = this.clock();
    this.path = join(dir, `events.out.tfevents.${Math.floor(now)}.${hostname().replace(/[^\w.-]/g, '_')}.${process.pid}.0`);
    this.fd = openSync(this.path, 'wx');
    this.write({ wall_time: now, step: 0, file_version: 'brain.Event:2' });
  }

  /** Scalars under their tags at `step`, in one event. */
  scalars(step: number, values: Readonly<Record<string, number>>): void {
    const value = Object.entries(values).map(([tag, v]) => ({ tag, simple_value: v }));
    if (value.length) this.write({ wall_time: this.clock(), step, summary: { value } });
  }

  /** Histograms under their tags at `step`, in one event. */
  histograms(step: number, values: Readonly<Record<string, Histogram>>): void {
    const value = Object.entries(values).map(([tag, histo]) => ({ tag, histo }));
    if (value.length) this.write({ wall_time: this.clock(), step, summary: { value } });
  }

  private write(e: TfEvent): void {
    if (this.fd === undefined) throw new Error(`the event file ${this.path} is closed`);
    writeSync(this.fd, tfRecord(encodeEvent(e)));
  }

  /** Flush to disk and close; later writes are errors. */
  close(): void {
    if (this.fd === undefined) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * A TensorBoard histogram from equal-width bins over [min, max] (the dashboard's ParamHistogram).
 * The sums are estimated from the bin centres: the bins are all the writer has, and TensorBoard's
 * charts read only the buckets, min and max.
 */
export function histogramFromBins(min: number, max: number, counts: readonly number[]): Histogram {
  const bins = counts.length;
  const width = (max - min) / bins || 1;
  const limits = counts.map((_c, k) => (k === bins - 1 ? Math.max(max, min) : min + (k + 1) * width));
  let num = 0;
  let sum = 0;
  let sumSquares = 0;
  counts.forEach((c, k) => {
    const centre = min + (k + 0.5) * width;
    num += c;
    sum += c * centre;
    sumSquares += c * centre * centre;
  });
  return { min, max, num, sum, sum_squares: sumSquares, bucket_limit: limits, bucket: [...counts] };
}
