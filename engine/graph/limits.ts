/**
 * Bounds on what a document may be, checked before any deep work (JSON.parse, zod, migrations,
 * validation, the canvas): byte size and nesting depth on the raw text, then string lengths, node
 * and edge counts and tensor shapes on the parsed value. Every way a document enters the studio
 * (file open, autosave restore, share links, imports) goes through `parseDocument` in ./migrations,
 * which runs these checks first; `migrate` checks a value handed to it directly the same way.
 *
 * Every check is iterative (no recursion), so a hostile document cannot overflow the stack, and
 * every message that quotes the document clips the quote (`clip`).
 */
import type { GraphError } from './errors';

/** The largest document the studio opens, and everything in it. */
export const DOCUMENT_LIMITS = {
  /** UTF-8 bytes of the document's text. */
  bytes: 8 * 1024 * 1024,
  /** Arrays and objects inside one another; real documents use about 6. */
  depth: 64,
  nodes: 5000,
  edges: 20000,
  /** Any string or object key anywhere (descriptions, dataset names …). */
  stringLength: 100_000,
  /** Node and edge ids, and the node ids an edge points at. */
  idLength: 200,
  /** A node's label and the document's name. */
  labelLength: 1000,
  /** A node's type name. */
  typeLength: 100,
  /** An edge's port names. */
  portLength: 100,
  /** Dimensions of a tensor shape. */
  shapeRank: 8,
  /** Elements of one tensor (2^28: 1 GiB of float32). */
  tensorElements: 2 ** 28,
} as const;

/**
 * The largest model file (a Wiregrad zip, or another framework's model) the studio reads: checked on
 * the file's size before the page reads it, and again on the bytes when it is unpacked or imported.
 */
export const MODEL_FILE_BYTES = 1280 * 1024 * 1024;

/** How much of the user's text a message quotes before "…". */
export const QUOTE_LENGTH = 60;
/** No message about a document is longer than this. */
export const MESSAGE_LENGTH = 500;

/** `text` cut to `max` characters, "…" marking the cut. */
export function clip(text: string, max = QUOTE_LENGTH): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** A string from the document as a message quotes it: JSON-quoted and clipped. */
export function quote(text: string): string {
  return JSON.stringify(clip(text));
}

/** A message cut to MESSAGE_LENGTH characters. */
export function boundMessage(message: string): string {
  return clip(message, MESSAGE_LENGTH - 1);
}

/** 12345 → "12,345" (fixed locale, so messages do not depend on the browser). */
const count = (n: number): string => n.toLocaleString('en-US');

/** 9 437 184 → "9.0 MB". */
const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const tooLarge = (message: string, path?: string): GraphError => ({
  code: 'schema',
  message: boundMessage(message),
  ...(path !== undefined && path !== '' && { path }),
});

/** UTF-8 length of `text`, counting no further than `stop` bytes past which the answer no longer matters. */
function utf8Length(text: string, stop: number): number {
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= stop; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * The first bound the document's text breaks (size, then nesting depth), checked in one pass over
 * the characters without parsing; undefined when the text is within bounds. What is left to check
 * (string lengths, counts, shapes) is checked on the parsed value by `checkDocumentValue`.
 */
export function checkDocumentText(text: string, limits = DOCUMENT_LIMITS): GraphError | undefined {
  if (text.length > limits.bytes) {
    return tooLarge(`The document is ${megabytes(text.length)} or more; at most ${megabytes(limits.bytes)} are allowed.`);
  }
  if (text.length * 3 > limits.bytes) {
    const bytes = utf8Length(text, limits.bytes);
    if (bytes > limits.bytes) return tooLarge(`The document is ${megabytes(bytes)} or more; at most ${megabytes(limits.bytes)} are allowed.`);
  }
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Skip the string (brackets inside it do not nest): to the next quote not escaped by an odd run of backslashes.
      for (;;) {
        const close = text.indexOf('"', i + 1);
        if (close < 0) {
          i = text.length;
          break;
        }
        let slashes = 0;
        while (text.charCodeAt(close - 1 - slashes) === 0x5c) slashes++;
        i = close;
        if (slashes % 2 === 0) break;
      }
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > deepest) deepest = depth;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  if (deepest > limits.depth) {
    return tooLarge(`The document nests ${count(deepest)} levels deep; at most ${count(limits.depth)} are allowed.`);
  }
  return undefined;
}

type Json = Record<string, unknown>;
const isRecord = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/** A JSON path as a message shows it, from the keys walked so far. */
function pathText(keys: readonly (string | number)[]): string {
  let out = '';
  for (const key of keys) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${quote(key)}]`;
  }
  return out;
}

/**
 * The first bound a parsed document breaks: node and edge counts, id, label, type and port lengths,
 * the rank and size of every shape parameter, then nesting depth and string lengths anywhere
 * (walked with an explicit stack). Undefined when the value is within bounds (it may still be no
 * document at all: that is the schema's to say).
 */
export function checkDocumentValue(raw: unknown, limits = DOCUMENT_LIMITS): GraphError | undefined {
  return checkParts(raw, limits) ?? checkTree(raw, limits);
}

/** A container met in the walk: how it was reached, so a message can name where it is. */
interface Visit {
  readonly value: object;
  readonly depth: number;
  readonly parent: Visit | undefined;
  readonly key: string | number;
}

/** The keys from the root down to `visit`, then `last`. */
function keysTo(visit: Visit | undefined, last?: string | number): (string | number)[] {
  const keys: (string | number)[] = last === undefined ? [] : [last];
  for (let v = visit; v?.parent !== undefined; v = v.parent) keys.unshift(v.key);
  return keys;
}

/** Depth and string lengths over the whole value, with an explicit stack (no recursion); only containers are stacked. */
function checkTree(raw: unknown, limits: typeof DOCUMENT_LIMITS): GraphError | undefined {
  const stringProblem = (s: string, where: (string | number)[]) =>
    tooLarge(
      `${pathText(where) || 'The document'} is a text of ${count(s.length)} characters (${quote(s)}); ` + `at most ${count(limits.stringLength)} are allowed.`,
      pathText(where),
    );
  if (typeof raw === 'string') return raw.length > limits.stringLength ? stringProblem(raw, []) : undefined;
  if (typeof raw !== 'object' || raw === null) return undefined;
  const stack: Visit[] = [{ value: raw, depth: 1, parent: undefined, key: '' }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    if (visit.depth > limits.depth) {
      return tooLarge(
        `The document nests more than ${count(limits.depth)} levels deep (at ${clip(pathText(keysTo(visit).slice(0, 8)))}…); ` +
          `at most ${count(limits.depth)} are allowed.`,
      );
    }
    const { value } = visit;
    const isArray = Array.isArray(value);
    const keys = isArray ? undefined : Object.keys(value);
    const length = isArray ? value.length : keys!.length;
    for (let i = 0; i < length; i++) {
      const key = isArray ? i : keys![i];
      if (typeof key === 'string' && key.length > limits.stringLength) return stringProblem(key, keysTo(visit));
      const item: unknown = (value as Record<string | number, unknown>)[key];
      if (typeof item === 'string') {
        if (item.length > limits.stringLength) return stringProblem(item, keysTo(visit, key));
      } else if (typeof item === 'object' && item !== null) {
        stack.push({ value: item, depth: visit.depth + 1, parent: visit, key });
      }
    }
  }
  return undefined;
}

/** Shape parameters by name: their rank and element count are bounded. */
const SHAPE_PARAMS = ['shape', 'targetShape'] as const;

/** Counts, ids, labels, types, ports and shapes: the fields the editor and the engine trust. */
function checkParts(raw: unknown, limits: typeof DOCUMENT_LIMITS): GraphError | undefined {
  if (!isRecord(raw)) return undefined;
  const { nodes, edges, meta } = raw;
  if (isRecord(meta) && typeof meta.name === 'string' && meta.name.length > limits.labelLength) {
    return lengthProblem('The graph name', meta.name, limits.labelLength, 'meta.name');
  }
  if (Array.isArray(nodes)) {
    if (nodes.length > limits.nodes) return tooLarge(`The document has ${count(nodes.length)} nodes; at most ${count(limits.nodes)} are allowed.`, 'nodes');
    for (let i = 0; i < nodes.length; i++) {
      const problem = checkNode(nodes[i], i, limits);
      if (problem !== undefined) return problem;
    }
  }
  if (Array.isArray(edges)) {
    if (edges.length > limits.edges) return tooLarge(`The document has ${count(edges.length)} edges; at most ${count(limits.edges)} are allowed.`, 'edges');
    for (let i = 0; i < edges.length; i++) {
      const problem = checkEdge(edges[i], i, limits);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

function lengthProblem(what: string, value: string, max: number, path: string): GraphError {
  return tooLarge(`${what} is ${count(value.length)} characters long (${quote(value)}); at most ${count(max)} are allowed.`, path);
}

/** One node's id, type, label and shape parameters within bounds. */
export function checkNode(node: unknown, index: number, limits = DOCUMENT_LIMITS): GraphError | undefined {
  if (!isRecord(node)) return undefined;
  const at = `nodes[${index}]`;
  const { id, type, label, params } = node;
  if (typeof id === 'string' && id.length > limits.idLength) return lengthProblem(`Node #${index + 1}'s id`, id, limits.idLength, `${at}.id`);
  const name = typeof id === 'string' ? `Node ${quote(id)}` : `Node #${index + 1}`;
  if (typeof type === 'string' && type.length > limits.typeLength) return lengthProblem(`${name}'s type`, type, limits.typeLength, `${at}.type`);
  if (typeof label === 'string' && label.length > limits.labelLength) return lengthProblem(`${name}'s label`, label, limits.labelLength, `${at}.label`);
  if (!isRecord(params)) return undefined;
  for (const key of SHAPE_PARAMS) {
    if (!Object.hasOwn(params, key)) continue;
    const shape = params[key];
    if (!Array.isArray(shape)) continue;
    if (shape.length > limits.shapeRank) {
      return tooLarge(`${name}'s ${key} has ${count(shape.length)} dimensions; at most ${count(limits.shapeRank)} are allowed.`, `${at}.params.${key}`);
    }
    let elements = 1;
    for (const d of shape) if (typeof d === 'number' && Number.isFinite(d) && d > 0) elements *= d;
    if (elements > limits.tensorElements) {
      return tooLarge(
        `${name}'s ${key} [${clip(shape.join(', '))}] holds ${elements.toExponential(2)} elements; ` + `at most ${count(limits.tensorElements)} are allowed.`,
        `${at}.params.${key}`,
      );
    }
  }
  return undefined;
}

/** One edge's id and the node ids and port names it names within bounds. */
export function checkEdge(edge: unknown, index: number, limits = DOCUMENT_LIMITS): GraphError | undefined {
  if (!isRecord(edge)) return undefined;
  const at = `edges[${index}]`;
  if (typeof edge.id === 'string' && edge.id.length > limits.idLength) return lengthProblem(`Edge #${index + 1}'s id`, edge.id, limits.idLength, `${at}.id`);
  for (const end of ['from', 'to'] as const) {
    const ref = edge[end];
    if (!isRecord(ref)) continue;
    if (typeof ref.node === 'string' && ref.node.length > limits.idLength) {
      return lengthProblem(`Edge #${index + 1}'s ${end}.node`, ref.node, limits.idLength, `${at}.${end}.node`);
    }
    if (typeof ref.port === 'string' && ref.port.length > limits.portLength) {
      return lengthProblem(`Edge #${index + 1}'s ${end}.port`, ref.port, limits.portLength, `${at}.${end}.port`);
    }
  }
  return undefined;
}
