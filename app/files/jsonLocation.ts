/**
 * Where JSON text first goes wrong, as line and column. V8's JSON.parse messages often give only a
 * snippet ("Unexpected token ',', ...") and no position, so this walks the grammar itself.
 */

/** 1-based line and column of the first character JSON.parse would reject; undefined if the text is valid. */
export function jsonErrorLocation(text: string): { line: number; column: number } | undefined {
  const offset = firstBadOffset(text);
  if (offset === undefined) return undefined;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

class Bad {
  constructor(readonly at: number) {}
}

function firstBadOffset(text: string): number | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const expect = (s: string) => {
    for (const ch of s) {
      if (text[i] !== ch) throw new Bad(i);
      i++;
    }
  };
  const string = () => {
    expect('"');
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) throw new Bad(i);
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) throw new Bad(i);
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? '')) throw new Bad(i);
      }
      i++;
    }
    expect('"');
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (m === null || m[0] === '' || m[0] === '-') throw new Bad(i);
    i += m[0].length;
  };
  const list = (close: string, item: () => void) => {
    i++;
    ws();
    if (text[i] === close) return void i++;
    for (;;) {
      item();
      ws();
      if (text[i] === ',') {
        i++;
        ws();
        continue;
      }
      expect(close);
      return;
    }
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      list('}', () => {
        ws();
        string();
        ws();
        expect(':');
        value();
      });
    } else if (ch === '[') list(']', value);
    else if (ch === '"') string();
    else if (ch === 't') expect('true');
    else if (ch === 'f') expect('false');
    else if (ch === 'n') expect('null');
    else number();
  };
  try {
    value();
    ws();
    return i < text.length ? i : undefined;
  } catch (e) {
    if (e instanceof Bad) return Math.min(e.at, text.length);
    throw e;
  }
}
