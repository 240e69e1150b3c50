/**
 * A strict JSON reader for untrusted headers: objects come back as Maps (a duplicate key is an
 * error, and no key can reach a prototype), numbers keep their source text (so a caller can demand
 * an integer literal, as serde_json does for u64), nesting is bounded and the parse is iterative
 * over the text, linear in its length.
 */

/** A number as written, e.g. "12", "-1.5e3". */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | Map<string, JsonValue>;

/** The text is not JSON, or not JSON this reader accepts; `at` is the offending character index. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(`${message} at character ${at}`);
    this.name = 'JsonSyntaxError';
  }
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Parse `text` as one JSON value (surrounding whitespace allowed), nested at most `maxDepth` deep. */
export function parseStrictJson(text: string, maxDepth = 16): JsonValue {
  let i = 0;
  const fail = (message: string): never => {
    throw new JsonSyntaxError(message, i);
  };
  const skipSpace = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      i++;
    }
  };
  const readString = (): string => {
    i++; // opening quote
    let out = '';
    let start = i;
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(start, i++);
        return out;
      }
      if (c < 0x20) fail('control character in a string');
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += text.slice(start, i);
      const e = text[i + 1];
      if (e === 'u') {
        const hex = text.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
        out += String.fromCharCode(parseInt(hex, 16));
        i += 6;
      } else if (e !== undefined && ESCAPES[e] !== undefined) {
        out += ESCAPES[e];
        i += 2;
      } else fail('bad escape');
      start = i;
    }
  };
  const readScalar = (): JsonValue => {
    const c = text[i];
    if (c === '"') return readString();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) return fail(i >= text.length ? 'unexpected end' : `unexpected ${JSON.stringify(c)}`);
    i += m[0].length;
    return new JsonNumber(m[0]);
  };

  // An explicit stack of open containers instead of recursion: a hostile depth cannot overflow.
  type Frame = { container: JsonValue[] } | { container: Map<string, JsonValue>; key: string | undefined };
  const stack: Frame[] = [];
  let root: JsonValue | undefined;
  const place = (value: JsonValue) => {
    const top = stack[stack.length - 1];
    if (!top) root = value;
    else if (Array.isArray(top.container)) top.container.push(value);
    else {
      const f = top as { container: Map<string, JsonValue>; key: string | undefined };
      f.container.set(f.key!, value);
      f.key = undefined;
    }
  };
  const open = (value: JsonValue[] | Map<string, JsonValue>) => {
    if (stack.length >= maxDepth) fail(`nesting deeper than ${maxDepth}`);
    place(value);
    stack.push(Array.isArray(value) ? { container: value } : { container: value, key: undefined });
  };

  skipSpace();
  // Each turn reads one value (or closes a container) and the separator after it.
  for (;;) {
    const top = stack[stack.length - 1];
    if (top && !Array.isArray(top.container)) {
      // Inside an object: a key and a colon come first.
      const f = top as { container: Map<string, JsonValue>; key: string | undefined };
      if (text[i] !== '"') fail('expected a string key');
      const keyAt = i;
      const key = readString();
      if (f.container.has(key)) {
        i = keyAt;
        fail(`duplicate key ${JSON.stringify(key.slice(0, 60))}`);
      }
      f.key = key;
      skipSpace();
      if (text[i] !== ':') fail('expected ":"');
      i++;
      skipSpace();
    }
    const c = text[i];
    if (c === '{' || c === '[') {
      i++;
      open(c === '{' ? new Map() : []);
      skipSpace();
      if (text[i] === (c === '{' ? '}' : ']')) {
        i++;
        stack.pop();
      } else continue;
    } else place(readScalar());
    // After a value: a comma continues the container, a bracket closes it (maybe several).
    for (;;) {
      skipSpace();
      const frame = stack[stack.length - 1];
      if (!frame) {
        if (i < text.length) fail('unexpected text after the value');
        return root!;
      }
      const isArray = Array.isArray(frame.container);
      if (text[i] === ',') {
        i++;
        skipSpace();
        break;
      }
      if (text[i] === (isArray ? ']' : '}')) {
        i++;
        stack.pop();
        continue;
      }
      fail(i >= text.length ? 'unexpected end' : `expected "," or "${isArray ? ']' : '}'}"`);
    }
  }
}
