/**
 * Reading a document of any version: check the format tag, upgrade through an ordered list of
 * named migrations, then validate against the current schema. Never throws on bad input.
 */
import type { z } from 'zod';
import { CURRENT_VERSION, DOCUMENT_FORMAT, GraphDocument } from './document';
import { batchNormMomentumAsPyTorch } from './batchNormMomentum';
import { formatPath, type GraphError } from './errors';
import { boundMessage, checkDocumentText, checkDocumentValue, quote } from './limits';

/** One step up: turns a document of version `from` into one of version `to`. */
export interface Migration {
  /** Says what changed, e.g. "edges-as-objects". */
  readonly name: string;
  readonly from: number;
  readonly to: number;
  /** Returns the upgraded document; must not mutate its input. `migrate` stamps `to` as its version. */
  up(doc: unknown): unknown;
}

/** Every migration, oldest first. Each has a fixture of an old document it must upgrade. */
export const MIGRATIONS: readonly Migration[] = [batchNormMomentumAsPyTorch];

/** A document ready to use, or every reason it is not. */
export type ReadResult = { ok: true; doc: GraphDocument } | { ok: false; errors: GraphError[] };

type Json = Record<string, unknown>;

const isRecord = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

const fail = (error: GraphError): ReadResult => ({ ok: false, errors: [{ ...error, message: boundMessage(error.message) }] });

/** Upgrades a parsed JSON value to the current version and validates it. */
export function migrate(raw: unknown, migrations: readonly Migration[] = MIGRATIONS): ReadResult {
  // Bounds first: nothing below (migrations, zod) may see an unbounded document.
  const tooLarge = checkDocumentValue(raw);
  if (tooLarge !== undefined) return fail(tooLarge);
  if (!isRecord(raw) || raw.format !== DOCUMENT_FORMAT) {
    return fail({
      code: 'bad_format',
      message: `This is not a Wiregrad graph: it has no "format": "${DOCUMENT_FORMAT}".`,
      path: 'format',
    });
  }
  const version = raw.version;
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    return fail({
      code: 'unsupported_version',
      message: 'This graph has no version number, so Wiregrad cannot tell how to read it.',
      path: 'version',
    });
  }
  if (version > CURRENT_VERSION) {
    return fail({
      code: 'unsupported_version',
      message:
        `This graph was made by a newer Wiregrad (document version ${version}; this one reads up to ` +
        `version ${CURRENT_VERSION}). Update Wiregrad to open it.`,
      path: 'version',
    });
  }

  let doc: Json = raw;
  for (let v = version; v < CURRENT_VERSION;) {
    const step = migrations.find((m) => m.from === v);
    if (step === undefined || step.to <= step.from || step.to > CURRENT_VERSION) {
      return fail({
        code: 'unsupported_version',
        message: `Graphs of version ${v} can no longer be opened: no migration upgrades them.`,
        path: 'version',
      });
    }
    let next: unknown;
    try {
      next = step.up(doc);
    } catch (e) {
      return fail({
        code: 'schema',
        message: sentence(`Could not upgrade this graph from version ${v} (${step.name}): ${errorText(e)}`),
      });
    }
    if (!isRecord(next)) {
      return fail({
        code: 'schema',
        message: `Could not upgrade this graph from version ${v} (${step.name}): it gave no document.`,
      });
    }
    doc = { ...next, version: step.to };
    v = step.to;
  }

  if (doc !== raw) {
    const grown = checkDocumentValue(doc);
    if (grown !== undefined) return fail(grown);
  }
  const parsed = GraphDocument.safeParse(doc);
  if (parsed.success) return { ok: true, doc: parsed.data };
  return { ok: false, errors: parsed.error.issues.map((issue) => issueToError(issue, doc)) };
}

/**
 * Reads a document from text (a saved file, an autosave, a share link, the clipboard): the one way
 * text becomes a document. The text's size and nesting are checked (./limits) before JSON.parse.
 */
export function parseDocument(text: string, migrations: readonly Migration[] = MIGRATIONS): ReadResult {
  if (typeof text !== 'string') return fail({ code: 'invalid_json', message: 'This document is not text.' });
  const tooLarge = checkDocumentText(text);
  if (tooLarge !== undefined) return fail(tooLarge);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return fail({ code: 'invalid_json', message: sentence(`This file is not valid JSON: ${jsonErrorText(e, text)}`) });
  }
  return migrate(raw, migrations);
}

/** The engine's message, plus line and column when it only gives a character position. */
function jsonErrorText(e: unknown, text: string): string {
  const message = errorText(e);
  const at = /position (\d+)/.exec(message);
  if (at === null || /line/i.test(message) || typeof text !== 'string') return message;
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column})`;
}

/** Ends the text with a full stop, as messages on nodes do. */
const sentence = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`);

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The value at `path` in `root`, or undefined where the path leaves the data. */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let x = root;
  for (const key of path) {
    if (typeof x !== 'object' || x === null || !Object.hasOwn(x, key)) return undefined;
    x = (x as Record<PropertyKey, unknown>)[key];
  }
  return x;
}

const idOf = (x: unknown): string | undefined => (isRecord(x) && typeof x.id === 'string' && x.id !== '' ? x.id : undefined);

/** A zod issue as a GraphError on the node or edge it points into. */
function issueToError(issue: z.core.$ZodIssue, doc: Json): GraphError {
  const path = issue.path;
  const [section, index] = path;
  let subject = 'The graph';
  let rest = path;
  let node: string | undefined;
  let edge: string | undefined;
  let param: string | undefined;

  if ((section === 'nodes' || section === 'edges') && typeof index === 'number') {
    const item = valueAt(doc, [section, index]);
    const id = idOf(item);
    const label = isRecord(item) && typeof item.label === 'string' ? item.label : undefined;
    rest = path.slice(2);
    if (section === 'nodes') {
      node = id;
      subject = id === undefined ? `Node #${index + 1}` : `Node ${quote(label?.trim() || id)}`;
      if (rest[0] === 'params' && typeof rest[1] === 'string') param = rest[1];
    } else {
      edge = id;
      subject = id === undefined ? `Edge #${index + 1}` : `Edge ${quote(id)}`;
    }
  } else if (section === 'training') {
    subject = 'Training settings';
    rest = path.slice(1);
  } else if (section === 'meta') {
    subject = 'Graph info';
    rest = path.slice(1);
  }

  const field = formatPath(rest);
  const missing = issue.code === 'invalid_type' && valueAt(doc, path) === undefined;
  const what = missing ? `${field || 'a required field'} is missing` : `${field ? `${field}: ` : ''}${issue.message}`;
  return {
    code: 'schema',
    message: boundMessage(sentence(`${subject}: ${what}`)),
    path: formatPath(path),
    ...(node !== undefined && { node }),
    ...(edge !== undefined && { edge }),
    ...(param !== undefined && { param }),
  };
}
