import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crc32cBitwise, readEventFile } from './eventReader';
import { crc32c, EventFileWriter, histogramFromBins, maskedCrc32c, tfRecord } from './tfevents';

describe('CRC32C', () => {
  // RFC 3720, appendix B.4.
  it('matches the iSCSI test vectors', () => {
    const ascending = Uint8Array.from({ length: 32 }, (_v, i) => i);
    const vectors: [Uint8Array, number][] = [
      [new Uint8Array(32), 0x8a9136aa],
      [new Uint8Array(32).fill(0xff), 0x62a8ab43],
      [ascending, 0x46dd794e],
      [ascending.slice().reverse(), 0x113fdb5c],
      [new TextEncoder().encode('123456789'), 0xe3069283],
    ];
    for (const [bytes, want] of vectors) {
      expect(crc32c(bytes)).toBe(want);
      expect(crc32cBitwise(bytes)).toBe(want);
    }
  });

  it('frames a record as TFRecord does: length, masked CRC of the length, data, masked CRC of the data', () => {
    const data = new TextEncoder().encode('hello');
    const rec = tfRecord(data);
    const view = new DataView(rec.buffer);
    expect(rec.length).toBe(21);
    expect(view.getBigUint64(0, true)).toBe(5n);
    expect(view.getUint32(8, true)).toBe(maskedCrc32c(rec.subarray(0, 8)));
    expect(view.getUint32(17, true)).toBe(maskedCrc32c(data));
    // mask(c) = rotr15(c) + 0xa282ead8, written out for c = crc32c of 32 zeros.
    expect(maskedCrc32c(new Uint8Array(32))).toBe(((((0x8a9136aa >>> 15) | (0x8a9136aa << 17)) >>> 0) + 0xa282ead8) % 2 ** 32);
  });
});

describe('event files', () => {
  it('read back by an independent decoder: the version event first, then scalars and histograms', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wg-events-'));
    let t = 1_700_000_000.25;
    const w = new EventFileWriter(dir, () => (t += 1));
    w.scalars(1, { loss: 2.5, lr: 0.01 });
    w.scalars(2, { loss: 1.25, 'metrics/acc': 0.75 });
    w.histograms(2, { 'weights/d.kernel': histogramFromBins(-1, 1, [1, 2, 3, 4]) });
    w.close();
    const [file] = readdirSync(dir);
    expect(file).toMatch(/^events\.out\.tfevents\.1700000001\..+\.\d+\.0$/);
    const events = readEventFile(w.path);
    expect(events[0]).toMatchObject({ fileVersion: 'brain.Event:2', wallTime: 1_700_000_001.25 });
    expect(events.slice(1).map((e) => [e.step, e.scalars])).toEqual([
      [1, { loss: 2.5, lr: Math.fround(0.01) }],
      [2, { loss: 1.25, 'metrics/acc': 0.75 }],
      [2, {}],
    ]);
    expect(events[3]!.histograms['weights/d.kernel']).toEqual({ min: -1, max: 1, num: 10, limits: [-0.5, 0, 0.5, 1], counts: [1, 2, 3, 4] });
  });
});
