import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { CsvError, headerFieldCount, isMissing, parseCsv, parseCsvAsync, parseCsvBytes, readCsv } from './csvRead';
import { MAX_CSV_COLUMNS } from './limits';

/** A seeded generator (mulberry32), so a failing case can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CELLS = ['1', '-2.5', '3e4', '', 'NA', '?', 'red', 'café', 'a b', ' 7 ', 'x'];
const QUOTED = ['Smith, J', 'said "hi"', 'multi\nline', 'multi\r\nline', ',', '""', 'café, crème'];

/** A random CSV and, for each data row, the line it starts on (counted while writing it). */
function randomCsv(rand: () => number) {
  const nl = rand() < 0.5 ? '\n' : '\r\n';
  const cols = 1 + Math.floor(rand() * 6);
  const rows = 1 + Math.floor(rand() * 40);
  const cell = () => {
    if (rand() < 0.2) {
      const q = QUOTED[Math.floor(rand() * QUOTED.length)]!;
      return `"${q.replaceAll('"', '""')}"`;
    }
    return CELLS[Math.floor(rand() * CELLS.length)]!;
  };
  let text = `${Array.from({ length: cols }, (_v, c) => `col${c}`).join(',')}${nl}`;
  const lines: number[] = [];
  const lineNow = () => text.split('\n').length;
  for (let r = 0; r < rows; r++) {
    if (rand() < 0.1) text += nl; // an empty line is skipped
    const cells = Array.from({ length: cols }, cell);
    if (cells.some((c) => c.trim() !== '')) lines.push(lineNow()); // a row of blank cells is skipped as an empty line
    text += cells.join(',');
    if (r < rows - 1 || rand() < 0.5) text += nl;
  }
  return { text, lines };
}

describe('reading CSV in chunks', () => {
  it('gives the same rows as papaparse reading the whole text at once, with every row on its line, for 300 random files and chunk sizes', () => {
    const rand = random(17);
    for (let k = 0; k < 300; k++) {
      const { text, lines } = randomCsv(rand);
      const chunkChars = [1, 2, 3, 5, 8, 16, 64, 1 << 20][k % 8]!;
      const reference = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy' });
      expect(reference.errors.filter((e) => e.code !== 'UndetectableDelimiter')).toEqual([]);
      if (reference.data.length < 2) {
        expect(() => parseCsv(text, { chunkChars })).toThrow('the file has a header but no data rows');
        continue;
      }
      const rows: (readonly string[])[] = [];
      const table = parseCsv(text, { chunkChars, onRow: (row) => rows.push(row) });
      expect(table.header, `file ${k}, chunks of ${chunkChars}`).toEqual(reference.data[0]!.map((h) => h.trim()));
      expect(rows, `file ${k}, chunks of ${chunkChars}`).toEqual(reference.data.slice(1));
      expect(table.head).toEqual(reference.data.slice(1, 21));
      expect(table.rowCount).toBe(rows.length);
      expect([...table.lines], `file ${k}`).toEqual(lines);
      table.columns.forEach((col, c) => {
        const cells = reference.data.slice(1).map((r) => r[c]!);
        // The column store gives back each cell: missing or not, its trimmed text and its number.
        cells.forEach((v, r) => {
          expect(table.cells[c]!.isMissing(r)).toBe(isMissing(v));
          if (!isMissing(v)) expect(table.cells[c]!.text(r)).toBe(v.trim());
          if (!isMissing(v)) expect(table.cells[c]!.number(r)).toBe(Number(v.trim()));
        });
        expect(col.missing).toBe(cells.filter(isMissing).length);
        const present = cells.filter((v) => !isMissing(v));
        expect(col.kind).toBe(present.length > 0 && present.every((v) => Number.isFinite(Number(v.trim()))) ? 'numeric' : 'categorical');
      });
    }
  });

  it('stops after every chunk, and the awaited reader gives what the one-shot one does', async () => {
    const { text } = randomCsv(random(3));
    let stops = 0;
    const reader = readCsv(text, { chunkChars: 16 });
    for (let s = reader.next(); !s.done; s = reader.next()) stops++;
    expect(stops).toBeGreaterThanOrEqual(Math.floor(text.length / 16));
    let yields = 0;
    const viaYields = await parseCsvAsync(text, { chunkChars: 16, yieldNow: async () => void yields++ });
    expect(yields).toBe(stops);
    expect(viaYields).toEqual(parseCsv(text));
  });

  it('reads a row longer than many chunks (a quoted field of 100,000 characters)', () => {
    const long = 'x,'.repeat(50_000);
    const text = `a,b\n"${long}",1\n2,3\n`;
    expect(parseCsv(text, { chunkChars: 7 }).head).toEqual([
      [long, '1'],
      ['2', '3'],
    ]);
  });

  it('keeps timers running while it reads 16 MB (the worker answers pings between chunks)', async () => {
    const row = '1.5,red,2,"a, b",3\n';
    const text = `a,b,c,d,e\n${row.repeat(Math.ceil(16e6 / row.length))}`;
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(performance.now()), 1);
    const started = performance.now();
    const table = await parseCsvAsync(text);
    const ended = performance.now();
    clearInterval(timer);
    expect(table.rowCount).toBe(Math.ceil(16e6 / row.length));
    const stamps = [started, ...ticks, ended];
    const longestGap = Math.max(...stamps.slice(1).map((t, i) => t - stamps[i]!));
    expect(ticks.length).toBeGreaterThan(3);
    // One chunk (256 Ki characters) between two turns of the event loop, not the whole file.
    expect(longestGap).toBeLessThan((ended - started) / 4);
  });
});

describe('the column limit', () => {
  it('refuses a header of 1,000,000 columns before reading the data row, naming the limit and the count', () => {
    const header = Array.from({ length: 1_000_000 }, (_v, i) => `c${i}`).join(',');
    // The data row has an unterminated quote: a reader that went past the header would say so instead.
    const text = `${header}\n${'0,'.repeat(999_999)}"0\n`;
    // Refused before the first chunk is parsed (before this fix the page went 10 s without a frame):
    // the reader throws on its first step, with the header's error.
    expect(() => readCsv(text).next()).toThrow(CsvError);
    expect(() => readCsv(text).next()).toThrow('the header has 1,000,000 columns');
    expect(() => parseCsv(text)).toThrow(
      `line 1: the header has 1,000,000 columns, more than the ${MAX_CSV_COLUMNS.toLocaleString('en')} a CSV dataset may have`,
    );
  });

  it('refuses the same file from its bytes before reading the data row', async () => {
    const header = Array.from({ length: 1_000_000 }, (_v, i) => `c${i}`).join(';');
    // As above, a data row that would be refused for its own reason if it were read.
    await expect(parseCsvBytes(new TextEncoder().encode(`${header}\n${'0;'.repeat(999_999)}"0\n`))).rejects.toThrow('the header has 1,000,000 columns');
  });

  it('takes exactly the limit and refuses one more', () => {
    const csv = (n: number) => `${Array.from({ length: n }, (_v, i) => `c${i}`).join(',')}\n${Array(n).fill('1').join(',')}\n`;
    expect(parseCsv(csv(MAX_CSV_COLUMNS)).header.length).toBe(MAX_CSV_COLUMNS);
    expect(() => parseCsv(csv(MAX_CSV_COLUMNS + 1))).toThrow(`the header has ${(MAX_CSV_COLUMNS + 1).toLocaleString('en')} columns`);
    expect(() => parseCsv(csv(4), { maxColumns: 3 })).toThrow('the header has 4 columns, more than the 3 a CSV dataset may have');
  });

  it('counts header fields as papaparse splits them (quoted delimiters, doubled quotes, a quote inside a field)', () => {
    for (const header of ['a,"b,c",d', '"x ""y"", z",w', 'ab"c,d', '\n\r\na,b', 'one', '"a\nb",c']) {
      const reference = Papa.parse<string[]>(header, { delimiter: ',', skipEmptyLines: 'greedy' }).data[0]!;
      expect(headerFieldCount(header, ','), header).toBe(reference.length);
    }
    expect(headerFieldCount('a\tb\tc', '\t')).toBe(3);
  });
});

describe('uploaded bytes', () => {
  it('reads a Latin-1 CSV with "café" intact and says how it was read', async () => {
    const table = await parseCsvBytes(new Uint8Array(Buffer.from('drink,price\ncafé,2\nthé,3\n', 'latin1')));
    expect(table.head).toEqual([
      ['café', '2'],
      ['thé', '3'],
    ]);
    expect(table.encodingNote).toBe('the file was read as Latin-1/Windows-1252 (it is not valid UTF-8)');
  });

  it('reads UTF-16 with a byte-order mark and plain UTF-8 without a note', async () => {
    const le = await parseCsvBytes(new Uint8Array(Buffer.from('\ufeffdrink,price\ncafé,2\n', 'utf16le')));
    expect(le.head).toEqual([['café', '2']]);
    expect(le.encodingNote).toBe('the file was read as UTF-16 little-endian (by its byte-order mark)');
    const utf8 = await parseCsvBytes(new TextEncoder().encode('drink,price\ncafé,2\n'));
    expect(utf8.head).toEqual([['café', '2']]);
    expect(utf8.encodingNote).toBeUndefined();
  });

  it('refuses UTF-16 without a byte-order mark as a CsvError that says what to save it as', async () => {
    await expect(parseCsvBytes(new Uint8Array(Buffer.from('a,b\n1,2\n', 'utf16le')))).rejects.toThrow(/UTF-16 without a byte-order mark\. Save it as UTF-8/);
  });
});
