/**
 * Errors found in a document. Each names what it belongs to (node, edge, port, param) so the
 * canvas can show it there; the message is a sentence a person reads on that node.
 */

/** Every kind of problem the engine can find in a document. */
export const GRAPH_ERROR_CODES = [
  'invalid_json',
  'bad_format',
  'unsupported_version',
  'schema',
  'unknown_type',
  'bad_param',
  'duplicate_id',
  'dangling_edge',
  'unknown_port',
  'duplicate_edge',
  'port_taken',
  'cycle',
  'missing_input',
  'shape',
  'dtype',
  'no_loss',
  /** Every parameter is frozen (Trainable off everywhere): training would change nothing. */
  'nothing_trainable',
  /** A class label or index in the data outside what the node takes (engine/data/labels.ts). */
  'bad_label',
] as const;

/** What went wrong, for code to branch on; the message is for people. */
export type GraphErrorCode = (typeof GRAPH_ERROR_CODES)[number];

/** One problem in a document, with where it is. */
export interface GraphError {
  readonly code: GraphErrorCode;
  /** A sentence shown on the node (or the document) that names what is wrong. */
  readonly message: string;
  /** Id of the node the error belongs to. */
  readonly node?: string;
  /** Id of the edge the error belongs to. */
  readonly edge?: string;
  /** Port name on `node`. */
  readonly port?: string;
  /** Parameter name on `node`. */
  readonly param?: string;
  /** Where in the document JSON, e.g. `nodes[3].params.units`. */
  readonly path?: string;
}

/** How a node is named in messages: its label if it has one, else its id. */
export function nodeName(node: { readonly id: string; readonly label?: string }): string {
  const label = node.label?.trim();
  return JSON.stringify(label ? label : node.id);
}

/** A JSON path as people write it: `nodes[3].params.units`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** One line for logs and the CLI: the message, then where it is. */
export function formatError(e: GraphError): string {
  const where: string[] = [];
  if (e.node !== undefined) where.push(`node ${JSON.stringify(e.node)}`);
  if (e.edge !== undefined) where.push(`edge ${JSON.stringify(e.edge)}`);
  if (e.port !== undefined) where.push(`port ${JSON.stringify(e.port)}`);
  if (e.param !== undefined) where.push(`param ${JSON.stringify(e.param)}`);
  if (e.path !== undefined && e.path !== '') where.push(`at ${e.path}`);
  return `${e.code}: ${e.message}${where.length > 0 ? ` (${where.join(', ')})` : ''}`;
}
