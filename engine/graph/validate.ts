import type { GraphDocument } from './document';
import type { GraphError } from './errors';
import { inferShapes, type NodeInfo } from './infer';
import { boundMessage, DOCUMENT_LIMITS, MESSAGE_LENGTH, quote } from './limits';
import { checkStructure } from './structure';

/** Everything wrong with a document, each error naming its node, plus what inference learned. */
export function validateDocument(doc: GraphDocument, options: { requireLoss?: boolean } = {}): { errors: GraphError[]; nodes: Map<string, NodeInfo> } {
  const structural = checkStructure(doc, { requireLoss: options.requireLoss ?? true });
  const inferred = inferShapes(doc);
  const errors = [...structural, ...inferred.errors, ...sizeErrors(doc, inferred.nodes)];
  if ((options.requireLoss ?? true) && !errors.length) errors.push(...frozenErrors(inferred.nodes));
  // Messages quote labels and ids; none may grow past the bound the editor lays out for.
  return { errors: errors.map((e) => (e.message.length > MESSAGE_LENGTH ? { ...e, message: boundMessage(e.message) } : e)), nodes: inferred.nodes };
}

/**
 * A graph whose parameters are all frozen trains nothing: PyTorch refuses such an optimizer ("got an
 * empty parameter list"), and so does Wiregrad, before a run that would silently change nothing.
 */
function frozenErrors(nodes: ReadonlyMap<string, NodeInfo>): GraphError[] {
  let trainable = 0;
  let frozen = 0;
  for (const info of nodes.values()) {
    trainable += info.paramCount;
    frozen += info.frozenParamCount;
  }
  if (trainable > 0 || frozen === 0) return [];
  return [
    {
      code: 'nothing_trainable',
      message: `Every parameter is frozen (${frozen.toLocaleString('en-US')} parameters with Trainable off), so training would change nothing: switch Trainable on for at least one layer.`,
    },
  ];
}

/** Tensors no backend could hold: an output or a node's parameters over DOCUMENT_LIMITS.tensorElements. */
function sizeErrors(doc: GraphDocument, nodes: ReadonlyMap<string, NodeInfo>): GraphError[] {
  const max = DOCUMENT_LIMITS.tensorElements;
  const errors: GraphError[] = [];
  for (const node of doc.nodes) {
    const info = nodes.get(node.id);
    if (info === undefined) continue;
    const name = quote(node.label?.trim() || node.id);
    if (info.paramCount > max) {
      errors.push({
        code: 'shape',
        node: node.id,
        message: `Node ${name} holds ${info.paramCount.toExponential(2)} parameters; at most ${max.toLocaleString('en-US')} are allowed.`,
      });
    }
    for (const [port, type] of Object.entries(info.outputs)) {
      const elements = type.shape.reduce((a, d) => a * d, 1);
      if (elements > max) {
        errors.push({
          code: 'shape',
          node: node.id,
          port,
          message: `Node ${name}'s output ${quote(port)} holds ${elements.toExponential(2)} elements; at most ${max.toLocaleString('en-US')} are allowed.`,
        });
      }
    }
  }
  return errors;
}
