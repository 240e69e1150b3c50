/** Documents as files: reading what a person opens (with a message that names the problem) and writing what they save. */
import type { GraphDocument } from '../../engine/graph/document';
import { parseDocument } from '../../engine/graph/migrations';
import { loadProblem } from '../store/integrity';
import { slug } from '../store/names';
import { jsonErrorLocation } from './jsonLocation';

/** A document ready to load, or a message for the person who opened the file. */
export type ReadOutcome = { ok: true; doc: GraphDocument } | { ok: false; message: string };

/** How many schema problems a message lists before "and N more". */
const LISTED = 3;

/** Parses, migrates and checks a file's text; never throws. */
export function readGraphFile(text: string, fileName: string): ReadOutcome {
  const where = `Could not open ${JSON.stringify(fileName)}`;
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
  if (problem !== undefined) return { ok: false, message: `${where}. ${problem}` };
  return { ok: true, doc: parsed.doc };
}

/** The saved form: the versioned document, pretty-printed, stamped with when it was saved. */
export function serializeDocument(doc: GraphDocument, now: Date = new Date()): string {
  return `${JSON.stringify({ ...doc, meta: { ...doc.meta, modified: now.toISOString() } }, null, 2)}\n`;
}

/** "LeNet-style CNN" → "lenet-style-cnn.wiregrad.json". */
export function fileNameFor(doc: GraphDocument): string {
  return `${slug(doc.meta.name || 'graph')}.wiregrad.json`;
}
