import type { GraphDocument } from './document';
import type { GraphError } from './errors';
import { inferShapes, type NodeInfo } from './infer';
import { checkStructure } from './structure';

/** Everything wrong with a document, each error naming its node, plus what inference learned. */
export function validateDocument(doc: GraphDocument, options: { requireLoss?: boolean } = {}): { errors: GraphError[]; nodes: Map<string, NodeInfo> } {
  const structural = checkStructure(doc, { requireLoss: options.requireLoss ?? true });
  const inferred = inferShapes(doc);
  return { errors: [...structural, ...inferred.errors], nodes: inferred.nodes };
}
