/**
 * ONNX export of the sequence layers: Embedding → Gather, RNN / LSTM / GRU → ONNX's ops of those
 * names (gates reordered from PyTorch's), Conv1D → Conv over [batch, channels, time], pooling over time.
 */
import { timePadding } from '../../graph/nodes/conv1d';
import { AttributeType } from './proto';
import { activation, attrInt, attrInts, val, type Emitter } from './exportGraph';

/** Rows of a [G·H, K] gate matrix (or a [G·H] bias) with its G blocks of H reordered: block k of the result is block order[k]. */
function reorderGates(order: readonly number[], h: number, k: number): (data: ArrayLike<number>) => Float32Array {
  return (data) => {
    const out = new Float32Array(data.length);
    order.forEach((from, to) =>
      out.set(
        Array.from({ length: h * k }, (_v, i) => data[from * h * k + i]!),
        to * h * k,
      ),
    );
    return out;
  };
}

/**
 * ONNX's gate order from PyTorch's (Wiregrad's): LSTM i,f,g,o → i,o,f,c; GRU r,z,n → z,r,h
 * (with linear_before_reset = 1, PyTorch's placement of b_hn); RNN has one gate.
 */
const ONNX_GATES: Readonly<Record<'RNN' | 'LSTM' | 'GRU', readonly number[]>> = { RNN: [0], LSTM: [0, 3, 1, 2], GRU: [1, 0, 2] };

/** RNN, LSTM, GRU as ONNX's ops of those names (sequence-first, so a Transpose in and out). */
function recurrent(kind: 'RNN' | 'LSTM' | 'GRU'): Emitter {
  return (c) => {
    const { g } = c;
    const x = c.one('x');
    const [, time, features] = x.type.shape as [number, number, number];
    const h: number = c.p.units;
    const order = ONNX_GATES[kind];
    const gh = order.length * h;
    const w = c.weight('weight_ih', { dims: [1, gh, features], permute: reorderGates(order, h, features) });
    const r = c.weight('weight_hh', { dims: [1, gh, h], permute: reorderGates(order, h, h) });
    const inputs = [g.op('Transpose', [g.nhwc(x)], [attrInts('perm', [1, 0, 2])]), w, r];
    if (c.p.useBias) {
      const bias = (name: string) => c.weight(name, { dims: [1, gh], permute: reorderGates(order, h, 1) });
      inputs.push(g.op('Concat', [bias('bias_ih'), bias('bias_hh')], [attrInt('axis', 1)]));
    }
    const attrs = [attrInt('hidden_size', h)];
    if (kind === 'GRU') attrs.push(attrInt('linear_before_reset', 1));
    if (kind === 'RNN')
      attrs.push({ name: 'activations', type: AttributeType.STRINGS, strings: [new TextEncoder().encode(c.p.activation === 'relu' ? 'Relu' : 'Tanh')] });
    const y = g.op(kind, inputs, attrs); // Y: [time, directions = 1, batch, units]
    if (c.p.returnSequences) {
      const seq = g.op('Squeeze', [y, g.init(`${c.id}/axes`, [1], 'i64', [1])]);
      return val(c, g.op('Transpose', [seq], [attrInts('perm', [1, 0, 2])]), 'nhwc');
    }
    const last = g.op('Gather', [y, g.init(`${c.id}/last`, [], 'i64', [time - 1])], [attrInt('axis', 0)]);
    return val(c, g.op('Squeeze', [last, g.init(`${c.id}/axes`, [1], 'i64', [0])]), 'nhwc');
  };
}

export const SEQUENCE_EMITTERS: Readonly<Record<string, Emitter>> = {
  Embedding: (c) => val(c, c.g.op('Gather', [c.weight('embeddings'), c.g.nhwc(c.one('x'))], [attrInt('axis', 0)]), 'nhwc'),
  RNN: recurrent('RNN'),
  LSTM: recurrent('LSTM'),
  GRU: recurrent('GRU'),
  Conv1D: (c) => {
    const x = c.one('x');
    const [k, ci, co] = c.weightShape('kernel') as [number, number, number];
    // [k, C/groups, filters] (Keras) → [filters, C/groups, k] (ONNX's Conv over [batch, channels, time]).
    const kernel = c.weight('kernel', {
      dims: [co, ci, k],
      permute: (data) =>
        Float32Array.from({ length: data.length }, (_v, i) => data[(i % k) * ci * co + (Math.floor(i / k) % ci) * co + Math.floor(i / (k * ci))]!),
    });
    const [left, right] = timePadding(c.p.padding, x.type.shape[1]!, k, c.p.strides, c.p.dilation);
    const input = c.g.op('Transpose', [c.g.nhwc(x)], [attrInts('perm', [0, 2, 1])]);
    const y = c.g.op(
      'Conv',
      [input, kernel, ...(c.p.useBias ? [c.weight('bias')] : [])],
      [
        attrInts('kernel_shape', [k]),
        attrInts('strides', [c.p.strides]),
        attrInts('dilations', [c.p.dilation]),
        attrInts('pads', [left, right]),
        attrInt('group', c.p.groups),
      ],
    );
    const back = val(c, c.g.op('Transpose', [y], [attrInts('perm', [0, 2, 1])]), 'nhwc');
    return activation(c, back, c.p.activation);
  },
  GlobalAveragePool1D: (c) => val(c, c.g.op('ReduceMean', [c.g.nhwc(c.one('x'))], [attrInts('axes', [1]), attrInt('keepdims', 0)]), 'nhwc'),
};
