/**
 * ONNX export (opset 17) of a document's inference graph: layers as their natural ONNX ops (Dense →
 * Gemm or MatMul + Add, Conv2D → Conv, pooling → MaxPool / AveragePool, BatchNorm →
 * BatchNormalization, LayerNorm → LayerNormalization, RNN/LSTM/GRU → RNN/LSTM/GRU, Conv1D → Conv, …), the trained weights as initializers named
 * as in safetensors (`dense1.kernel`), dropout as Identity. Losses, metrics, and whatever only they
 * read (labels) are left out; a node without an ONNX form is an ExportError naming it.
 *
 * Layout: Wiregrad images are NHWC and ONNX's Conv and pooling want NCHW. The model's inputs and
 * outputs stay exactly Wiregrad's (NHWC); each value carries its layout, convolutions and pooling
 * take NCHW (one Transpose in where needed), elementwise ops keep whichever layout they get, and
 * anything that depends on the order of axes (Flatten, Dense, reshapes, reductions, outputs) gets a
 * Transpose back to NHWC first. So a conv stack transposes once in and once out, and Dense kernels
 * after a Flatten keep Wiregrad's order. Conv kernels are stored OIHW, as ONNX's Conv reads them.
 *
 * This file walks the graph; the emitters live by family in exportLayers.ts, exportSequence.ts and
 * exportOps.ts, on the builder and shared helpers of exportGraph.ts.
 */
import type { GraphDocument } from '../../graph/document';
import { nodeName } from '../../graph/errors';
import { lowerDocument, typeEmitter } from '../../graph/lower';
import { getNodeSpec } from '../../graph/nodes';
import { incoming, topologicalOrder } from '../../graph/structure';
import type { VariableRequest } from '../../graph/spec';
import { validateDocument } from '../../graph/validate';
import type { DType } from '../../ops/types';
import { encodeModel, type ModelProto, type ValueInfoProto } from './proto';
import { ELEM, ExportError, GraphBuilder, type Emitter, type NodeContext, type Val } from './exportGraph';
import { LAYER_EMITTERS } from './exportLayers';
import { OP_EMITTERS } from './exportOps';
import { SEQUENCE_EMITTERS } from './exportSequence';
import { attentionEmitters } from './exportAttention';
import { tensorNameOf } from '../weights';

export const ONNX_OPSET = 17;
/** The IR version that goes with opset 17 (ONNX 1.12). */
export const ONNX_IR_VERSION = 8;

export { ExportError } from './exportGraph';

export interface OnnxExportOptions {
  /** Nodes whose outputs the model returns (default: every exported node whose output no other exported node reads). */
  readonly outputs?: readonly string[];
  /** Written into the model as producer_version. */
  readonly producerVersion?: string;
}

/** One input or output of the exported model. */
export interface OnnxValue {
  /** Its name in the ONNX graph (inputs: the dataset field). */
  readonly name: string;
  /** The document node it comes from (an input's first Input node). */
  readonly node: string;
  /** Wiregrad's shape (NHWC), with null for the dimensions that are the batch size. */
  readonly shape: readonly (number | null)[];
  readonly dtype: DType;
}

export interface OnnxExport {
  /** The .onnx file. */
  readonly bytes: Uint8Array;
  readonly inputs: readonly OnnxValue[];
  readonly outputs: readonly OnnxValue[];
}

const EMITTERS: Readonly<Record<string, Emitter>> = {
  ...LAYER_EMITTERS,
  ...SEQUENCE_EMITTERS,
  ...OP_EMITTERS,
  ...attentionEmitters({ ...LAYER_EMITTERS, ...SEQUENCE_EMITTERS }),
};

/** Node types of the catalog that an exported graph can hold (Input nodes become the model's inputs). */
export const ONNX_NODE_TYPES: ReadonlySet<string> = new Set(['Input', ...Object.keys(EMITTERS)]);

/** Every node's output types in the inference graph at `batchSize`. */
function inferTypes(doc: GraphDocument, batchSize: number) {
  return lowerDocument(
    doc,
    {
      emitter: typeEmitter,
      input: (_field, shape, dtype) => ({ shape, dtype }),
      variable: (_name, req) => ({ shape: req.shape, dtype: 'f32' as const }),
      counter: () => ({ shape: [], dtype: 'i32' as const }),
    },
    { training: false, batchSize, seed: doc.training.seed },
  );
}

/**
 * The ONNX model of the document's inference graph with `weights` (Program.getWeights: values by
 * `<node>/<variable>`). Throws ExportError for an invalid document, a node without an ONNX form,
 * or a missing or wrongly sized weight, naming the node.
 */
export function exportOnnx(doc: GraphDocument, weights: Readonly<Record<string, ArrayLike<number>>>, options: OnnxExportOptions = {}): OnnxExport {
  const { errors } = validateDocument(doc, { requireLoss: false });
  if (errors.length) throw new ExportError(`the graph has errors: ${errors.map((e) => e.message).join('; ')}`, errors[0]!.node);
  const lowered = inferTypes(doc, doc.training.batchSize);
  // The same graph one sample larger: the output dimensions that grow with it are batch dimensions.
  const grown = inferTypes(doc, doc.training.batchSize + 1);
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const label = (id: string) => `node ${nodeName(byId.get(id)!)} (${byId.get(id)!.type})`;
  const edgesIn = incoming(doc);
  const order = topologicalOrder(doc);

  // Losses and metrics, and everything that reads one, exist only for training.
  const trainingOnly = new Set<string>();
  for (const id of order) {
    const spec = getNodeSpec(byId.get(id)!.type)!;
    const reads = [...(edgesIn.get(id)?.values() ?? [])].flat().map((e) => e.from.node);
    if (spec.role === 'loss' || spec.role === 'metric' || reads.some((r) => trainingOnly.has(r))) trainingOnly.add(id);
  }
  const consumers = new Map<string, number>();
  for (const e of doc.edges) if (!trainingOnly.has(e.to.node)) consumers.set(e.from.node, (consumers.get(e.from.node) ?? 0) + 1);
  const SOURCES = new Set(['Input', 'Parameter', 'Constant']);
  const outputNodes = options.outputs
    ? [...options.outputs]
    : order.filter((id) => !trainingOnly.has(id) && !consumers.has(id) && !SOURCES.has(byId.get(id)!.type));
  for (const id of outputNodes) {
    if (!byId.has(id)) throw new ExportError(`there is no node "${id}" to export`, id);
    if (trainingOnly.has(id)) throw new ExportError(`${label(id)} is part of training only (a loss or metric, or reads one): it has no inference form`, id);
  }
  if (!outputNodes.length) throw new ExportError('the graph has no output to export: every node feeds a loss or metric, or nothing');

  // Only what the outputs need is exported.
  const needed = new Set<string>();
  const stack = [...outputNodes];
  while (stack.length) {
    const id = stack.pop()!;
    if (needed.has(id)) continue;
    needed.add(id);
    for (const edges of edgesIn.get(id)?.values() ?? []) for (const e of edges) stack.push(e.from.node);
  }
  for (const id of order) {
    const type = byId.get(id)!.type;
    if (needed.has(id) && !ONNX_NODE_TYPES.has(type)) throw new ExportError(`${label(id)} has no ONNX form`, id);
  }

  const g = new GraphBuilder();
  const inputs: OnnxValue[] = [];
  const graphInputs: ValueInfoProto[] = [];
  const values = new Map<string, Val>();
  // Dataset fields name the model's inputs; then each node's output takes its node id.
  for (const [field, info] of lowered.inputs) {
    if (!info.nodes.some((n) => needed.has(n))) continue;
    const name = g.claim(field);
    inputs.push({ name, node: info.nodes[0]!, shape: [null, ...info.type.shape.slice(1)], dtype: info.type.dtype });
    graphInputs.push({
      name,
      type: {
        tensor_type: { elem_type: ELEM[info.type.dtype], shape: { dim: [{ dim_param: 'batch' }, ...info.type.shape.slice(1).map((d) => ({ dim_value: d }))] } },
      },
    });
    for (const n of info.nodes) values.set(n, { name, type: info.type, layout: 'nhwc' });
  }
  const canonical = new Map<string, string>();
  for (const id of order) if (needed.has(id) && byId.get(id)!.type !== 'Input') canonical.set(id, g.claim(id));

  const variables = new Map<string, VariableRequest>(lowered.variables.map((v) => [v.name, v.request]));
  for (const id of order) {
    if (!needed.has(id) || byId.get(id)!.type === 'Input') continue;
    const node = byId.get(id)!;
    const spec = getNodeSpec(node.type)!;
    const outs = lowered.outputs.get(id);
    if (!outs) throw new ExportError(`${label(id)} has no ONNX form`, id);
    // Only a node's first output exports (MultiHeadAttention's y, not its attention weights).
    const other = doc.edges.find((e) => e.from.node === id && e.from.port !== spec.outputs[0]!.name && needed.has(e.to.node));
    if (other) throw new ExportError(`${label(id)}: its output ${other.from.port} has no ONNX form (only ${spec.outputs[0]!.name} exports)`, id);
    const ports = edgesIn.get(id)!;
    const input = (port: string) => (ports.get(port) ?? []).map((e) => values.get(e.from.node)!);
    g.current = id;
    const c: NodeContext = {
      g,
      id,
      p: spec.params.parse(node.params),
      out: outs[spec.outputs[0]!.name]!,
      one: (port) => input(port)[0]!,
      many: input,
      weightShape: (name) => variables.get(`${id}/${name}`)!.shape,
      weight(name, transform) {
        const variable = `${id}/${name}`;
        const request = variables.get(variable);
        if (!request) throw new ExportError(`${label(id)} has no variable ${name}`, id);
        const data = weights[variable];
        if (!data) throw new ExportError(`${label(id)}: no weights for ${variable}`, id);
        const n = request.shape.reduce((a, d) => a * d, 1);
        if (data.length !== n)
          throw new ExportError(`${label(id)}: ${variable} has ${data.length} values but its shape [${request.shape.join(', ')}] holds ${n}`, id);
        return g.init(tensorNameOf(variable), transform?.dims ?? request.shape, 'f32', transform?.permute ? transform.permute(data) : data);
      },
    };
    let v: Val;
    try {
      v = EMITTERS[node.type]!(c);
    } catch (e) {
      if (e instanceof ExportError) throw e;
      throw new ExportError(`${label(id)}: ${e instanceof Error ? e.message : String(e)}`, id);
    }
    // The node's value in Wiregrad's layout takes the node's name: rename the op that made it.
    const last = g.nodes[g.nodes.length - 1];
    if (v.layout === 'nhwc' && last && last.output[0] === v.name && v.name.startsWith(`${id}/`)) {
      last.output[0] = canonical.get(id)!;
      v = { ...v, name: last.output[0] };
    }
    values.set(id, v);
  }

  const outputs: OnnxValue[] = [];
  const graphOutputs: ValueInfoProto[] = [];
  for (const id of outputNodes) {
    const v = values.get(id)!;
    const want = canonical.get(id) ?? g.claim(id);
    g.current = id;
    let name = g.nhwc(v, v.layout === 'nchw' ? want : undefined);
    if (name !== want) name = g.op('Identity', [name], [], want);
    const other = grown.outputs.get(id)?.[getNodeSpec(byId.get(id)!.type)!.outputs[0]!.name]?.shape;
    const batchDim = (d: number, i: number) => other !== undefined && other.length === v.type.shape.length && other[i] !== d;
    outputs.push({ name, node: id, shape: v.type.shape.map((d, i) => (batchDim(d, i) ? null : d)), dtype: v.type.dtype });
    const dim = v.type.shape.map((d, i) => (batchDim(d, i) ? { dim_param: 'batch' } : { dim_value: d }));
    graphOutputs.push({ name, type: { tensor_type: { elem_type: ELEM[v.type.dtype], shape: { dim } } } });
  }

  const model: ModelProto = {
    ir_version: ONNX_IR_VERSION,
    producer_name: 'wiregrad',
    producer_version: options.producerVersion ?? '0.1.0',
    doc_string: doc.meta.description ?? '',
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    metadata_props: [{ key: 'wiregrad.layout', value: 'inputs and outputs NHWC as in Wiregrad; Conv weights OIHW' }],
    graph: { name: doc.meta.name || 'wiregrad', node: g.nodes, initializer: g.initializers, input: graphInputs, output: graphOutputs },
  };
  return { bytes: encodeModel(model), inputs, outputs };
}
