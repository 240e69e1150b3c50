import { deflateSync, strToU8, zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { TEMPLATES } from '../templates';
import { adler32, fromBase64Url, readShareFragment, SHARE_LINK_LIMIT, shareFragment, shareLinkProblem, shareUrl, toBase64Url } from './shareLink';

const when = new Date('2025-03-01T00:00:00Z');
const spirals = TEMPLATES.find((t) => t.id === 'two-spirals')!.build(when);
const encoded = (fragment: string) => fragment.slice('graph='.length);

describe('share links', () => {
  it.each(TEMPLATES.map((t) => [t.name, t] as const))('round-trips the %s template', (_, template) => {
    const doc = template.build(when);
    const fragment = shareFragment(doc);
    expect(fragment).toMatch(/^graph=[A-Za-z0-9_-]+$/);
    expect(shareLinkProblem(fragment)).toBeUndefined();
    expect(readShareFragment(`#${fragment}`)).toEqual({ kind: 'ok', doc });
  });

  it('puts the graph in the fragment of the page address, replacing any fragment', () => {
    const url = shareUrl(spirals, 'http://127.0.0.1:4173/app?x=1#graph=old');
    expect(url.startsWith('http://127.0.0.1:4173/app?x=1#graph=')).toBe(true);
    expect(readShareFragment(new URL(url).hash)).toEqual({ kind: 'ok', doc: spirals });
  });

  it('ignores fragments that are not share links', () => {
    expect(readShareFragment('')).toEqual({ kind: 'none' });
    expect(readShareFragment('#')).toEqual({ kind: 'none' });
    expect(readShareFragment('#section-2')).toEqual({ kind: 'none' });
  });

  it('refuses a link with one character changed anywhere (the checksum catches what still inflates)', () => {
    const text = encoded(shareFragment(spirals));
    let refused = 0;
    for (let i = 0; i < text.length; i += 7) {
      const swapped = text[i] === 'A' ? 'B' : 'A';
      const read = readShareFragment(`#graph=${text.slice(0, i)}${swapped}${text.slice(i + 1)}`);
      expect(read.kind).not.toBe('ok');
      if (read.kind === 'refused') refused++;
    }
    expect(refused).toBe(Math.ceil(text.length / 7));
  });

  it('refuses a cut-short link and characters base64url never has, saying the link is damaged', () => {
    const text = encoded(shareFragment(spirals));
    const cut = readShareFragment(`#graph=${text.slice(0, text.length - 10)}`);
    expect(cut).toMatchObject({ kind: 'refused', message: expect.stringMatching(/damaged/) });
    const plus = readShareFragment(`#graph=${text.slice(0, 20)}+/${text.slice(22)}`);
    expect(plus).toMatchObject({ kind: 'refused', message: expect.stringMatching(/damaged.*characters/) });
    expect(readShareFragment('#graph=')).toMatchObject({ kind: 'refused' });
  });

  it('refuses a link longer than the limit before decoding it', () => {
    const long = 'A'.repeat(SHARE_LINK_LIMIT + 1);
    expect(readShareFragment(`#graph=${long}`)).toEqual({
      kind: 'refused',
      message: expect.stringMatching(/too long \(257 KB; a link may hold at most 256 KB\)/),
    });
    expect(shareLinkProblem(`graph=${long}`)).toMatch(/too large for a link.*Save it as a file/);
  });

  it('stops inflating a small link that unpacks past the document limit', () => {
    // 64 MB of spaces deflate to ~64 KB: within the link limit, far past the 8 MB document limit.
    const bomb = zlibSync(new Uint8Array(64 * 1024 * 1024).fill(0x20), { level: 9 });
    const text = toBase64Url(bomb);
    expect(text.length).toBeLessThan(SHARE_LINK_LIMIT);
    expect(readShareFragment(`#graph=${text}`)).toEqual({ kind: 'refused', message: expect.stringMatching(/unpacks to more than 8 MB/) });
  });

  it('opens a link only through the document gate: valid zlib of a bad document names the problem', () => {
    const notAGraph = toBase64Url(zlibSync(strToU8('{"format":"wiregrad.graph","version":1,"nodes":"no"}')));
    const read = readShareFragment(`#graph=${notAGraph}`);
    expect(read).toMatchObject({ kind: 'refused', message: expect.stringMatching(/^Could not open the share link/) });
    // Raw deflate without zlib's header and checksum is not a share link.
    expect(readShareFragment(`#graph=${toBase64Url(deflateSync(strToU8(JSON.stringify(spirals))))}`).kind).toBe('refused');
  });

  it("encodes base64url as RFC 4648 does (against Node's encoder) and back", () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 31) & 255);
      const text = toBase64Url(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64url'));
      expect(fromBase64Url(text)).toEqual(bytes);
    }
    expect(fromBase64Url('A')).toBeUndefined();
    expect(fromBase64Url('AB=C')).toBeUndefined();
  });

  it('computes Adler-32 as zlib does (the trailer fflate writes)', () => {
    for (const size of [0, 1, 5551, 5552, 5553, 100_000]) {
      const data = Uint8Array.from({ length: size }, (_, i) => 255 - (i % 251));
      const z = zlibSync(data);
      const trailer = ((z[z.length - 4]! << 24) | (z[z.length - 3]! << 16) | (z[z.length - 2]! << 8) | z[z.length - 1]!) >>> 0;
      expect(adler32(data)).toBe(trailer);
    }
  });
});
