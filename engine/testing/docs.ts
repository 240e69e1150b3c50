import { CURRENT_VERSION, GraphDocument } from '../graph/document';

/** A node in shorthand: [id, type, params?]. */
export type NodeLine = readonly [string, string, Record<string, unknown>?];
/** An edge in shorthand: "from.port -> to.port". */
export type EdgeLine = string;

/** Build a valid document from shorthand (tests and examples). */
export function makeDoc(nodes: readonly NodeLine[], edges: readonly EdgeLine[], training: Record<string, unknown> = {}): GraphDocument {
  return GraphDocument.parse({
    format: 'wiregrad.graph',
    version: CURRENT_VERSION,
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

/** The classic first example: a 2-layer ReLU net fit to random data with the L2 loss and plain SGD. */
export function twoLayerDoc(opts: { n?: number; dIn?: number; h?: number; dOut?: number; lr?: number; seed?: number } = {}): GraphDocument {
  const { n = 64, dIn = 1000, h = 100, dOut = 10, lr = 1e-6, seed = 0 } = opts;
  return makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [dIn] }],
      ['y', 'Input', { field: 'y', shape: [dOut] }],
      ['w1', 'Parameter', { shape: [dIn, h], init: { kind: 'normal', mean: 0, std: 1 } }],
      ['w2', 'Parameter', { shape: [h, dOut], init: { kind: 'normal', mean: 0, std: 1 } }],
      ['h', 'matmul'],
      ['relu', 'ReLU'],
      ['pred', 'matmul'],
      ['loss', 'SumSquaresLoss'],
    ],
    ['x.y -> h.a', 'w1.y -> h.b', 'h.y -> relu.x', 'relu.y -> pred.a', 'w2.y -> pred.b', 'pred.y -> loss.pred', 'y.y -> loss.target'],
    {
      dataset: { kind: 'random', inputShape: [dIn], targetShape: [dOut], size: n, seed },
      optimizer: { type: 'sgd' },
      lr,
      batchSize: n,
      steps: 500,
      seed,
    },
  );
}
