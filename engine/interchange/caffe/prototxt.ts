/**
 * Protocol Buffers text format (what Caffe's .prototxt files are), parsed without a schema: a
 * message is a list of fields, each a scalar (number, string, identifier such as an enum value or
 * true) or a nested message (`name { … }` or `name: { … }`, `< … >` too); `name: [a, b]` repeats a
 * scalar. Comments run from `#` to the end of the line. Every error names the line and column.
 * Iterative (an explicit stack), and bounded in nesting depth, so no file can overflow the stack.
 */
import { ImportError } from '../importDocument';

export type Scalar = string | number | boolean;

/** One field as written, with where it starts. */
export interface TextField {
  readonly name: string;
  readonly value: Scalar | TextMessage;
  readonly line: number;
  readonly column: number;
}

/** A message: its fields in file order. */
export class TextMessage {
  readonly fields: TextField[] = [];
  constructor(
    readonly line = 1,
    readonly column = 1,
  ) {}

  /** Every value of a repeated field. */
  all(name: string): (Scalar | TextMessage)[] {
    return this.fields.filter((f) => f.name === name).map((f) => f.value);
  }

  /** The last value of a field (proto semantics for a non-repeated one), or undefined. */
  get(name: string): Scalar | TextMessage | undefined {
    for (let i = this.fields.length - 1; i >= 0; i--) if (this.fields[i]!.name === name) return this.fields[i]!.value;
    return undefined;
  }

  /** A nested message field, or undefined. */
  message(name: string): TextMessage | undefined {
    const v = this.get(name);
    return v instanceof TextMessage ? v : undefined;
  }

  /** The field's entry (for its position). */
  field(name: string): TextField | undefined {
    for (let i = this.fields.length - 1; i >= 0; i--) if (this.fields[i]!.name === name) return this.fields[i];
    return undefined;
  }
}

/** The deepest nesting a file may have (Caffe's nets use about 4). */
export const MAX_DEPTH = 100;

interface Token {
  readonly kind: 'ident' | 'number' | 'string' | 'punct' | 'end';
  readonly text: string;
  readonly value?: Scalar;
  readonly line: number;
  readonly column: number;
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '?': '?' };

/** The file's tokens; errors name the line and column. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const fail = (message: string, at = i): never => {
    throw new ImportError(`line ${line}, column ${at - lineStart + 1}: ${message}`, { line, column: at - lineStart + 1 });
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      lineStart = ++i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const start = i;
    const column = i - lineStart + 1;
    if (/[A-Za-z_]/.test(c)) {
      while (i < text.length && /[\w.]/.test(text[i]!)) i++;
      const word = text.slice(start, i);
      const lower = word.toLowerCase();
      const value =
        lower === 'true' || lower === 't'
          ? true
          : lower === 'false' || lower === 'f'
            ? false
            : lower === 'inf' || lower === 'infinity'
              ? Infinity
              : lower === 'nan'
                ? NaN
                : undefined;
      tokens.push({ kind: 'ident', text: word, ...(value === undefined ? {} : { value }), line, column });
      continue;
    }
    if (/[-+0-9.]/.test(c)) {
      const m = /^[-+]?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)[fF]?/.exec(text.slice(i, i + 400));
      if (!m) {
        // "-inf" and the like.
        const word = /^[-+][A-Za-z]+/.exec(text.slice(i, i + 20));
        if (word && /^[-+]inf(inity)?$/i.test(word[0])) {
          i += word[0].length;
          tokens.push({ kind: 'number', text: word[0], value: word[0][0] === '-' ? -Infinity : Infinity, line, column });
          continue;
        }
        fail(`unexpected ${JSON.stringify(c)}`);
      }
      const raw = m![0];
      i += raw.length;
      const body = raw.replace(/[fF]$/, '');
      const value = /0[xX]/.test(body) ? (body.startsWith('-') ? -1 : 1) * parseInt(body.replace(/^[-+]?0[xX]/, ''), 16) : Number(body);
      if (!Number.isFinite(value)) fail(`${JSON.stringify(raw)} is not a number`, start);
      tokens.push({ kind: 'number', text: raw, value, line, column });
      continue;
    }
    if (c === '"' || c === "'") {
      let out = '';
      i++;
      for (;;) {
        if (i >= text.length || text[i] === '\n') fail('this string is not closed before the end of the line', start);
        const d = text[i]!;
        if (d === c) {
          i++;
          break;
        }
        if (d === '\\') {
          const e = text[i + 1] ?? '';
          if (Object.hasOwn(ESCAPES, e)) {
            out += ESCAPES[e];
            i += 2;
          } else if (/[0-7]/.test(e)) {
            const oct = /^[0-7]{1,3}/.exec(text.slice(i + 1))![0];
            out += String.fromCharCode(parseInt(oct, 8));
            i += 1 + oct.length;
          } else if (e === 'x') {
            const hex = /^[0-9a-fA-F]{1,2}/.exec(text.slice(i + 2));
            if (!hex) fail('\\x needs hex digits');
            out += String.fromCharCode(parseInt(hex![0], 16));
            i += 2 + hex![0].length;
          } else fail(`unknown escape \\${e}`);
          continue;
        }
        out += d;
        i++;
      }
      // Adjacent strings join, as in C.
      const last = tokens[tokens.length - 1];
      if (last?.kind === 'string' && last.line === line) tokens[tokens.length - 1] = { ...last, value: `${last.value as string}${out}` };
      else tokens.push({ kind: 'string', text: out, value: out, line, column });
      continue;
    }
    if ('{}<>:;,[]'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, line, column });
      i++;
      continue;
    }
    fail(`unexpected ${JSON.stringify(c)}`);
  }
  tokens.push({ kind: 'end', text: 'the end of the file', line, column: i - lineStart + 1 });
  return tokens;
}

/** The top-level message of a text-format file; ImportError with line and column otherwise. */
export function parseTextFormat(text: string): TextMessage {
  const tokens = tokenize(text);
  let k = 0;
  const fail = (t: Token, message: string): never => {
    throw new ImportError(`line ${t.line}, column ${t.column}: ${message}`, { line: t.line, column: t.column });
  };
  const shown = (t: Token) => (t.kind === 'end' ? t.text : t.kind === 'string' ? JSON.stringify(t.text) : `"${t.text}"`);
  const root = new TextMessage();
  const stack: { message: TextMessage; close: string; open: Token | undefined }[] = [{ message: root, close: '', open: undefined }];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const t = tokens[k]!;
    if (t.kind === 'end') {
      if (top.close)
        fail(t, `the end of the file comes before the "${top.close}" that closes the message opened on line ${top.open!.line}, column ${top.open!.column}`);
      break;
    }
    if (t.kind === 'punct' && t.text === top.close) {
      k++;
      stack.pop();
      continue;
    }
    if (t.kind === 'punct' && (t.text === ';' || t.text === ',')) {
      k++;
      continue;
    }
    if (t.kind !== 'ident') fail(t, `expected a field name but found ${shown(t)}`);
    k++;
    let next = tokens[k]!;
    const hasColon = next.kind === 'punct' && next.text === ':';
    if (hasColon) next = tokens[++k]!;
    if (next.kind === 'punct' && (next.text === '{' || next.text === '<')) {
      k++;
      if (stack.length > MAX_DEPTH) fail(next, `messages nest more than ${MAX_DEPTH} deep`);
      const child = new TextMessage(t.line, t.column);
      top.message.fields.push({ name: t.text, value: child, line: t.line, column: t.column });
      stack.push({ message: child, close: next.text === '{' ? '}' : '>', open: next });
      continue;
    }
    if (!hasColon) fail(next, `expected ":" or "{" after the field name "${t.text}" but found ${shown(next)}`);
    const scalar = (v: Token): Scalar => {
      if (v.kind === 'number' || v.kind === 'string') return v.value!;
      if (v.kind === 'ident') return v.value ?? v.text;
      return fail(v, `expected a value for "${t.text}" but found ${shown(v)}`);
    };
    if (next.kind === 'punct' && next.text === '[') {
      k++;
      while (!(tokens[k]!.kind === 'punct' && tokens[k]!.text === ']')) {
        const v = tokens[k]!;
        top.message.fields.push({ name: t.text, value: scalar(v), line: v.line, column: v.column });
        k++;
        const sep = tokens[k]!;
        if (sep.kind === 'punct' && sep.text === ',') k++;
        else if (!(sep.kind === 'punct' && sep.text === ']')) fail(sep, `expected "," or "]" in the list "${t.text}" but found ${shown(sep)}`);
      }
      k++;
      continue;
    }
    top.message.fields.push({ name: t.text, value: scalar(next), line: t.line, column: t.column });
    k++;
  }
  return root;
}
