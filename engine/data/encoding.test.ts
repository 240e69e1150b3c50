import { describe, expect, it } from 'vitest';
import { decodeText, decodeTextAsync, TextEncodingError } from './encoding';

// Node's Buffer encoders are the independent reference for the bytes of each encoding.
const bytes = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
const text = 'name,city\nJosé,café\nZoë,Ångström\n';

describe('decodeText', () => {
  it('reads UTF-8 without a byte-order mark', () => {
    expect(decodeText(bytes(Buffer.from(text, 'utf8')))).toEqual({ text, encoding: 'utf-8', bom: false });
  });

  it('reads UTF-8 with a byte-order mark and drops the mark', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    expect(decodeText(bytes(withBom))).toEqual({ text, encoding: 'utf-8', bom: true });
  });

  it('falls back to Latin-1/Windows-1252 when the bytes are not valid UTF-8: "café" stays "café"', () => {
    const latin1 = Buffer.from(text, 'latin1');
    expect(latin1.includes(0xe9)).toBe(true); // é is one byte, which UTF-8 cannot start a character with here
    expect(decodeText(bytes(latin1))).toEqual({ text, encoding: 'windows-1252', bom: false });
  });

  it('reads Windows-1252 bytes that Latin-1 leaves as control codes (0x80 is the euro sign)', () => {
    const decoded = decodeText(new Uint8Array([0x70, 0x72, 0x69, 0x63, 0x65, 0x0a, 0x35, 0x80, 0x0a]));
    expect(decoded.text).toBe('price\n5€\n');
    expect(decoded.encoding).toBe('windows-1252');
    // A few entries of the WHATWG windows-1252 index; the unassigned 0x81 stays U+0081.
    expect(decodeText(new Uint8Array([0x82, 0x81, 0x9f, 0xff])).text).toBe('\u201a\u0081\u0178\u00ff');
  });

  it('reads UTF-16 little-endian by its byte-order mark', () => {
    const le = Buffer.from(`\ufeff${text}`, 'utf16le');
    expect([le[0], le[1]]).toEqual([0xff, 0xfe]);
    expect(decodeText(bytes(le))).toEqual({ text, encoding: 'utf-16le', bom: true });
  });

  it('reads UTF-16 big-endian by its byte-order mark', () => {
    const be = Buffer.from(`\ufeff${text}`, 'utf16le').swap16();
    expect([be[0], be[1]]).toEqual([0xfe, 0xff]);
    expect(decodeText(bytes(be))).toEqual({ text, encoding: 'utf-16be', bom: true });
  });

  it('refuses UTF-16 without a byte-order mark (NUL bytes), saying what is expected', () => {
    const noBom = bytes(Buffer.from(text, 'utf16le'));
    expect(() => decodeText(noBom)).toThrow(TextEncodingError);
    expect(() => decodeText(noBom)).toThrow(
      'byte 2 is a NUL byte, which text files do not contain: this is not a text file, or it is UTF-16 without a byte-order mark. Save it as UTF-8',
    );
  });

  it('keeps a second byte-order mark as content and reads an empty file as empty text', () => {
    expect(decodeText(bytes(Buffer.from('\ufeff\ufeffa', 'utf8'))).text).toBe('\ufeffa');
    expect(decodeText(new Uint8Array(0))).toEqual({ text: '', encoding: 'utf-8', bom: false });
  });
});

describe('decoding in slices', () => {
  it('gives the one-slice result for every slice size, with characters split between slices (UTF-8, UTF-16, Windows-1252)', () => {
    const utf8 = bytes(Buffer.from(text.repeat(5), 'utf8'));
    const latin1 = bytes(Buffer.from(text.repeat(5), 'latin1'));
    const le = bytes(Buffer.from(`\ufeff${text.repeat(5)}`, 'utf16le'));
    const be = bytes(Buffer.from(`\ufeff${text.repeat(5)}`, 'utf16le').swap16());
    for (const input of [utf8, latin1, le, be]) {
      const whole = decodeText(input, input.length + 1);
      for (const slice of [1, 2, 3, 5, 7, 64]) expect(decodeText(input, slice)).toEqual(whole);
    }
    expect(decodeText(latin1, 3).text).toBe(text.repeat(5));
    expect(decodeText(utf8, 1).text).toBe(text.repeat(5));
  });

  it('awaits between slices', async () => {
    let yields = 0;
    const input = bytes(Buffer.from(text, 'utf8'));
    const decoded = await decodeTextAsync(input, async () => void yields++, 4);
    expect(decoded.text).toBe(text);
    expect(yields).toBe(Math.ceil(input.length / 4) - 1);
  });
});
