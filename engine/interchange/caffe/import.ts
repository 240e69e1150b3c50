/**
 * Caffe import: a .prototxt net definition (architecture only) as a document. The TRAIN phase's
 * layers are read (layers `include`d only in TEST are left out); blobs wire layers by name, and a
 * layer whose top is its bottom (ReLU in place) takes the blob over. Caffe is NCHW and Wiregrad
 * NHWC: without weights the order of axes does not matter, so images come in as [height, width,
 * channels] and InnerProduct gets a Flatten in front of an image, as Caffe flattens implicitly.
 *
 * Layers: Input / Data / MemoryData (and the old top-level `input:` + `input_shape`), InnerProduct,
 * Convolution, Pooling, ReLU, Sigmoid, TanH, Softmax, SoftmaxWithLoss, Accuracy, Dropout,
 * BatchNorm (+ the Scale that follows it), Eltwise, Concat, Flatten. Anything else is named, with its
 * layer, in one ImportError; a problem in a layer names the layer and its line.
 */
import type { GraphDocument } from '../../graph/document';
import { DocumentBuilder, ImportError, listByKind } from '../importDocument';
import { parseTextFormat, TextMessage, type Scalar } from './prototxt';

/** A blob: the node and port that make it, and its shape without the batch (NHWC for images). */
interface Blob {
  readonly node: string;
  readonly port: string;
  readonly shape: readonly number[];
}

interface Layer {
  readonly msg: TextMessage;
  readonly name: string;
  readonly type: string;
  readonly bottoms: string[];
  readonly tops: string[];
}

const SUPPORTED = new Set([
  'Input',
  'Data',
  'MemoryData',
  'InnerProduct',
  'Convolution',
  'Pooling',
  'ReLU',
  'Sigmoid',
  'TanH',
  'Softmax',
  'SoftmaxWithLoss',
  'Accuracy',
  'Dropout',
  'BatchNorm',
  'Scale',
  'Eltwise',
  'Concat',
  'Flatten',
]);
/** Layer types of the old (V1) format: `layers { type: CONVOLUTION }`. */
const V1: Readonly<Record<string, string>> = {
  DATA: 'Data',
  MEMORY_DATA: 'MemoryData',
  INNER_PRODUCT: 'InnerProduct',
  CONVOLUTION: 'Convolution',
  POOLING: 'Pooling',
  RELU: 'ReLU',
  SIGMOID: 'Sigmoid',
  TANH: 'TanH',
  SOFTMAX: 'Softmax',
  SOFTMAX_LOSS: 'SoftmaxWithLoss',
  ACCURACY: 'Accuracy',
  DROPOUT: 'Dropout',
  ELTWISE: 'Eltwise',
  CONCAT: 'Concat',
  FLATTEN: 'Flatten',
};

/** MNIST's digits, as Caffe's examples feed them (examples/mnist/*_lmdb). */
const MNIST_SHAPE = [28, 28, 1];

const strings = (vs: (Scalar | TextMessage)[]) => vs.filter((v): v is string => typeof v === 'string');

/** Whether the layer belongs to the TRAIN net (Caffe's include / exclude rules, phase only). */
function inTrain(msg: TextMessage): boolean {
  const phaseOf = (m: TextMessage) => m.get('phase');
  const include = msg.all('include').filter((v): v is TextMessage => v instanceof TextMessage);
  const exclude = msg.all('exclude').filter((v): v is TextMessage => v instanceof TextMessage);
  if (include.length && !include.some((r) => phaseOf(r) === undefined || phaseOf(r) === 'TRAIN')) return false;
  return !exclude.some((r) => phaseOf(r) === 'TRAIN');
}

/** The document of a Caffe .prototxt; throws ImportError naming the layer and line. */
export function importCaffe(text: string, options: { name?: string } = {}): GraphDocument {
  const net = parseTextFormat(text);
  const rawLayers = [...net.all('layer'), ...net.all('layers')];
  const layers: Layer[] = [];
  for (const v of rawLayers) {
    if (!(v instanceof TextMessage)) throw new ImportError('"layer" should be a message { … }');
    if (!inTrain(v)) continue;
    const rawType = v.get('type');
    const type = typeof rawType === 'string' ? (V1[rawType] ?? rawType) : '';
    const name = typeof v.get('name') === 'string' ? (v.get('name') as string) : `${type || 'layer'}@${v.line}`;
    if (!type) throw new ImportError(`line ${v.line}: layer ${JSON.stringify(name)} has no type`, { node: name, line: v.line, column: v.column });
    layers.push({ msg: v, name, type, bottoms: strings(v.all('bottom')), tops: strings(v.all('top')) });
  }
  const unsupported = layers.filter((l) => !SUPPORTED.has(l.type));
  if (unsupported.length) {
    throw new ImportError(`the net uses layer types Wiregrad cannot import: ${listByKind(unsupported.map((l) => ({ kind: l.type, name: l.name })))}`, {
      node: unsupported[0]!.name,
      line: unsupported[0]!.msg.line,
    });
  }

  const b = new DocumentBuilder();
  const blobs = new Map<string, Blob>();
  let dataset: Record<string, unknown> | undefined;
  let fields = 0;
  const input = (blob: string, shape: readonly number[], dtype: 'f32' | 'i32', field?: string): void => {
    const id = b.add(blob, 'Input', { field: field ?? (fields === 0 ? 'x' : blob), shape: [...shape], dtype }, blob);
    fields++;
    blobs.set(blob, { node: id, port: 'y', shape });
  };
  /** NCHW dims (with the batch) → Wiregrad's shape without it. */
  const fromNchw = (dims: number[]) => (dims.length === 4 ? [dims[2]!, dims[3]!, dims[1]!] : dims.slice(1));

  // The old top-level form: input: "data" input_shape { dim: … } (or input_dim: ×4).
  const topInputs = strings(net.all('input'));
  const topShapes = net.all('input_shape').filter((v): v is TextMessage => v instanceof TextMessage);
  const topDims = net.all('input_dim').map(Number);
  topInputs.forEach((blob, i) => {
    const dims = topShapes[i] ? topShapes[i]!.all('dim').map(Number) : topDims.slice(i * 4, i * 4 + 4);
    if (dims.length < 2 || dims.some((d) => !Number.isInteger(d) || d < 1))
      throw new ImportError(`input ${JSON.stringify(blob)} has no usable input_shape / input_dim`, { node: blob });
    input(blob, fromNchw(dims), 'f32');
  });

  for (const l of layers) {
    const p = l.msg;
    const fail = (message: string): never => {
      throw new ImportError(`line ${p.line}: layer ${JSON.stringify(l.name)} (${l.type}): ${message}`, { node: l.name, line: p.line, column: p.column });
    };
    const param = (name: string) => p.message(name) ?? new TextMessage();
    const bottom = (i: number): Blob => {
      const name = l.bottoms[i] ?? fail(`needs bottom #${i + 1}`);
      return blobs.get(name) ?? fail(`reads blob ${JSON.stringify(name)}, which no earlier layer makes`);
    };
    const num = (m: TextMessage, field: string, fallback: number): number => {
      const v = m.get(field);
      if (v === undefined) return fallback;
      if (typeof v !== 'number') fail(`${field} should be a number, not ${JSON.stringify(v)}`);
      return v as number;
    };
    /** kernel_size / stride / pad: one value, two (h, w), or the _h / _w fields. */
    const hw = (m: TextMessage, field: string, fallback: number): [number, number] => {
      const h = m.get(`${field}_h`);
      const w = m.get(`${field}_w`);
      if (typeof h === 'number' && typeof w === 'number') return [h, w];
      const vs = m.all(field).map(Number);
      if (vs.length === 0) return [fallback, fallback];
      if (vs.length === 1) return [vs[0]!, vs[0]!];
      if (vs.length === 2) return [vs[0]!, vs[1]!];
      return fail(`${field} has ${vs.length} values; 2-D layers take one or two`);
    };
    const top = (i = 0) => l.tops[i] ?? fail(`needs top #${i + 1}`);
    const emit = (type: string, params: Record<string, unknown>, wires: readonly (readonly [string, Blob])[], shape: readonly number[], port = 'y'): string => {
      const id = b.add(l.name, type, params, l.name);
      for (const [to, blob] of wires) b.connect(blob.node, id, to, blob.port);
      blobs.set(top(), { node: id, port, shape });
      return id;
    };
    const image = (x: Blob) =>
      x.shape.length === 3 ? x.shape : fail(`needs an image [channels, height, width] but its input has shape [${x.shape.join(', ')}]`);
    /** Caffe's symmetric padding p as Wiregrad's 'valid' (p = 0) or 'same' (stride 1, p = (k − 1) / 2 · dilation). */
    const padding = (pad: [number, number], k: [number, number], stride: [number, number], dilation = 1): 'valid' | 'same' => {
      if (pad[0] === 0 && pad[1] === 0) return 'valid';
      if (stride[0] === 1 && stride[1] === 1 && [0, 1].every((i) => ((k[i]! - 1) * dilation) % 2 === 0 && pad[i] === ((k[i]! - 1) * dilation) / 2))
        return 'same';
      return fail(
        `pad ${pad.join(' × ')} with kernel ${k.join(' × ')} and stride ${stride.join(' × ')} is neither no padding nor "same" padding, the two Wiregrad has`,
      );
    };

    switch (l.type) {
      case 'Input': {
        const shapes = param('input_param')
          .all('shape')
          .filter((v): v is TextMessage => v instanceof TextMessage);
        l.tops.forEach((blob, i) => {
          const dims = (shapes[i] ?? shapes[0])?.all('dim').map(Number) ?? [];
          if (dims.length < 2 || dims.some((d) => !Number.isInteger(d) || d < 1)) fail(`input_param gives no usable shape for ${JSON.stringify(blob)}`);
          input(blob, fromNchw(dims), 'f32');
        });
        break;
      }
      case 'MemoryData': {
        const m = param('memory_data_param');
        const dims = ['channels', 'height', 'width'].map((f) => num(m, f, 0));
        if (dims.some((d) => !Number.isInteger(d) || d < 1)) fail('memory_data_param needs channels, height and width');
        input(top(0), [dims[1]!, dims[2]!, dims[0]!], 'f32');
        if (l.tops[1]) input(l.tops[1], [], 'i32', 'label');
        break;
      }
      case 'Data': {
        // An LMDB / LevelDB source holds no shapes; Caffe's MNIST examples are the one case this can know.
        const source = param('data_param').get('source');
        if (typeof source !== 'string' || !/mnist/i.test(source)) {
          fail(
            `the shape of its data is not in the file (it is in the database ${JSON.stringify(source ?? '')}); replace it by an Input layer with input_param { shape { dim: … } }`,
          );
        }
        input(top(0), MNIST_SHAPE, 'f32');
        if (l.tops[1]) input(l.tops[1], [], 'i32', 'label');
        dataset = { kind: 'mnist' };
        break;
      }
      case 'InnerProduct': {
        let x = bottom(0);
        const ip = param('inner_product_param');
        const units = num(ip, 'num_output', 0);
        if (!Number.isInteger(units) || units < 1) fail('inner_product_param needs num_output');
        if (num(ip, 'axis', 1) !== 1) fail('only axis 1 (flatten everything but the batch) is imported');
        if (ip.get('transpose') === true) fail('transpose: true is not imported');
        if (x.shape.length > 1) {
          const flat = b.add(`${l.name}_flatten`, 'Flatten', {});
          b.connect(x.node, flat, 'x', x.port);
          x = { node: flat, port: 'y', shape: [x.shape.reduce((a, d) => a * d, 1)] };
        }
        emit('Dense', { units, useBias: ip.get('bias_term') !== false }, [['x', x]], [units]);
        break;
      }
      case 'Convolution': {
        const x = bottom(0);
        const [h, w, c] = image(x);
        const cp = param('convolution_param');
        const filters = num(cp, 'num_output', 0);
        if (!Number.isInteger(filters) || filters < 1) fail('convolution_param needs num_output');
        const k = hw(cp, 'kernel_size', 0);
        if (k[0] < 1 || k[1] < 1) fail('convolution_param needs kernel_size');
        const stride = hw(cp, 'stride', 1);
        const dilations = cp.all('dilation').map(Number);
        const dilation = dilations[0] ?? 1;
        if (dilations.some((d) => d !== dilation)) fail('different dilations per axis are not imported');
        const groups = num(cp, 'group', 1);
        if (c! % groups !== 0) fail(`group ${groups} does not divide the ${c} input channels`);
        const mode = padding(hw(cp, 'pad', 0), k, stride, dilation);
        const out = (n: number, i: number) => (mode === 'same' ? Math.ceil(n / stride[i]!) : Math.floor((n - (k[i]! - 1) * dilation - 1) / stride[i]!) + 1);
        if (out(h!, 0) < 1 || out(w!, 1) < 1) fail(`a ${k.join(' × ')} kernel does not fit the ${h} × ${w} input`);
        emit(
          'Conv2D',
          { filters, kernelSize: k, strides: stride, padding: mode, dilation: [dilation, dilation], groups, useBias: cp.get('bias_term') !== false },
          [['x', x]],
          [out(h!, 0), out(w!, 1), filters],
        );
        break;
      }
      case 'Pooling': {
        const x = bottom(0);
        const [h, w, c] = image(x);
        const pp = param('pooling_param');
        const kind = pp.get('pool') ?? 'MAX';
        if (kind !== 'MAX' && kind !== 'AVE') fail(`pool: ${String(kind)} is not imported (MAX and AVE are)`);
        if (pp.get('global_pooling') === true) {
          if (kind !== 'AVE') fail('global max pooling is not imported');
          emit('mean', { axes: [1, 2], keepdims: true }, [['x', x]], [1, 1, c!]);
          break;
        }
        const k = hw(pp, 'kernel_size', 0);
        if (k[0] < 1 || k[1] < 1) fail('pooling_param needs kernel_size');
        const stride = hw(pp, 'stride', 1);
        const mode = padding(hw(pp, 'pad', 0), k, stride);
        // Caffe rounds the output size up; Wiregrad (as TensorFlow) down: they agree when the window fits exactly.
        const out = [h!, w!].map((n, i) => (mode === 'same' ? Math.ceil(n / stride[i]!) : Math.floor((n - k[i]!) / stride[i]!) + 1));
        const caffeOut = [h!, w!].map((n, i) => (mode === 'same' ? out[i]! : Math.ceil((n - k[i]!) / stride[i]!) + 1));
        if (out[0] !== caffeOut[0] || out[1] !== caffeOut[1])
          fail(
            `Caffe's pooling rounds up to ${caffeOut.join(' × ')} here but Wiregrad's gives ${out.join(' × ')}; pick a kernel and stride that fit the ${h} × ${w} input`,
          );
        const sameStrides = stride[0] === k[0] && stride[1] === k[1];
        emit(
          kind === 'MAX' ? 'MaxPool2D' : 'AvgPool2D',
          { poolSize: k, ...(sameStrides ? {} : { strides: stride }), padding: mode },
          [['x', x]],
          [out[0]!, out[1]!, c!],
        );
        break;
      }
      case 'ReLU': {
        const x = bottom(0);
        const slope = num(param('relu_param'), 'negative_slope', 0);
        if (slope === 0) emit('ReLU', {}, [['x', x]], x.shape);
        else emit('LeakyReLU', { alpha: slope }, [['x', x]], x.shape);
        break;
      }
      case 'Sigmoid':
      case 'TanH': {
        const x = bottom(0);
        emit(l.type === 'TanH' ? 'Tanh' : 'Sigmoid', {}, [['x', x]], x.shape);
        break;
      }
      case 'Softmax': {
        const x = bottom(0);
        if (num(param('softmax_param'), 'axis', 1) !== 1) fail('only softmax over the channels (axis 1) is imported');
        emit('Softmax', { axis: -1 }, [['x', x]], x.shape);
        break;
      }
      case 'SoftmaxWithLoss':
        emit(
          'SoftmaxCrossEntropy',
          { labels: 'sparse' },
          [
            ['pred', bottom(0)],
            ['target', bottom(1)],
          ],
          [],
          'loss',
        );
        break;
      case 'Accuracy':
        emit(
          'Accuracy',
          { labels: 'sparse' },
          [
            ['pred', bottom(0)],
            ['target', bottom(1)],
          ],
          [],
          'value',
        );
        break;
      case 'Dropout': {
        const x = bottom(0);
        emit('Dropout', { rate: num(param('dropout_param'), 'dropout_ratio', 0.5) }, [['x', x]], x.shape);
        break;
      }
      case 'BatchNorm': {
        const x = bottom(0);
        const bp = param('batch_norm_param');
        if (bp.get('use_global_stats') === true) fail('use_global_stats: true (a net for testing) is not imported; import the training net');
        // Caffe's moving_average_fraction is the old running value's weight; Wiregrad's momentum (PyTorch's) is the batch's.
        emit(
          'BatchNorm',
          { axis: -1, momentum: Number((1 - num(bp, 'moving_average_fraction', 0.999)).toPrecision(12)), epsilon: num(bp, 'eps', 1e-5) },
          [['x', x]],
          x.shape,
        );
        break;
      }
      case 'Scale': {
        // Caffe's BatchNorm has no scale or shift; the Scale after it adds them, as Wiregrad's BatchNorm has.
        const x = bottom(0);
        const prev = layers[layers.indexOf(l) - 1];
        if (prev?.type !== 'BatchNorm' || prev.tops[0] !== l.bottoms[0]) fail('a Scale layer is imported only right after the BatchNorm it completes');
        blobs.set(top(), x);
        break;
      }
      case 'Eltwise': {
        const ep = param('eltwise_param');
        const op = ep.get('operation') ?? 'SUM';
        if (ep.all('coeff').some((c) => c !== 1)) fail('coefficients other than 1 are not imported');
        const xs = l.bottoms.map((_n, i) => bottom(i));
        if (xs.length < 2) fail('needs at least two bottoms');
        if (op === 'SUM')
          emit(
            'Add',
            {},
            xs.map((x) => ['inputs', x] as const),
            xs[0]!.shape,
          );
        else if ((op === 'PROD' || op === 'MAX') && xs.length === 2)
          emit(
            op === 'PROD' ? 'mul' : 'maximum',
            {},
            [
              ['a', xs[0]!],
              ['b', xs[1]!],
            ],
            xs[0]!.shape,
          );
        else fail(`operation ${String(op)} of ${xs.length} bottoms is not imported (SUM of any, PROD and MAX of two are)`);
        break;
      }
      case 'Concat': {
        const cp = param('concat_param');
        const axis = num(cp, 'axis', num(cp, 'concat_dim', 1));
        if (axis !== 1) fail('only concatenation over the channels (axis 1) is imported');
        const xs = l.bottoms.map((_n, i) => bottom(i));
        const shape = [...xs[0]!.shape];
        shape[shape.length - 1] = xs.reduce((a, x) => a + (x.shape[x.shape.length - 1] ?? 0), 0);
        emit(
          'Concat',
          { axis: -1 },
          xs.map((x) => ['inputs', x] as const),
          shape,
        );
        break;
      }
      case 'Flatten': {
        const x = bottom(0);
        emit('Flatten', {}, [['x', x]], [x.shape.reduce((a, d) => a * d, 1)]);
        break;
      }
      default:
        fail('is not imported');
    }
  }
  if (b.size === 0) throw new ImportError('the net has no layers to import');
  const name = options.name ?? (typeof net.get('name') === 'string' ? (net.get('name') as string) : 'Caffe net');
  return b.finish(name, dataset ? { dataset } : {}, 'Imported from a Caffe prototxt (TRAIN phase; architecture only)');
}
