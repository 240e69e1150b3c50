/** Documents as files: reading what a person opens (with a message that names the problem) and writing what they save. */
import type { GraphDocument } from '../../engine/graph/document';
import { boundMessage, quote } from '../../engine/graph/limits';
import { parseDocument } from '../../engine/graph/migrations';
import { loadProblem } from '../store/integrity';
import { slug } from '../store/names';
import { jsonErrorLocation } from './jsonLocation';

/** A document ready to load, or a message for the person who opened the file. */
export type ReadOutcome = { ok: true; doc: GraphDocument } | { ok: false; message: string };

/** How many schema problems a message lists before "and N more". */
const LISTED = 3;

/**
 * The one gate for every document that enters the studio (a file opened, the autosave restored, a
 * share link or an import): bounds first (size, nesting, string lengths, counts, shapes: see
 * engine/graph/limits.ts), then JSON, migrations and the schema, then what the canvas needs.
 * `source` names where the text came from, as the message puts it (a quoted file name, "the autosaved
 * graph"). Never throws.
 */
export function openDocumentText(text: string, source: string): ReadOutcome {
  const where = `Could not open ${source}`;
  const parsed = parseDocument(text);
  if (!parsed.ok) {
    const shown = parsed.errors.slice(0, LISTED).map((e) => {
      const at = e.code === 'invalid_json' && !/line \d/.test(e.message) ? jsonErrorLocation(text) : undefined;
      return at === undefined ? e.message : `${e.message} (line ${at.line}, column ${at.column})`;
    });
    const more = parsed.errors.length > LISTED ? ` (and ${parsed.errors.length - LISTED} more)` : '';
    return { ok: false, message: `${where}: ${shown.join(' ')}${more}` };
  }
  const problem = loadProblem(parsed.doc);
  if (problem !== undefined) return { ok: false, message: `${where}. ${boundMessage(problem)}` };
  return { ok: true, doc: parsed.doc };
}

/** A file's text as a document: `openDocumentText` under the file's name. */
export function readGraphFile(text: string, fileName: string): ReadOutcome {
  return openDocumentText(text, quote(fileName));
}

/** The saved form: the versioned document, pretty-printed, stamped with when it was saved. */
export function serializeDocument(doc: GraphDocument, now: Date = new Date()): string {
  return `${JSON.stringify({ ...doc, meta: { ...doc.meta, modified: now.toISOString() } }, null, 2)}\n`;
}

/** "LeNet-style CNN" → "lenet-style-cnn.wiregrad.json". */
export function fileNameFor(doc: GraphDocument): string {
  return `${slug(doc.meta.name || 'graph')}.wiregrad.json`;
}
