/**
 * Sparse class labels (and Embedding token ids) checked against the nodes that read them. On the
 * device a label outside [0, classes) one-hot encodes to a row of zeros, so its loss and gradient
 * are 0 and training goes on silently (TensorFlow and PyTorch raise); a fractional or NaN label is
 * cast to some class; a token id outside the table reads zeros on WebGPU. The trainer checks each
 * dataset (or batch) on the host instead, and names the node, the value and its sample.
 */
import type { DocNode, GraphDocument } from '../graph/document';
import { nodeName } from '../graph/errors';
import { inferShapes, type NodeInfo } from '../graph/infer';
import { getNodeSpec } from '../graph/nodes';
import { incoming } from '../graph/structure';
import type { Dataset } from './dataset';

/** Classifier losses and metrics (the catalog's `classifier`) take class labels when their `labels` param is 'sparse'. */
const readsClassLabels = (type: string) => getNodeSpec(type)?.classifier === true;

/** A node's params with their defaults filled in, or undefined when they are invalid (checkStructure reports that). */
function params(n: DocNode): Record<string, unknown> | undefined {
  const parsed = getNodeSpec(n.type)?.params.safeParse(n.params);
  return parsed?.success ? (parsed.data as Record<string, unknown>) : undefined;
}

/** A node that reads class labels (or token ids) straight from a dataset field, through an Input node. */
export interface LabelReader {
  /** Id of the loss, metric or Embedding node. */
  readonly node: string;
  /** The node as messages name it (its label, else its id, quoted). */
  readonly name: string;
  /** The dataset field its labels come from. */
  readonly field: string;
  /** Labels per sample in that field (1 for [batch] or [batch, 1] labels, the sequence length for token ids). */
  readonly perSample: number;
  /** Valid labels are 0..classes-1: the last dim of the logits on its `pred` port, or an Embedding's rows. */
  readonly classes: number;
  /** What the values are, for messages: class labels, or token ids of an Embedding. */
  readonly kind: 'label' | 'token id';
  /** A label value that marks "no target here" (a sequence loss's ignoreIndex) and is not checked. */
  readonly ignore?: number;
}

/** A label (or token id) that is not a class (or row) index of the node that reads it. */
export interface LabelError {
  /** Id of the node that reads the label: the editor shows the message there. */
  readonly node: string;
  /** e.g. `label 7 at sample 12 is outside the 3 classes of node "loss" (0..2)`. */
  readonly message: string;
  readonly field: string;
  /** The offending label. */
  readonly value: number;
  /** Its sample: the dataset index (or the batch position when no sample indices are given). */
  readonly sample: number;
}

/**
 * The nodes of `doc` that read sparse labels whose `target` is wired straight to an Input node and
 * whose logits' width is known, and the Embeddings whose ids come straight from an Input. Values
 * computed by other nodes are not data and are not listed.
 * `shapes` defaults to a fresh shape inference of the document (inferShapes(doc).nodes).
 */
export function labelReaders(doc: GraphDocument, shapes: ReadonlyMap<string, NodeInfo> = inferShapes(doc).nodes): LabelReader[] {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const edgesIn = incoming(doc);
  const readers: LabelReader[] = [];
  /** The Input node wired to `port` of node `id`, as field and values per sample. */
  const fed = (id: string, port: string) => {
    const edge = edgesIn.get(id)?.get(port)?.[0];
    const source = edge && byId.get(edge.from.node);
    if (source?.type !== 'Input') return undefined;
    const p = params(source) as { field: string; shape: number[] } | undefined;
    return p && { field: p.field, perSample: p.shape.reduce((a, d) => a * d, 1) };
  };
  for (const n of doc.nodes) {
    const p = readsClassLabels(n.type) || n.type === 'Embedding' ? params(n) : undefined;
    if (!p) continue;
    if (n.type === 'Embedding') {
      const input = fed(n.id, 'x');
      if (input) readers.push({ node: n.id, name: nodeName(n), ...input, classes: p.inputDim as number, kind: 'token id' });
      continue;
    }
    if (p.labels !== 'sparse') continue;
    const input = fed(n.id, 'target');
    const pred = edgesIn.get(n.id)?.get('pred')?.[0];
    if (!pred || !input) continue;
    const logits = shapes.get(pred.from.node)?.outputs[pred.from.port]?.shape;
    const classes = logits?.[logits.length - 1];
    if (classes === undefined || logits!.length < 2) continue;
    const ignore = typeof p.ignoreIndex === 'number' ? { ignore: p.ignoreIndex } : {};
    readers.push({ node: n.id, name: nodeName(n), ...input, classes, kind: 'label', ...ignore });
  }
  return readers;
}

/**
 * The first label (or token id), in sample order, that is not an integer in [0, classes) for a node
 * that reads it; undefined when all are. `fields` holds labels by field name, sample-major: a whole dataset field
 * or one batch. For a batch, `samples` gives each batch position's dataset index, for the message.
 * A field that is absent is skipped (bindingErrors reports it).
 */
export function checkLabels(
  readers: readonly LabelReader[],
  fields: Readonly<Record<string, ArrayLike<number>>>,
  samples?: ArrayLike<number>,
): LabelError | undefined {
  for (const r of readers) {
    const labels = fields[r.field];
    if (!labels) continue;
    for (let i = 0; i < labels.length; i++) {
      const v = labels[i]!;
      if ((Number.isInteger(v) && v >= 0 && v < r.classes) || v === r.ignore) continue;
      const position = Math.floor(i / r.perSample);
      const sample = samples ? samples[position]! : position;
      const what =
        r.kind === 'label'
          ? Number.isInteger(v)
            ? `is outside the ${r.classes} classes of`
            : 'is not a class index of'
          : Number.isInteger(v)
            ? `is outside the ${r.classes} rows of`
            : 'is not a row index of';
      return { node: r.node, field: r.field, value: v, sample, message: `${r.kind} ${v} at sample ${sample} ${what} node ${r.name} (0..${r.classes - 1})` };
    }
  }
  return undefined;
}

/** checkLabels over a whole dataset, for the nodes of `doc`: call once when a dataset is loaded or the graph changes. */
export function checkDatasetLabels(doc: GraphDocument, ds: Dataset, shapes?: ReadonlyMap<string, NodeInfo>): LabelError | undefined {
  return checkLabels(labelReaders(doc, shapes), ds.data);
}
