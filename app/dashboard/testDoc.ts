/** Documents from shorthand for the page's tests (engine/testing is off limits to app/ by the layering rules). */
import { GraphDocument } from '../../engine/graph/document';

/** [id, type, params] nodes and "from.port -> to.port" edges. */
export function docOf(nodes: readonly (readonly [string, string, Record<string, unknown>?])[], edges: readonly string[], training: Record<string, unknown> = {}): GraphDocument {
  return GraphDocument.parse({
    format: 'wiregrad.graph',
    version: 1,
    nodes: nodes.map(([id, type, params], i) => ({ id, type, params: params ?? {}, position: { x: 200 * i, y: 0 } })),
    edges: edges.map((line, i) => {
      const m = /^(\S+)\.(\S+)\s*->\s*(\S+)\.(\S+)$/.exec(line);
      if (!m) throw new Error(`bad edge shorthand: ${line}`);
      return { id: `e${i}`, from: { node: m[1], port: m[2] }, to: { node: m[3], port: m[4] } };
    }),
    training,
    meta: { name: 'test' },
  });
}
