/**
 * The scaling grid of `npm run bench:scale`: an MLP whose hidden width grows (256 → 4096), the same
 * MLP at growing batch sizes (32 → 1024), and a CNN whose conv stack deepens (2 → 8 layers). Each
 * cell is one list of layers, from which both the Wiregrad document and the tfjs forward are built,
 * so the two sides train the same network.
 */
import { makeDoc } from '../../engine/testing/docs';
import { ADAM, CLASSES, type Workload } from '../lib/models';

/** One layer of a scale workload; `node` names it in the document and its weights (`node/kernel`, `node/bias`). */
export type Layer =
  | { readonly kind: 'dense'; readonly node: string; readonly units: number; readonly relu: boolean }
  | { readonly kind: 'conv'; readonly node: string; readonly filters: number }
  | { readonly kind: 'pool'; readonly node: string }
  | { readonly kind: 'flatten'; readonly node: string };

/** Which axis a cell moves along. */
export type Family = 'width' | 'batch' | 'depth';

/** A workload built from layers: what bench/lib's Wiregrad side needs, plus the layers for tfjs. */
export interface ScaleWorkload extends Workload {
  readonly layers: readonly Layer[];
}

/** One point of the grid. */
export interface ScaleCell {
  readonly family: Family;
  /** The hidden width, the batch size or the number of conv layers. */
  readonly value: number;
  /** Short id used in BENCH keys, e.g. mlp_w4096, mlp_b1024, cnn_d8. */
  readonly key: string;
  readonly workload: ScaleWorkload;
  /** Multiply-adds × 2 of one training step (forward + both gradients ≈ 3 × forward), for budgets and caps. */
  readonly flops: number;
}

export const FULL_GRID: Readonly<Record<Family, readonly number[]>> = {
  width: [256, 512, 1024, 2048, 4096],
  batch: [32, 64, 128, 256, 512, 1024],
  depth: [2, 4, 6, 8],
};

export const QUICK_GRID: Readonly<Record<Family, readonly number[]>> = {
  width: [256, 1024, 4096],
  batch: [32, 256, 1024],
  depth: [2, 4, 8],
};

/** The MLP's batch on the width axis and its width on the batch axis (as `npm run bench`'s MLP). */
export const MLP_BATCH = 128;
export const MLP_WIDTH = 256;
/** The CNN's batch and filters per conv layer (3×3, same padding, ReLU; 2×2 max-pool after every second conv). */
export const CNN_BATCH = 32;
export const CNN_FILTERS = 16;

function docOf(layers: readonly Layer[], input: readonly number[], batch: number, seed: number) {
  const nodes: [string, string, Record<string, unknown>][] = [['x', 'Input', { field: 'x', shape: [...input], dtype: 'f32' }]];
  const edges: string[] = [];
  let prev = 'x';
  for (const l of layers) {
    if (l.kind === 'dense') nodes.push([l.node, 'Dense', l.relu ? { units: l.units, activation: 'relu' } : { units: l.units }]);
    else if (l.kind === 'conv')
      nodes.push([l.node, 'Conv2D', { filters: l.filters, kernelSize: [3, 3], strides: [1, 1], padding: 'same', activation: 'relu' }]);
    else if (l.kind === 'pool') nodes.push([l.node, 'MaxPool2D', { poolSize: [2, 2], padding: 'valid' }]);
    else nodes.push([l.node, 'Flatten', {}]);
    edges.push(`${prev}.y -> ${l.node}.x`);
    prev = l.node;
  }
  nodes.push(['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }], ['loss', 'SoftmaxCrossEntropy', { labels: 'sparse' }]);
  edges.push(`${prev}.y -> loss.pred`, 'label.y -> loss.target');
  return makeDoc(nodes, edges, {
    dataset: { kind: 'random', inputShape: [...input], targetShape: [CLASSES], size: batch, seed },
    optimizer: { type: 'adam', beta1: ADAM.beta1, beta2: ADAM.beta2, eps: ADAM.eps },
    lr: ADAM.lr,
    batchSize: batch,
    seed,
  });
}

/** Forward multiply-adds × 2 of `layers` on `batch` samples of shape `input`, times 3 for the backward pass. */
export function stepFlops(layers: readonly Layer[], input: readonly number[], batch: number): number {
  let shape = [...input];
  let forward = 0;
  for (const l of layers) {
    if (l.kind === 'dense') {
      forward += 2 * batch * shape[0]! * l.units;
      shape = [l.units];
    } else if (l.kind === 'conv') {
      const [h, w, c] = shape as [number, number, number];
      forward += 2 * batch * h * w * 9 * c * l.filters;
      shape = [h, w, l.filters];
    } else if (l.kind === 'pool') {
      shape = [Math.floor(shape[0]! / 2), Math.floor(shape[1]! / 2), shape[2]!];
    } else {
      shape = [shape.reduce((a, d) => a * d, 1)];
    }
  }
  return 3 * forward;
}

function workloadOf(name: 'mlp' | 'cnn', title: string, layers: Layer[], input: number[], batch: number, seed: number): ScaleWorkload {
  return { name, title, batch, input, layers, doc: docOf(layers, input, batch, seed), lossNode: 'loss' };
}

/** MLP 784-width-10 (ReLU), batch `batch`. */
export function mlp(width: number, batch: number, seed: number): ScaleWorkload {
  const layers: Layer[] = [
    { kind: 'dense', node: 'd1', units: width, relu: true },
    { kind: 'dense', node: 'd2', units: CLASSES, relu: false },
  ];
  return workloadOf('mlp', `MLP 784-${width}-10, batch ${batch}`, layers, [784], batch, seed);
}

/** `depth` conv layers of CNN_FILTERS 3×3 filters on 28×28×1, a 2×2 max-pool after every second one, then Dense 10. */
export function cnn(depth: number, seed: number, batch = CNN_BATCH): ScaleWorkload {
  if (!Number.isInteger(depth) || depth < 1 || depth > 8) throw new Error(`CNN depth must be 1…8 conv layers (28×28 pooled every 2), not ${depth}`);
  const layers: Layer[] = [];
  for (let i = 1; i <= depth; i++) {
    layers.push({ kind: 'conv', node: `conv${i}`, filters: CNN_FILTERS });
    if (i % 2 === 0) layers.push({ kind: 'pool', node: `pool${i / 2}` });
  }
  layers.push({ kind: 'flatten', node: 'flatten' }, { kind: 'dense', node: 'logits', units: CLASSES, relu: false });
  return workloadOf('cnn', `CNN ${depth}× conv3×3@${CNN_FILTERS} on 28×28×1, batch ${batch}`, layers, [28, 28, 1], batch, seed);
}

/** Every cell of `grid`, widths first, then batches, then depths. */
export function scaleCells(grid: Readonly<Record<Family, readonly number[]>>, seed: number): ScaleCell[] {
  const cell = (family: Family, value: number, key: string, w: ScaleWorkload): ScaleCell => ({
    family,
    value,
    key,
    workload: w,
    flops: stepFlops(w.layers, w.input, w.batch),
  });
  return [
    ...grid.width.map((h) => cell('width', h, `mlp_w${h}`, mlp(h, MLP_BATCH, seed))),
    ...grid.batch.map((b) => cell('batch', b, `mlp_b${b}`, mlp(MLP_WIDTH, b, seed))),
    ...grid.depth.map((d) => cell('depth', d, `cnn_d${d}`, cnn(d, seed))),
  ];
}
