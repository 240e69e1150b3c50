/** Documents the ONNX tests export: together they hold every node type that has an ONNX form. */
import type { GraphDocument } from '../../graph/document';
import { makeDoc } from '../../testing/docs';

/** Convolutions, batch norm, pooling, softmax over channels and a residual sum: everything with a layout. */
export const convStackDoc = (): GraphDocument =>
  makeDoc(
    [
      ['image', 'Input', { field: 'x', shape: [9, 8, 3] }],
      ['conv1', 'Conv2D', { filters: 4, kernelSize: [3, 2], strides: [2, 1], padding: 'same', activation: 'elu' }],
      ['bn1', 'BatchNorm', { epsilon: 0.01 }],
      ['gelu', 'GELU', {}],
      ['conv2', 'Conv2D', { filters: 4, kernelSize: 3, padding: 'same', dilation: 2, groups: 2, activation: 'leaky_relu' }],
      ['res', 'Add', {}],
      ['drop', 'Dropout', { rate: 0.3 }],
      ['avg', 'AvgPool2D', { poolSize: 3, strides: 2, padding: 'same' }],
      ['max', 'MaxPool2D', { poolSize: [2, 1], padding: 'same' }],
      ['soft', 'Softmax', { axis: -1 }],
      ['flat', 'Flatten', {}],
      ['out', 'Dense', { units: 3, activation: 'sigmoid' }],
      ['y', 'Input', { field: 'y', shape: [3] }],
      ['loss', 'MSELoss', {}],
    ],
    ['image.y -> conv1.x', 'conv1.y -> bn1.x', 'bn1.y -> gelu.x', 'gelu.y -> conv2.x', 'conv2.y -> res.inputs', 'gelu.y -> res.inputs', 'res.y -> drop.x', 'drop.y -> avg.x', 'avg.y -> max.x', 'max.y -> soft.x', 'soft.y -> flat.x', 'flat.y -> out.x', 'out.y -> loss.pred', 'y.y -> loss.target'],
    { dataset: { kind: 'random', inputShape: [9, 8, 3], targetShape: [3] } },
  );

/** Embeddings, layer norm, Dense on rank 3, batch norm on other axes, reshapes. */
export const sequenceDoc = (): GraphDocument =>
  makeDoc(
    [
      ['tokens', 'Input', { field: 'tokens', shape: [5], dtype: 'i32' }],
      ['emb', 'Embedding', { inputDim: 7, outputDim: 6 }],
      ['ln', 'LayerNorm', {}],
      ['d1', 'Dense', { units: 4, activation: 'gelu' }],
      ['bn_seq', 'BatchNorm', { axis: 1 }],
      ['bn_last', 'BatchNorm', { axis: -1 }],
      ['reshape', 'Reshape', { targetShape: [2, -1] }],
      ['logsm', 'LogSoftmax', { axis: 1 }],
      ['flat', 'Flatten', {}],
      ['bn_vec', 'BatchNorm', {}],
      ['d2', 'Dense', { units: 2, activation: 'softplus', useBias: false }],
      ['act', 'Activation', { activation: 'softmax' }],
      ['y', 'Input', { field: 'y', shape: [2] }],
      ['loss', 'MSELoss', {}],
    ],
    ['tokens.y -> emb.x', 'emb.y -> ln.x', 'ln.y -> d1.x', 'd1.y -> bn_seq.x', 'bn_seq.y -> bn_last.x', 'bn_last.y -> reshape.x', 'reshape.y -> logsm.x', 'logsm.y -> flat.x', 'flat.y -> bn_vec.x', 'bn_vec.y -> d2.x', 'd2.y -> act.x', 'act.y -> loss.pred', 'y.y -> loss.target'],
    { dataset: { kind: 'random', inputShape: [5], targetShape: [2] } },
  );

/** Raw ops; its interesting values are the outputs RAW_OPS_OUTPUTS. */
export const rawOpsDoc = (): GraphDocument =>
  makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [4, 3] }],
      ['w', 'Parameter', { shape: [5, 3] }],
      ['mm', 'matmul', { transB: true }],
      ['c', 'Constant', { shape: [5], values: [1, -2, 0.5, 3, 0] }],
      ['plus', 'add', {}],
      ['sq', 'square', {}],
      ['root', 'sqrt', {}],
      ['e', 'exp', {}],
      ['sm', 'sum', { axes: [2], keepdims: true }],
      ['big', 'greater', {}],
      ['pick', 'where', {}],
      ['neg', 'neg', {}],
      ['ab', 'abs', {}],
      ['lg', 'log', {}],
      ['mx', 'max', { axes: [1] }],
      ['mn', 'mean', { axes: [1] }],
      ['mall', 'mean', {}],
      ['tr', 'transpose', { perm: [0, 2, 1] }],
      ['sl', 'slice', { begin: [0, 1, 1], size: [-1, 3, 2] }],
      ['rs', 'reshape', { shape: [3, 6] }],
      ['rsn', 'neg', {}],
      ['cat', 'concat', { axis: 1 }],
      ['am', 'argmax', { axis: -1 }],
      ['oh', 'one_hot', { depth: 12 }],
      ['e2', 'exp', {}],
      ['mul2', 'mul', {}],
      ['mini', 'minimum', {}],
      ['dv', 'div', {}],
      ['stop', 'stop_gradient', {}],
      ['y', 'Input', { field: 'y', shape: [] }],
      ['loss', 'MSELoss', {}],
    ],
    [
      'x.y -> mm.a', 'w.y -> mm.b', 'mm.y -> plus.a', 'c.y -> plus.b', 'plus.y -> sq.x', 'sq.y -> root.x', 'plus.y -> e.x',
      'e.y -> sm.x', 'plus.y -> big.a', 'c.y -> big.b', 'big.y -> pick.condition', 'e.y -> pick.a', 'plus.y -> pick.b',
      'pick.y -> neg.x', 'neg.y -> ab.x', 'ab.y -> lg.x', 'lg.y -> mx.x', 'root.y -> tr.x', 'tr.y -> sl.x', 'sl.y -> rs.x',
      'rs.y -> rsn.x', 'rs.y -> cat.inputs', 'rsn.y -> cat.inputs', 'cat.y -> am.x', 'am.y -> oh.x', 'oh.y -> mul2.a', 'cat.y -> mul2.b',
      'mul2.y -> mini.a', 'cat.y -> mini.b', 'cat.y -> e2.x', 'mini.y -> dv.a', 'e2.y -> dv.b', 'dv.y -> stop.x', 'mx.y -> mn.x', 'lg.y -> mall.x',
      'mn.y -> loss.pred', 'y.y -> loss.target',
    ],
    { dataset: { kind: 'random', inputShape: [4, 3], targetShape: [] }, batchSize: 3 },
  );

export const RAW_OPS_OUTPUTS = ['mx', 'mn', 'mall', 'stop', 'oh', 'am', 'sm'];

/** Recurrent layers (every cell, both outputs, with and without biases), Conv1D and global average pooling over time. */
export const recurrentDoc = (): GraphDocument =>
  makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [6, 3] }],
      ['conv', 'Conv1D', { filters: 4, kernelSize: 3, strides: 2, dilation: 1, padding: 'same', activation: 'relu' }],
      ['lstm', 'LSTM', { units: 5 }],
      ['gru', 'GRU', { units: 4, useBias: false }],
      ['rnn', 'RNN', { units: 3, activation: 'relu' }],
      ['grouped', 'Conv1D', { filters: 6, kernelSize: 2, dilation: 2, groups: 3, padding: 'valid', useBias: false }],
      ['pool', 'GlobalAveragePool1D', {}],
      ['lstm_last', 'LSTM', { units: 2, returnSequences: false }],
      ['gru_last', 'GRU', { units: 2, returnSequences: false }],
      ['rnn_last', 'RNN', { units: 2, returnSequences: false, useBias: false }],
      ['cat', 'Concat', { axis: -1 }],
      ['y', 'Input', { field: 'y', shape: [12] }],
      ['loss', 'MSELoss', {}],
    ],
    [
      'x.y -> conv.x', 'conv.y -> lstm.x', 'lstm.y -> gru.x', 'gru.y -> rnn.x', 'rnn.y -> grouped.x', 'grouped.y -> pool.x',
      'x.y -> lstm_last.x', 'x.y -> gru_last.x', 'x.y -> rnn_last.x',
      'pool.y -> cat.inputs', 'lstm_last.y -> cat.inputs', 'gru_last.y -> cat.inputs', 'rnn_last.y -> cat.inputs', 'cat.y -> loss.pred', 'y.y -> loss.target',
    ],
    { dataset: { kind: 'random', inputShape: [6, 3], targetShape: [12] }, batchSize: 3 },
  );
