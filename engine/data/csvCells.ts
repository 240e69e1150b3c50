/**
 * One CSV column's cells, stored by column instead of as strings: while the column has at most
 * MAX_DISTINCT distinct values each cell is a code into a small dictionary of its (trimmed) texts; a
 * numeric column with more values keeps one float32 per cell; a text column with more values keeps
 * only whether each cell is missing, a number or text (such a column is refused as a feature or a
 * label anyway; a few of its texts are kept for the message). Four bytes a cell in every case.
 */

/** Cells read as missing values (pandas' defaults, and "?" from the UCI repository). */
const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '?', '-']);
const MISSING_LONGEST = Math.max(...[...MISSING].map((m) => m.length));
/** More classes than this is almost certainly an identifier column picked as the label. */
export const MAX_CLASSES = 1000;
/** Distinct values a column keeps (and lists in its summary): one more than a label may have, to tell it is over. */
const MAX_DISTINCT = MAX_CLASSES + 1;
/** Texts kept of a text column with too many values to code (for the message saying it is not a number). */
const TEXTS_KEPT = 100;
const FIRST_CAPACITY = 1024;

/** Codes of cells without a dictionary entry. */
const MISSING_CELL = -1;
const NUMBER_CELL = -2;
const TEXT_CELL = -3;

export const isMissing = (cell: string) => MISSING.has(cell.trim().toLowerCase());
const missingTrimmed = (v: string) => v.length <= MISSING_LONGEST && MISSING.has(v.toLowerCase());
const isNumber = (v: string) => Number.isFinite(Number(v));

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

function grown<T extends Int32Array | Float32Array>(array: T, need: number): T {
  if (need < array.length) return array;
  const bigger = new (array.constructor as new (n: number) => T)(Math.max(FIRST_CAPACITY, array.length * 2));
  bigger.set(array);
  return bigger;
}

/** A column's cells, appended one at a time by the reader, read by row index when the dataset is built. */
export class CsvCells {
  /** Rows stored. */
  length = 0;
  missing = 0;
  readonly missingLines: number[] = [];
  /** Every present value so far is a finite number. */
  numeric = true;
  /** The first MAX_DISTINCT distinct trimmed values, in order of appearance, with their numbers. */
  private readonly codeOf = new Map<string, number>();
  private readonly texts: string[] = [];
  private readonly numbers: number[] = [];
  /** Per row: a dictionary index or one of the *_CELL codes (while the column is coded, or text with too many values). */
  private codes: Int32Array | undefined = new Int32Array(FIRST_CAPACITY);
  /** Per row, once a numeric column has too many values to code: the value as float32, NaN when missing. */
  private floats: Float32Array | undefined;
  /** Some texts of a text column with too many values, by row. */
  private textsByRow: Map<number, string> | undefined;

  /** Append one cell (as parsed, untrimmed) on 1-based `line`. */
  add(cell: string, line: number) {
    const row = this.length++;
    const v = cell.trim();
    if (missingTrimmed(v)) {
      this.missing++;
      if (this.missingLines.length < 5) this.missingLines.push(line);
      this.put(row, MISSING_CELL, NaN);
      return;
    }
    let code = this.codeOf.get(v);
    if (code === undefined && this.texts.length < MAX_DISTINCT) {
      code = this.texts.length;
      this.codeOf.set(v, code);
      this.texts.push(v);
      this.numbers.push(Number(v));
      if (!isNumber(v)) this.numeric = false;
    }
    if (code !== undefined && this.coded) {
      this.codes = grown(this.codes!, row);
      this.codes[row] = code;
      return;
    }
    // Too many values to code this column (from now on, or from before).
    const numeric = isNumber(v);
    if (!numeric) this.numeric = false;
    if (this.numeric) {
      this.toFloats();
      this.put(row, 0, Number(v));
    } else {
      this.toUncodedText();
      if (!numeric && this.textsByRow!.size < TEXTS_KEPT) this.textsByRow!.set(row, v);
      this.put(row, numeric ? NUMBER_CELL : TEXT_CELL, NaN);
    }
  }

  /** Store a cell whose code (or float, in a numeric column without codes) is known. */
  private put(row: number, code: number, value: number) {
    if (this.floats) {
      this.floats = grown(this.floats, row);
      this.floats[row] = value;
    } else {
      this.codes = grown(this.codes!, row);
      this.codes[row] = code;
    }
  }

  /** A coded numeric column becomes a float32 per cell. */
  private toFloats() {
    if (this.floats) return;
    const codes = this.codes!;
    const floats = new Float32Array(codes.length);
    for (let r = 0; r < this.length - 1; r++) floats[r] = codes[r]! >= 0 ? this.numbers[codes[r]!]! : NaN;
    this.floats = floats;
    this.codes = undefined;
  }

  /** A text column with too many values keeps only missing / number / text per cell (and some texts). */
  private toUncodedText() {
    if (this.textsByRow) return;
    const textsByRow = new Map<number, string>();
    if (this.floats) {
      const codes = new Int32Array(this.floats.length);
      for (let r = 0; r < this.length - 1; r++) codes[r] = Number.isNaN(this.floats[r]!) ? MISSING_CELL : NUMBER_CELL;
      this.codes = codes;
      this.floats = undefined;
    } else {
      const codes = this.codes!;
      for (let r = 0; r < this.length - 1; r++) {
        const c = codes[r]!;
        if (c < 0) continue;
        const numeric = Number.isFinite(this.numbers[c]!);
        if (!numeric && textsByRow.size < TEXTS_KEPT) textsByRow.set(r, this.texts[c]!);
        codes[r] = numeric ? NUMBER_CELL : TEXT_CELL;
      }
    }
    this.textsByRow = textsByRow;
  }

  /** Drop the spare room left by growing (when it is worth a copy). */
  trim() {
    const shrink = <T extends Int32Array | Float32Array>(a: T) => (a.length - this.length > a.length / 8 ? (a.slice(0, this.length) as T) : a);
    if (this.codes) this.codes = shrink(this.codes);
    if (this.floats) this.floats = shrink(this.floats);
  }

  isMissing(row: number): boolean {
    return this.floats ? Number.isNaN(this.floats[row]!) : this.codes![row] === MISSING_CELL;
  }

  /** The cell's value as a number (NaN when missing or not a number); exact as float32 once the column has too many values. */
  number(row: number): number {
    if (this.floats) return this.floats[row]!;
    const c = this.codes![row]!;
    return c >= 0 ? this.numbers[c]! : NaN;
  }

  /** Whether a present cell is a number. */
  isNumber(row: number): boolean {
    if (this.floats) return !Number.isNaN(this.floats[row]!);
    const c = this.codes![row]!;
    return c >= 0 ? Number.isFinite(this.numbers[c]!) : c === NUMBER_CELL;
  }

  /** The cell's trimmed text, when kept: always while the column has at most MAX_DISTINCT values. */
  text(row: number): string | undefined {
    if (this.floats) return undefined;
    const c = this.codes![row]!;
    return c >= 0 ? this.texts[c] : c === TEXT_CELL ? this.textsByRow?.get(row) : undefined;
  }

  /** The cell's index in `values` order of appearance (-1 when it has none): valid when `coded`. */
  code(row: number): number {
    return this.floats || this.textsByRow ? -1 : this.codes![row]!;
  }

  /** Every cell has a dictionary code (the column has at most MAX_DISTINCT distinct values). */
  get coded(): boolean {
    return !this.floats && !this.textsByRow;
  }

  /** Distinct values in order of first appearance (at most MAX_DISTINCT). */
  get distinct(): readonly string[] {
    return this.texts;
  }

  describe(name: string): CsvColumn {
    const numeric = this.numeric && this.texts.length > 0;
    const values = [...this.texts].sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return { name, kind: numeric ? 'numeric' : 'categorical', missing: this.missing, missingLines: this.missingLines, values };
  }
}
