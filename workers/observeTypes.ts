/** What the dashboard and the canvas probes ask the worker to sample, and the events it sends back. */
import type { TensorView } from './stats';
import type { TensorStats } from './types';

/** A tensor the page wants to watch: a node's output (at `port`) or one of its variables. */
export interface ProbeTarget {
  /** Chosen by the page; readings echo it. */
  readonly key: string;
  readonly node: string;
  readonly port?: string;
  /** A variable's full name (`hidden1/kernel`): watch that parameter instead of the output. */
  readonly variable?: string;
}

/** What the page asked to observe while training. Absent fields are off. */
export interface ObserveConfig {
  /** Sample every parameter's and gradient's histogram every this many steps (0: never). */
  readonly histogramEvery?: number;
  /** Bins per histogram (default 30). */
  readonly histogramBins?: number;
  /** Probes open on the canvas: read at every sample, value and gradient. */
  readonly probes?: readonly ProbeTarget[];
  /** RMS gradient of every edge's value, for colouring edges. */
  readonly edgeGradients?: boolean;
  /** Confusion matrix and per-class accuracy on the validation split (classifiers). */
  readonly confusion?: boolean;
  /** Predicted class over the input plane (datasets with 2-D inputs). */
  readonly decisionBoundary?: boolean;
}

/** One summarised tensor: statistics, a histogram and a view that fits its shape. */
export interface TensorSummary {
  readonly shape: readonly number[];
  readonly stats: TensorStats;
  readonly histogram: { readonly edges: Float32Array; readonly counts: Uint32Array };
  readonly view: TensorView;
}

/** A probe's value and gradient at one step; `error` says why one is missing. */
export interface ProbeReading {
  readonly key: string;
  readonly step: number;
  readonly value?: TensorSummary;
  readonly grad?: TensorSummary;
  readonly gradError?: string;
  readonly error?: string;
}

/** One parameter's (or its gradient's) histogram at one step. */
export interface ParamHistogram {
  /** Variable name, `hidden1/kernel`. */
  readonly name: string;
  readonly node: string;
  readonly what: 'value' | 'grad';
  readonly min: number;
  readonly max: number;
  readonly counts: readonly number[];
  readonly nan: number;
  readonly inf: number;
}

/** The predicted class over a grid of the input plane, with the points it was trained on. */
export interface DecisionBoundary {
  /** Grid cells per side; cell (i, j) is x = x0 + (j + ½)(x1 − x0)/n, y = y1 − (i + ½)(y1 − y0)/n. */
  readonly resolution: number;
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
  /** Predicted class per cell, row-major from the top. */
  readonly predicted: Uint8Array;
  /** Probability of the predicted class per cell. */
  readonly confidence: Float32Array;
  /** Sample points (x, y pairs) and their labels, drawn over the heatmap. */
  readonly points: Float32Array;
  readonly labels: Int32Array;
}

/** Classifier views computed on the validation split. */
export interface ClassifierReading {
  readonly step: number;
  readonly classes: number;
  /** Row = true class, column = predicted class; row-major classes × classes. */
  readonly confusion: readonly number[];
  /** The split the matrix was computed on ('validation', or 'training' when there is no validation split). */
  readonly split: 'validation' | 'training';
  readonly boundary?: DecisionBoundary;
}

/** Events the observer adds to the training stream. */
export type ObserveEvent =
  | { readonly type: 'histograms'; readonly step: number; readonly tensors: readonly ParamHistogram[] }
  | { readonly type: 'probes'; readonly readings: readonly ProbeReading[] }
  | { readonly type: 'gradients'; readonly step: number; /** `${node}.${port}` → RMS gradient */ readonly rms: Readonly<Record<string, number>> }
  | { readonly type: 'classifier'; readonly reading: ClassifierReading };
