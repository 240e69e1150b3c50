/**
 * Reading a document file for a command: the engine's one gate for documents (parseDocument:
 * JSON, migrations, schema), then validation (unknown node types, bad params, edges, cycles, shapes),
 * each problem as one line naming its node.
 */
import { readFileSync } from 'node:fs';
import type { GraphDocument } from '../engine/graph/document';
import { formatError, type GraphError } from '../engine/graph/errors';
import { parseDocument } from '../engine/graph/migrations';
import { validateDocument } from '../engine/graph/validate';

/** The user's input is wrong (a file, a flag, the document): exit code 2, with these lines said. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly lines: readonly string[] = [],
  ) {
    super(message);
  }
}

/** Problems as lines: "  unknown_type: … (node "h")". */
export const errorLines = (errors: readonly GraphError[]): string[] => errors.map((e) => `  ${formatError(e)}`);

/** The document in `path`, parsed, migrated and validated; throws InputError otherwise. */
export function readDocument(path: string, options: { requireLoss?: boolean } = {}): GraphDocument {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new InputError(code === 'ENOENT' ? `cannot read ${path}: no such file` : `cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const parsed = parseDocument(text);
  if (!parsed.ok) throw new InputError(`${path} is not a Wiregrad document:`, errorLines(parsed.errors));
  const { errors } = validateDocument(parsed.doc, options);
  if (errors.length) throw new InputError(`${path} has ${errors.length === 1 ? 'an error' : `${errors.length} errors`}:`, errorLines(errors));
  return parsed.doc;
}
