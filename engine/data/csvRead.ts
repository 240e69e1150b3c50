/**
 * Reading CSV text into a table, in bounded chunks: papaparse's Parser runs over one chunk at a time
 * (the unfinished last row carries into the next chunk, as papaparse's own streamers do), and the
 * reader is a generator that stops after each chunk, so the worker can answer messages in between.
 * Column types and missing values are tallied row by row as the rows arrive.
 */
import Papa from 'papaparse';
import { decodeTextAsync, describeEncoding, TextEncodingError, type DecodedText } from './encoding';
import { CSV_CHUNK_CHARS, MAX_CSV_COLUMNS } from './limits';

/** Cells read as missing values (pandas' defaults, and "?" from the UCI repository). */
const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '?', '-']);
const MISSING_LONGEST = Math.max(...[...MISSING].map((m) => m.length));
/** More classes than this is almost certainly an identifier column picked as the label. */
export const MAX_CLASSES = 1000;
/** The delimiter and line break are guessed (by papaparse) from the whole lines in this much of the start. */
const GUESS_CHARS = 1 << 18;

/** A problem in the file, with the 1-based lines it is on. */
export class CsvError extends Error {
  constructor(
    message: string,
    readonly lines: readonly number[] = [],
  ) {
    super(message);
    this.name = 'CsvError';
  }
}

/** What one column holds. */
export interface CsvColumn {
  readonly name: string;
  /** numeric: every present value is a number; categorical: anything else (text). */
  readonly kind: 'numeric' | 'categorical';
  /** Number of missing cells and the first lines they are on. */
  readonly missing: number;
  readonly missingLines: readonly number[];
  /** Distinct values, sorted (numerically for numeric columns), at most MAX_CLASSES + 1 kept. */
  readonly values: readonly string[];
}

/** A parsed file: header, rows of cells, the line each row starts on, and each column's type. */
export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly lines: readonly number[];
  readonly columns: readonly CsvColumn[];
  /** How the bytes were read, when it is worth telling (not plain UTF-8): see ./encoding. */
  readonly encodingNote?: string;
}

/** Limits of one read. */
export interface CsvReadOptions {
  /** Characters parsed per chunk (the unfinished last row of a chunk is read again with the next). */
  readonly chunkChars?: number;
  /** Most columns the header may have. */
  readonly maxColumns?: number;
}

export const isMissing = (cell: string) => MISSING.has(cell.trim().toLowerCase());
const isBlankRow = (row: readonly string[]) => row.every((c) => c.trim() === '');

const tooManyColumns = (found: number, max: number) =>
  new CsvError(
    `line 1: the header has ${found.toLocaleString('en')} columns, more than the ${max.toLocaleString('en')} a CSV dataset may have: keep the columns you need (or transpose a file stored one sample per column)`,
    [1],
  );

/**
 * Fields in the first non-empty line, counted without building them (so a header of a million
 * columns is refused in milliseconds). Quotes open only at a field's start, as in RFC 4180.
 */
export function headerFieldCount(text: string, delimiter: string): number {
  let i = 0;
  while (text[i] === '\n' || text[i] === '\r') i++;
  let fields = 1;
  let atFieldStart = true;
  const d = delimiter.charCodeAt(0);
  const single = delimiter.length === 1;
  for (; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (atFieldStart && ch === 34 /* " */) {
      // Skip the quoted part; a doubled quote is an escaped one.
      for (i++; i < text.length; i++) {
        if (text.charCodeAt(i) !== 34) continue;
        if (text.charCodeAt(i + 1) === 34) i++;
        else break;
      }
      atFieldStart = false;
      continue;
    }
    if (ch === 10 || ch === 13) break;
    if (single ? ch === d : text.startsWith(delimiter, i)) {
      fields++;
      atFieldStart = true;
      i += delimiter.length - 1;
    } else atFieldStart = false;
  }
  return fields;
}

/** Running statistics of one column, updated a cell at a time. */
class ColumnTally {
  missing = 0;
  readonly missingLines: number[] = [];
  numeric = true;
  readonly distinct = new Set<string>();

  add(cell: string, line: number) {
    const v = cell.trim();
    if (v.length <= MISSING_LONGEST && MISSING.has(v.toLowerCase())) {
      this.missing++;
      if (this.missingLines.length < 5) this.missingLines.push(line);
      return;
    }
    if (this.numeric && !Number.isFinite(Number(v))) this.numeric = false;
    if (this.distinct.size <= MAX_CLASSES) this.distinct.add(v);
  }

  describe(name: string): CsvColumn {
    const numeric = this.numeric && this.distinct.size > 0;
    const values = [...this.distinct].sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return { name, kind: numeric ? 'numeric' : 'categorical', missing: this.missing, missingLines: this.missingLines, values };
  }
}

/** Counts line breaks up to an offset that only moves forward, so line numbers cost O(text) in all. */
function lineCounter(text: string) {
  let countedTo = 0;
  let breaks = 0;
  return (offset: number) => {
    for (let i = text.indexOf('\n', countedTo); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) breaks++;
    countedTo = Math.max(countedTo, offset);
    return breaks + 1;
  };
}

/** The header checks that need only the header: names present and unique. */
function checkHeader(header: readonly string[]) {
  if (header.every((h) => h === '')) throw new CsvError('the file is empty: a CSV needs a header row naming its columns');
  const seen = new Set<string>();
  header.forEach((h, i) => {
    if (h === '') throw new CsvError(`line 1: column ${i + 1} has no name in the header`, [1]);
    if (seen.has(h)) throw new CsvError(`line 1: two columns are named "${h.length > 80 ? `${h.slice(0, 80)}…` : h}"`, [1]);
    seen.add(h);
  });
}

/**
 * The reader: yields the offset read so far after each chunk and returns the table. Malformed rows
 * are collected and thrown together (CsvError naming their lines); a bad header is thrown at once.
 */
export function* readCsv(text: string, options: CsvReadOptions = {}): Generator<number, CsvTable, void> {
  const chunkChars = Math.max(1, options.chunkChars ?? CSV_CHUNK_CHARS);
  const maxColumns = options.maxColumns ?? MAX_CSV_COLUMNS;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const sample = text.slice(0, GUESS_CHARS);
  const lastBreak = Math.max(sample.lastIndexOf('\n'), sample.lastIndexOf('\r'));
  const guessed = Papa.parse<string[]>(text.length > GUESS_CHARS && lastBreak > 0 ? sample.slice(0, lastBreak) : sample, {
    preview: 10,
    skipEmptyLines: 'greedy',
  }).meta;
  const delimiter = guessed.delimiter;
  const newline = guessed.linebreak as '\n' | '\r\n' | '\r';
  const columnsFound = headerFieldCount(text, delimiter);
  if (columnsFound > maxColumns) throw tooManyColumns(columnsFound, maxColumns);

  const lineAt = lineCounter(text);
  const rows: string[][] = [];
  const lines: number[] = [];
  const problems: { line: number; message: string }[] = [];
  let problemCount = 0;
  let header: string[] | undefined;
  let tallies: ColumnTally[] = [];
  let rowEnd = 0; // where the next row starts (papaparse's cursor after the last row)
  const problem = (line: number, message: string) => {
    problemCount++;
    problems.push({ line, message });
  };

  // papaparse's bare Parser hands its step callback { data: [row] } (ParserHandle unwraps it; we use the Parser directly).
  const onRow = (r: Papa.ParseResult<string[]>) => {
    let start = rowEnd;
    rowEnd = r.meta.cursor;
    while (text[start] === '\n' || text[start] === '\r') start++;
    const row = r.data[0] ?? [];
    const fatal = r.errors[0];
    if (!fatal && isBlankRow(row)) return;
    const line = lineAt(start);
    if (fatal) return problem(line, fatal.code === 'MissingQuotes' ? 'a quoted field is never closed' : fatal.message);
    if (!header) {
      if (row.length > maxColumns) throw tooManyColumns(row.length, maxColumns);
      header = row.map((h) => h.trim());
      checkHeader(header);
      tallies = header.map(() => new ColumnTally());
      return;
    }
    if (row.length !== header.length) return problem(line, `expected ${header.length} fields like the header, found ${row.length}`);
    if (problemCount) return; // the file is refused anyway: keep only the count and lines
    rows.push(row);
    lines.push(line);
    for (let c = 0; c < row.length; c++) tallies[c]!.add(row[c]!, line);
  };

  let from = 0;
  let size = chunkChars;
  while (from < text.length) {
    const to = Math.min(text.length, from + size);
    const last = to === text.length;
    const parser = new Papa.Parser({ delimiter, newline, step: onRow } as Papa.ParseConfig);
    const result = parser.parse(text.slice(from, to), from, !last) as Papa.ParseResult<string[]>;
    const next = last ? text.length : result.meta.cursor;
    // A row longer than the chunk: read a doubled chunk from the same place (amortised O(text)).
    size = next === from ? size * 2 : chunkChars;
    from = next;
    yield from;
  }

  if (problems.length) {
    const shown = problems
      .slice(0, 5)
      .map((p) => `line ${p.line}: ${p.message}`)
      .join('; ');
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more malformed rows)` : '';
    throw new CsvError(
      `malformed CSV: ${shown}${more}`,
      problems.map((p) => p.line),
    );
  }
  if (!header) throw new CsvError('the file is empty: a CSV needs a header row naming its columns');
  if (!rows.length) throw new CsvError('the file has a header but no data rows');
  const columns = header.map((name, c) => tallies[c]!.describe(name));
  return { header, rows, lines, columns };
}

/** Parse CSV text whose first row is a header, all at once; malformed rows throw CsvError naming their lines. */
export function parseCsv(text: string, options?: CsvReadOptions): CsvTable {
  const reader = readCsv(text, options);
  for (;;) {
    const step = reader.next();
    if (step.done) return step.value;
  }
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Parse CSV text a chunk at a time, awaiting `yieldNow` between chunks so the thread stays
 * responsive (the worker passes its message-loop yield); the result equals parseCsv's.
 */
export async function parseCsvAsync(text: string, options: CsvReadOptions & { readonly yieldNow?: () => Promise<void> } = {}): Promise<CsvTable> {
  const reader = readCsv(text, options);
  const yieldNow = options.yieldNow ?? nextTask;
  for (;;) {
    const step = reader.next();
    if (step.done) return step.value;
    await yieldNow();
  }
}

/** Decode an uploaded file's bytes (./encoding) and parse them a chunk at a time; a non-UTF-8 encoding is noted on the table. */
export async function parseCsvBytes(bytes: Uint8Array, options: CsvReadOptions & { readonly yieldNow?: () => Promise<void> } = {}): Promise<CsvTable> {
  const yieldNow = options.yieldNow ?? nextTask;
  let decoded: DecodedText;
  try {
    decoded = await decodeTextAsync(bytes, yieldNow);
  } catch (e) {
    throw e instanceof TextEncodingError ? new CsvError(e.message) : e;
  }
  const table = await parseCsvAsync(decoded.text, options);
  return decoded.encoding === 'utf-8' && !decoded.bom ? table : { ...table, encodingNote: `the file was read as ${describeEncoding(decoded)}` };
}
