/**
 * Reading CSV text into a table, in bounded chunks: papaparse's Parser runs over one chunk at a time
 * (the unfinished last row carries into the next chunk, as papaparse's own streamers do), and the
 * reader is a generator that stops after each chunk, so the worker can answer messages in between.
 * Each row's cells go into its columns' stores (./csvCells) as the rows arrive; no row is kept.
 */
import Papa from 'papaparse';
import { decodeTextAsync, describeEncoding, TextEncodingError, type DecodedText } from './encoding';
import { CsvCells, type CsvColumn } from './csvCells';
import { CSV_CHUNK_CHARS, MAX_CSV_COLUMNS } from './limits';

export { isMissing, MAX_CLASSES, type CsvColumn } from './csvCells';

/** The delimiter and line break are guessed (by papaparse) from the whole lines in this much of the start. */
const GUESS_CHARS = 1 << 18;
/** Rows kept as parsed (untrimmed) for the preview table. */
export const HEAD_ROWS = 20;

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

/**
 * A parsed file, stored by column (./csvCells: a dictionary code or a float32 per cell): header, each
 * column's type and cells, the line each row starts on, and the first rows as parsed for the preview.
 */
export interface CsvTable {
  readonly header: readonly string[];
  readonly rowCount: number;
  /** The 1-based line each row starts on. */
  readonly lines: Int32Array;
  readonly columns: readonly CsvColumn[];
  /** Column by column, in header order. */
  readonly cells: readonly CsvCells[];
  /** The first HEAD_ROWS rows as parsed. */
  readonly head: readonly (readonly string[])[];
  /** How the bytes were read, when it is worth telling (not plain UTF-8): see ./encoding. */
  readonly encodingNote?: string;
}

/** Limits of one read. */
export interface CsvReadOptions {
  /** Characters parsed per chunk (the unfinished last row of a chunk is read again with the next). */
  readonly chunkChars?: number;
  /** Most columns the header may have. */
  readonly maxColumns?: number;
  /** Called with every data row as parsed (untrimmed) and its line, for callers that stream rows. */
  readonly onRow?: (row: readonly string[], line: number) => void;
}

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
  const head: string[][] = [];
  let lines = new Int32Array(1024);
  let rowCount = 0;
  const problems: { line: number; message: string }[] = [];
  let problemCount = 0;
  let header: string[] | undefined;
  let cells: CsvCells[] = [];
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
      cells = header.map(() => new CsvCells());
      return;
    }
    if (row.length !== header.length) return problem(line, `expected ${header.length} fields like the header, found ${row.length}`);
    if (problemCount) return; // the file is refused anyway: keep only the count and lines
    options.onRow?.(row, line);
    if (head.length < HEAD_ROWS) head.push(row);
    if (rowCount === lines.length) {
      const more = new Int32Array(lines.length * 2);
      more.set(lines);
      lines = more;
    }
    lines[rowCount++] = line;
    for (let c = 0; c < row.length; c++) cells[c]!.add(row[c]!, line);
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
  if (!rowCount) throw new CsvError('the file has a header but no data rows');
  for (const c of cells) c.trim();
  const columns = header.map((name, c) => cells[c]!.describe(name));
  return { header, rowCount, lines: lines.slice(0, rowCount), columns, cells, head };
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
