/**
 * model.py: the document's inference graph as a readable nn.Module. Each layer is an attribute named
 * after its node id (sanitised), forward(**inputs) takes the dataset fields by name, and
 * load_wiregrad_weights() reads Wiregrad's safetensors file into the module, transposing as needed.
 *
 * Layout: Wiregrad images are NHWC, torch's Conv2d and pooling want NCHW. As in the ONNX export,
 * each value carries its layout: convolutions and pooling take NCHW (one permute in), elementwise
 * ops keep whichever they get, and everything that depends on the order of axes (Flatten, Dense,
 * reshapes, outputs) gets NHWC back first, so Dense kernels after a Flatten keep Wiregrad's order.
 */
import type { GraphDocument } from '../../graph/document';
import { nodeName } from '../../graph/errors';
import { lowerDocument, typeEmitter } from '../../graph/lower';
import { getNodeSpec } from '../../graph/nodes';
import type { Activation } from '../../graph/nodes/common';
import { timePadding } from '../../graph/nodes/conv1d';
import { windowPadding } from '../../graph/nodes/layers';
import { incoming, topologicalOrder } from '../../graph/structure';
import { isFrozen } from '../../graph/trainable';
import { validateDocument } from '../../graph/validate';
import type { DType, TensorType } from '../../ops/types';
import { ExportError } from '../onnx/export';
import { Identifiers, pyComment, pyFloat, pyStr, pyTuple } from './python';

type Layout = 'nhwc' | 'nchw';

/** A value of forward(): a Python expression (a local's name), Wiregrad's type, its layout in torch. */
interface PyVal {
  readonly expr: string;
  readonly type: TensorType;
  readonly layout: Layout;
}

/** How a Wiregrad tensor becomes a torch one: as is, a Dense kernel transposed, a Conv2D kernel HWIO → OIHW, a Conv1D kernel [k, in, out] → [out, in, k]. */
type Conversion = 'same' | 'transpose' | 'hwio_to_oihw' | 'kio_to_oik';

/** One tensor of the safetensors file and where it goes in the module. */
export interface TorchWeight {
  /** `<node>.<param>`, as Wiregrad writes it. */
  readonly tensor: string;
  /** The module's state_dict key. */
  readonly key: string;
  readonly conversion: Conversion;
}

/** A loss of the document, for train.py. */
export interface LossInfo {
  readonly node: string;
  readonly type: string;
  // The loss node's own params, already checked by its zod schema.
  readonly params: Readonly<Record<string, unknown>>;
  /** Index into the model's outputs of the prediction. */
  readonly pred: number;
  /** The dataset field the target comes from. */
  readonly targetField: string;
}

/** What the model.py generator found, for train.py and the tests. */
export interface ModelInfo {
  readonly source: string;
  /** Dataset fields forward() reads, with their dtypes. */
  readonly inputs: readonly { readonly field: string; readonly dtype: DType }[];
  /** Node ids forward() returns, in order (a tuple when more than one). */
  readonly outputs: readonly string[];
  readonly weights: readonly TorchWeight[];
  readonly losses: readonly LossInfo[];
  /** Every field the model or a loss reads, with its dtype. */
  readonly fields: readonly { readonly field: string; readonly dtype: DType }[];
}

const TO_NCHW = [0, 3, 1, 2];
const normAxis = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);

/** What one node's emitter gets. */
interface NodeContext {
  readonly id: string;
  /** The node's Python name (attribute and local). */
  readonly name: string;
  // The node type's own params, already checked by its zod schema.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly p: any;
  readonly out: TensorType;
  one(port: string): PyVal;
  many(port: string): PyVal[];
  /** Declare `self.<name> = <module>` in __init__. */
  module(code: string): string;
  /** A further line of __init__. */
  init(line: string): void;
  /** Map the node's variable `param` to the module's `key` (relative to self.<name>). */
  weight(param: string, key: string, conversion?: Conversion): void;
}

type Emitter = (c: NodeContext) => { expr: string; layout: Layout };

const nhwc = (v: PyVal) => (v.layout === 'nchw' ? `${v.expr}.permute(0, 2, 3, 1)` : v.expr);
function nchw(v: PyVal, id: string): string {
  if (v.layout === 'nchw') return v.expr;
  if (v.type.shape.length !== 4) throw new ExportError(`expected an image [batch, height, width, channels] but got [${v.type.shape.join(', ')}]`, id);
  // contiguous(): a permuted (channels-last) input gives Conv2d weight gradients strides that DDP's buckets warn about.
  return `${v.expr}.permute(0, 3, 1, 2).contiguous()`;
}

/** The torch dim of Wiregrad's axis `axis` on a value in `layout`. */
function dimOf(v: PyVal, axis: number): number {
  const a = normAxis(axis, v.type.shape.length);
  return v.layout === 'nchw' ? TO_NCHW.indexOf(a) : a;
}

function activation(x: string, name: Activation, softmaxDim: number): string {
  switch (name) {
    case 'linear':
      return x;
    case 'relu':
      return `F.relu(${x})`;
    case 'leaky_relu':
      return `F.leaky_relu(${x}, 0.2)`;
    case 'elu':
      return `F.elu(${x}, 1.0)`;
    case 'gelu':
      return `F.gelu(${x}, approximate="tanh")`;
    case 'sigmoid':
      return `torch.sigmoid(${x})`;
    case 'tanh':
      return `torch.tanh(${x})`;
    case 'softplus':
      return `F.softplus(${x})`;
    case 'softmax':
      return `F.softmax(${x}, dim=${softmaxDim})`;
    default:
      return name satisfies never;
  }
}

/** F.pad's (left, right, top, bottom) from Wiregrad's [top, bottom, left, right], or null when there is none. */
function padArg([top, bottom, left, right]: readonly number[]): string | null {
  return top || bottom || left || right ? `(${left}, ${right}, ${top}, ${bottom})` : null;
}

const same = (c: NodeContext, f: (x: string, v: PyVal) => string): { expr: string; layout: Layout } => {
  const x = c.one('x');
  return { expr: f(x.expr, x), layout: x.layout };
};

/** Values combined elementwise: in NCHW when all of them are, else in NHWC. */
function common(xs: readonly PyVal[]): { exprs: string[]; layout: Layout } {
  if (xs.every((x) => x.layout === 'nchw')) return { exprs: xs.map((x) => x.expr), layout: 'nchw' };
  return { exprs: xs.map(nhwc), layout: 'nhwc' };
}

/** torch.nn.RNN/LSTM/GRU, one layer, batch_first: Wiregrad's weights are torch's (weight_ih_l0, …) one-to-one. */
function recurrent(kind: 'RNN' | 'LSTM' | 'GRU'): Emitter {
  return (c) => {
    const x = c.one('x');
    const relu = kind === 'RNN' && c.p.activation === 'relu' ? ', nonlinearity="relu"' : '';
    const self = c.module(`nn.${kind}(${x.type.shape[2]}, ${c.p.units}, batch_first=True, bias=${c.p.useBias ? 'True' : 'False'}${relu})`);
    for (const w of ['weight_ih', 'weight_hh', ...(c.p.useBias ? ['bias_ih', 'bias_hh'] : [])]) c.weight(w, `${w}_l0`);
    return { expr: `${self}(${nhwc(x)})[0]${c.p.returnSequences ? '' : '[:, -1]'}`, layout: 'nhwc' };
  };
}

const EMITTERS: Readonly<Record<string, Emitter>> = {
  Dense: (c) => {
    const x = c.one('x');
    const inDim = x.type.shape[x.type.shape.length - 1]!;
    const self = c.module(`nn.Linear(${inDim}, ${c.p.units}, bias=${c.p.useBias ? 'True' : 'False'})`);
    c.weight('kernel', 'weight', 'transpose');
    if (c.p.useBias) c.weight('bias', 'bias');
    return { expr: activation(`${self}(${nhwc(x)})`, c.p.activation, -1), layout: 'nhwc' };
  },
  Conv2D: (c) => {
    const x = c.one('x');
    const s = x.type.shape;
    const pads = windowPadding(c.p.padding, s.slice(1, 3), c.p.kernelSize, c.p.strides, c.p.dilation);
    // TensorFlow's 'same' padding may put the odd pixel after: Conv2d pads only symmetric amounts, F.pad the rest.
    const [top, bottom, left, right] = pads;
    const symmetric = top === bottom && left === right;
    const self = c.module(
      `nn.Conv2d(${s[3]}, ${c.p.filters}, kernel_size=${pyTuple(c.p.kernelSize)}, stride=${pyTuple(c.p.strides)}, ` +
        `padding=${symmetric ? pyTuple([top, left]) : '0'}, dilation=${pyTuple(c.p.dilation)}, groups=${c.p.groups}, bias=${c.p.useBias ? 'True' : 'False'})`,
    );
    c.weight('kernel', 'weight', 'hwio_to_oihw');
    if (c.p.useBias) c.weight('bias', 'bias');
    const pad = symmetric ? null : padArg(pads);
    const input = pad ? `F.pad(${nchw(x, c.id)}, ${pad})` : nchw(x, c.id);
    return { expr: activation(`${self}(${input})`, c.p.activation, 1), layout: 'nchw' };
  },
  MaxPool2D: (c) => {
    const x = c.one('x');
    const stride: number[] = c.p.strides ?? c.p.poolSize;
    const pad = padArg(windowPadding(c.p.padding, x.type.shape.slice(1, 3), c.p.poolSize, stride));
    const self = c.module(`nn.MaxPool2d(${pyTuple(c.p.poolSize)}, stride=${pyTuple(stride)})`);
    return { expr: `${self}(${pad ? `F.pad(${nchw(x, c.id)}, ${pad}, value=float("-inf"))` : nchw(x, c.id)})`, layout: 'nchw' };
  },
  AvgPool2D: (c) => {
    const x = c.one('x');
    const stride: number[] = c.p.strides ?? c.p.poolSize;
    const pad = padArg(windowPadding(c.p.padding, x.type.shape.slice(1, 3), c.p.poolSize, stride));
    const self = c.module(`nn.AvgPool2d(${pyTuple(c.p.poolSize)}, stride=${pyTuple(stride)})`);
    const input = nchw(x, c.id);
    if (!pad) return { expr: `${self}(${input})`, layout: 'nchw' };
    // Wiregrad's average leaves padding out (TensorFlow's): divide by the share of real pixels.
    return { expr: `${self}(F.pad(${input}, ${pad})) / ${self}(F.pad(torch.ones_like(${input}[:, :1]), ${pad}))`, layout: 'nchw' };
  },
  // NHWC order, so a Dense after it keeps Wiregrad's kernel.
  Flatten: (c) => ({ expr: `torch.flatten(${nhwc(c.one('x'))}, 1)`, layout: 'nhwc' }),
  Reshape: (c) => ({ expr: `${nhwc(c.one('x'))}.reshape(-1, ${c.p.targetShape.join(', ')})`, layout: 'nhwc' }),
  Dropout: (c) => {
    const self = c.module(`nn.Dropout(${pyFloat(c.p.rate)})`);
    return same(c, (x) => `${self}(${x})`);
  },
  BatchNorm: (c) => {
    const x = c.one('x');
    const rank = x.type.shape.length;
    const axis = normAxis(c.p.axis, rank);
    const ch = x.type.shape[axis]!;
    // Wiregrad's BatchNorm is PyTorch's: the same momentum convention and running-variance update.
    const args = `${ch}, eps=${pyFloat(c.p.epsilon)}, momentum=${pyFloat(c.p.momentum)}`;
    c.weight('gamma', 'weight');
    c.weight('beta', 'bias');
    c.weight('moving_mean', 'running_mean');
    c.weight('moving_variance', 'running_var');
    if (rank === 4 && axis === 3) {
      const self = c.module(`nn.BatchNorm2d(${args})`);
      return { expr: `${self}(${nchw(x, c.id)})`, layout: 'nchw' };
    }
    const kind = rank <= 3 ? '1d' : rank === 4 ? '2d' : rank === 5 ? '3d' : null;
    if (!kind || rank < 2) throw new ExportError(`BatchNorm on a rank ${rank} value has no PyTorch form here`, c.id);
    const self = c.module(`nn.BatchNorm${kind}(${args})`);
    const input = nhwc(x);
    if (axis === 1) return { expr: `${self}(${input})`, layout: 'nhwc' };
    // PyTorch normalises along dim 1: move the channel axis there and back.
    return { expr: `${self}(${input}.movedim(${axis}, 1)).movedim(1, ${axis})`, layout: 'nhwc' };
  },
  LayerNorm: (c) => {
    const x = c.one('x');
    const self = c.module(`nn.LayerNorm(${x.type.shape[x.type.shape.length - 1]}, eps=${pyFloat(c.p.epsilon)})`);
    c.weight('gamma', 'weight');
    c.weight('beta', 'bias');
    return { expr: `${self}(${nhwc(x)})`, layout: 'nhwc' };
  },
  Embedding: (c) => {
    const self = c.module(`nn.Embedding(${c.p.inputDim}, ${c.p.outputDim})`);
    c.weight('embeddings', 'weight');
    return { expr: `${self}(${nhwc(c.one('x'))}.long())`, layout: 'nhwc' };
  },
  RNN: recurrent('RNN'),
  LSTM: recurrent('LSTM'),
  GRU: recurrent('GRU'),
  Conv1D: (c) => {
    const x = c.one('x');
    const s = x.type.shape;
    const [left, right] = timePadding(c.p.padding, s[1]!, c.p.kernelSize, c.p.strides, c.p.dilation);
    const self = c.module(
      `nn.Conv1d(${s[2]}, ${c.p.filters}, kernel_size=${c.p.kernelSize}, stride=${c.p.strides}, padding=${left === right ? left : 0}, ` +
        `dilation=${c.p.dilation}, groups=${c.p.groups}, bias=${c.p.useBias ? 'True' : 'False'})`,
    );
    c.weight('kernel', 'weight', 'kio_to_oik');
    if (c.p.useBias) c.weight('bias', 'bias');
    // [batch, time, channels] → torch's [batch, channels, time] and back; TensorFlow's odd 'same' step goes after (F.pad).
    const input = `${nhwc(x)}.transpose(1, 2).contiguous()`;
    return {
      expr: activation(`${self}(${left === right ? input : `F.pad(${input}, (${left}, ${right}))`}).transpose(1, 2)`, c.p.activation, -1),
      layout: 'nhwc',
    };
  },
  GlobalAveragePool1D: (c) => ({ expr: `${nhwc(c.one('x'))}.mean(dim=1)`, layout: 'nhwc' }),
  Activation: (c) => same(c, (x, v) => activation(x, c.p.activation, dimOf(v, -1))),
  ReLU: (c) => same(c, (x) => `F.relu(${x})`),
  LeakyReLU: (c) => same(c, (x) => `F.leaky_relu(${x}, ${pyFloat(c.p.alpha)})`),
  ELU: (c) => same(c, (x) => `F.elu(${x}, ${pyFloat(c.p.alpha)})`),
  GELU: (c) => same(c, (x) => `F.gelu(${x}, approximate="tanh")`),
  Sigmoid: (c) => same(c, (x) => `torch.sigmoid(${x})`),
  Tanh: (c) => same(c, (x) => `torch.tanh(${x})`),
  Softplus: (c) => same(c, (x) => `F.softplus(${x})`),
  Softmax: (c) => same(c, (x, v) => `F.softmax(${x}, dim=${dimOf(v, c.p.axis)})`),
  LogSoftmax: (c) => same(c, (x, v) => `F.log_softmax(${x}, dim=${dimOf(v, c.p.axis)})`),
  Add: (c) => {
    const { exprs, layout } = common(c.many('inputs'));
    return { expr: exprs.join(' + '), layout };
  },
  Concat: (c) => {
    const xs = c.many('inputs');
    const { exprs, layout } = common(xs);
    const a = normAxis(c.p.axis, c.out.shape.length);
    return { expr: `torch.cat([${exprs.join(', ')}], dim=${layout === 'nchw' ? TO_NCHW.indexOf(a) : a})`, layout };
  },
};

/** Node types model.py can hold (Input nodes become forward()'s inputs). */
export const PYTORCH_NODE_TYPES: ReadonlySet<string> = new Set(['Input', ...Object.keys(EMITTERS)]);

/** Losses train.py knows. */
export const PYTORCH_LOSSES: ReadonlySet<string> = new Set(['MSELoss', 'SumSquaresLoss', 'L1Loss', 'SoftmaxCrossEntropy', 'BinaryCrossEntropy']);

/** The Python that model.py always carries: safetensors without the safetensors package, and the weight mapping. */
const RUNTIME = `
# safetensors, read and written with the standard library (Debian has no python3-safetensors):
# an 8-byte little-endian header length, a JSON header, then the raw little-endian tensors.
DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64,
          "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8, "BOOL": torch.bool}


def read_safetensors(path):
    """Every tensor of a safetensors file, by name."""
    with open(path, "rb") as f:
        data = f.read()
    (size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + size])
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        dtype = DTYPES[info["dtype"]]
        raw = bytearray(data[8 + size + start:8 + size + end])
        flat = torch.frombuffer(raw, dtype=dtype) if raw else torch.empty(0, dtype=dtype)
        tensors[name] = flat.reshape(info["shape"])
    return tensors


def write_safetensors(path, tensors, metadata=None):
    """Write tensors (float32, int32 or int64) as a safetensors file."""
    names = {torch.float32: "F32", torch.float64: "F64", torch.int32: "I32", torch.int64: "I64"}
    header = {"__metadata__": metadata} if metadata else {}
    chunks, offset = [], 0
    for name, tensor in tensors.items():
        raw = tensor.detach().cpu().contiguous().numpy().tobytes()
        header[name] = {"dtype": names[tensor.dtype], "shape": list(tensor.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


# Wiregrad kernels are Keras-shaped: Dense [in, out] (torch: [out, in]), Conv2D HWIO (torch: OIHW),
# Conv1D [k, in, out] (torch: [out, in, k]); recurrent weights are torch's already.
TO_TORCH = {"same": lambda t: t, "transpose": lambda t: t.t(), "hwio_to_oihw": lambda t: t.permute(3, 2, 0, 1), "kio_to_oik": lambda t: t.permute(2, 1, 0)}
FROM_TORCH = {"same": lambda t: t, "transpose": lambda t: t.t(), "hwio_to_oihw": lambda t: t.permute(2, 3, 1, 0), "kio_to_oik": lambda t: t.permute(2, 1, 0)}


def load_wiregrad_weights(model, path):
    """Copy Wiregrad's weights (safetensors, tensors named <node>.<param>) into the model."""
    tensors = read_safetensors(path)
    state = model.state_dict()
    missing = [name for name in WEIGHTS if name not in tensors]
    if missing:
        raise KeyError(f"{path} lacks {', '.join(missing)}")
    with torch.no_grad():
        for name, (key, conversion) in WEIGHTS.items():
            value = TO_TORCH[conversion](tensors[name].float())
            if tuple(value.shape) != tuple(state[key].shape):
                raise ValueError(f"{name}: shape {list(value.shape)} does not fit {key} {list(state[key].shape)}")
            state[key].copy_(value)
    return model


def wiregrad_weights(model):
    """The model's weights named and shaped as Wiregrad writes them."""
    state = model.state_dict()
    return {name: FROM_TORCH[conversion](state[key].detach()).contiguous() for name, (key, conversion) in WEIGHTS.items()}
`;

/** Every node's output types in the inference graph. */
function inferTypes(doc: GraphDocument) {
  return lowerDocument(
    doc,
    {
      emitter: typeEmitter,
      input: (_field, shape, dtype) => ({ shape, dtype }),
      variable: (_name, req) => ({ shape: req.shape, dtype: 'f32' as const }),
      counter: () => ({ shape: [], dtype: 'i32' as const }),
    },
    { training: false, batchSize: doc.training.batchSize, seed: doc.training.seed },
  );
}

/**
 * model.py for the document, and what train.py needs to know about it. Throws ExportError for an
 * invalid document or a node without a PyTorch form, naming the node.
 */
export function modelPy(doc: GraphDocument): ModelInfo {
  const { errors } = validateDocument(doc, { requireLoss: false });
  if (errors.length) throw new ExportError(`the graph has errors: ${errors.map((e) => e.message).join('; ')}`, errors[0]!.node);
  const lowered = inferTypes(doc);
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const label = (id: string) => `node ${nodeName(byId.get(id)!)} (${byId.get(id)!.type})`;
  const edgesIn = incoming(doc);
  const order = topologicalOrder(doc);
  const from = (id: string, port: string) => (edgesIn.get(id)?.get(port) ?? []).map((e) => e.from.node);

  // Losses and metrics, and whatever reads one, exist only for training.
  const trainingOnly = new Set<string>();
  for (const id of order) {
    const spec = getNodeSpec(byId.get(id)!.type)!;
    const reads = [...(edgesIn.get(id)?.values() ?? [])].flat().map((e) => e.from.node);
    if (spec.role === 'loss' || spec.role === 'metric' || reads.some((r) => trainingOnly.has(r))) trainingOnly.add(id);
  }
  const lossNodes = order.filter((id) => getNodeSpec(byId.get(id)!.type)!.role === 'loss');
  for (const id of lossNodes) {
    if (!PYTORCH_LOSSES.has(byId.get(id)!.type)) throw new ExportError(`${label(id)} has no PyTorch form`, id);
    if (trainingOnly.has(from(id, 'pred')[0]!)) throw new ExportError(`${label(id)} reads another loss or metric, which train.py cannot`, id);
    if (byId.get(from(id, 'target')[0]!)?.type !== 'Input')
      throw new ExportError(`${label(id)}: train.py takes targets only straight from a dataset field`, id);
  }
  const consumers = new Set(doc.edges.filter((e) => !trainingOnly.has(e.to.node)).map((e) => e.from.node));
  const lossPreds = new Set(lossNodes.map((id) => from(id, 'pred')[0]!));
  const outputs = order.filter((id) => !trainingOnly.has(id) && byId.get(id)!.type !== 'Input' && (!consumers.has(id) || lossPreds.has(id)));
  if (!outputs.length) throw new ExportError('the graph has no output to export: every node feeds a loss or metric, or nothing');

  const needed = new Set<string>();
  const stack = [...outputs];
  while (stack.length) {
    const id = stack.pop()!;
    if (needed.has(id)) continue;
    needed.add(id);
    for (const edges of edgesIn.get(id)?.values() ?? []) for (const e of edges) stack.push(e.from.node);
  }
  for (const id of order) {
    if (needed.has(id) && !PYTORCH_NODE_TYPES.has(byId.get(id)!.type)) throw new ExportError(`${label(id)} has no PyTorch form`, id);
  }

  const names = new Identifiers();
  const init: string[] = [];
  const body: string[] = [];
  const weights: TorchWeight[] = [];
  const values = new Map<string, PyVal>();
  const inputs: { field: string; dtype: DType }[] = [];
  for (const id of order) {
    if (!needed.has(id)) continue;
    const node = byId.get(id)!;
    const spec = getNodeSpec(node.type)!;
    const out = lowered.outputs.get(id)?.[spec.outputs[0]!.name];
    if (spec.outputs.length !== 1 || !out) throw new ExportError(`${label(id)} has no PyTorch form`, id);
    const name = names.of(id);
    if (node.type === 'Input') {
      const field = node.params.field as string;
      if (!inputs.some((i) => i.field === field)) inputs.push({ field, dtype: out.dtype });
      body.push(`${name} = inputs[${pyStr(field)}]`);
      values.set(id, { expr: name, type: out, layout: 'nhwc' });
      continue;
    }
    const c: NodeContext = {
      id,
      name,
      out,
      p: spec.params.parse(node.params),
      one: (port) => values.get(from(id, port)[0]!)!,
      many: (port) => from(id, port).map((n) => values.get(n)!),
      module(code) {
        init.push(`self.${name} = ${code}`);
        return `self.${name}`;
      },
      init: (line) => init.push(line),
      weight(param, key, conversion = 'same') {
        if (!lowered.variables.some((v) => v.name === `${id}/${param}`)) throw new ExportError(`${label(id)} has no variable ${param}`, id);
        weights.push({ tensor: `${id}.${param}`, key: `${name}.${key}`, conversion });
      },
    };
    let made: { expr: string; layout: Layout };
    const weightsBefore = weights.length;
    try {
      made = EMITTERS[node.type]!(c);
    } catch (e) {
      if (e instanceof ExportError) throw e;
      throw new ExportError(`${label(id)}: ${e instanceof Error ? e.message : String(e)}`, id);
    }
    // Parameters only: a frozen BatchNorm's running statistics (buffers) still update in train mode, as in Wiregrad.
    if (isFrozen(node) && weights.length > weightsBefore) init.push(`self.${name}.requires_grad_(False)  # Trainable is off in Wiregrad`);
    body.push(`${name} = ${made.expr}${made.layout === 'nchw' ? '  # NCHW' : ''}`);
    values.set(id, { expr: name, type: out, layout: made.layout });
  }
  const returned = outputs.map((id) => nhwc(values.get(id)!));
  body.push(`return ${returned.join(', ')}`);

  const lossField = (id: string) => byId.get(from(id, 'target')[0]!)!.params.field as string;
  const losses: LossInfo[] = lossNodes.map((id) => ({
    node: id,
    type: byId.get(id)!.type,
    params: getNodeSpec(byId.get(id)!.type)!.params.parse(byId.get(id)!.params) as Record<string, unknown>,
    pred: outputs.indexOf(from(id, 'pred')[0]!),
    targetField: lossField(id),
  }));
  const fields = [...inputs];
  for (const id of lossNodes) {
    const field = lossField(id);
    if (!fields.some((f) => f.field === field)) fields.push({ field, dtype: lowered.outputs.get(from(id, 'target')[0]!)!.y!.dtype });
  }

  const renamed = names.renamed();
  const lines = [
    `"""${pyComment(doc.meta.name || 'Wiregrad model')}: exported from Wiregrad as a PyTorch module.`,
    '',
    `Inputs (dataset fields, NHWC images as in Wiregrad): ${inputs.map((i) => `${i.field} (${i.dtype})`).join(', ')}.`,
    `Outputs, in order: ${outputs.join(', ')}.`,
    'Load trained weights with load_wiregrad_weights(Model(), "weights.safetensors").',
    '"""',
    'import json',
    'import struct',
    '',
    'import torch',
    'import torch.nn.functional as F',
    'from torch import nn',
    '',
    ...(renamed.length
      ? ['# Node ids that are not Python identifiers, and their names here:', ...renamed.map(([n, i]) => `#   ${pyComment(n)} -> ${i}`), '']
      : []),
    `INPUTS = {${inputs.map((i) => `${pyStr(i.field)}: ${pyStr(i.dtype)}`).join(', ')}}`,
    `OUTPUTS = [${outputs.map(pyStr).join(', ')}]`,
    "# Wiregrad tensor name -> (state_dict key, conversion from Wiregrad's layout)",
    'WEIGHTS = {',
    ...weights.map((w) => `    ${pyStr(w.tensor)}: (${pyStr(w.key)}, ${pyStr(w.conversion)}),`),
    '}',
    '',
    '',
    'class Model(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    ...init.map((l) => `        ${l}`),
    '',
    '    def forward(self, **inputs):',
    ...body.map((l) => `        ${l}`),
    '',
    RUNTIME,
  ];
  return { source: lines.join('\n'), inputs, outputs, weights, losses, fields };
}
