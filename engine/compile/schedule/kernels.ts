/**
 * The kernel descriptions a schedule emits: small, backend-neutral records that WebGPU renders to
 * WGSL and the CPU backend evaluates with the expression table's JS maths. Every kernel reads
 * `reads` and writes every value of `writes`; the backend binds (or looks up) those buffers in order.
 */
import type { GraphNode, ValueId } from '../graph';
import type { Attrs, DType, Op, Shape } from '../../ops/types';
import type { ElementwiseOp, ExprTypes } from './expressions';

/** One value of an elementwise expression, in SSA order: later values refer to earlier ones by index. */
export type Expr =
  /** Buffer `reads[read]` viewed with `shape` (NumPy-broadcast to the kernel's domain; a reshape views its input with its own shape). */
  | { readonly kind: 'load'; readonly read: number; readonly shape: Shape; readonly dtype: DType }
  /** A literal (a `full` node computed inline instead of read). */
  | { readonly kind: 'literal'; readonly value: number; readonly dtype: DType }
  /** An epilogue's accumulator: the matmul's (or the reduction's) result at this element (f32). */
  | { readonly kind: 'acc' }
  /** An expression-table entry applied to earlier values. */
  | { readonly kind: 'op'; readonly op: ElementwiseOp; readonly attrs: Attrs<Op>; readonly args: readonly number[]; readonly types: ExprTypes };

/** The dtype an expression value holds. */
export function dtypeOf(e: Expr): DType {
  return e.kind === 'op' ? e.types.out : e.kind === 'acc' ? 'f32' : e.dtype;
}

/** What every kernel has: the node named in errors, the graph nodes it computes, its buffers. */
interface KernelBase {
  /** The node named in errors (a fused kernel names its last member). */
  readonly node: GraphNode;
  /** Every graph node this kernel computes (several when fused). */
  readonly members: readonly GraphNode[];
  /** Values read, in binding order (a variable read under several node ids appears once, as its first node). */
  readonly reads: readonly ValueId[];
  /** Values written, in binding order after the reads. */
  readonly writes: readonly ValueId[];
}

/**
 * An elementwise expression over a domain: one thread (or loop step) per element of `domain`
 * evaluates `exprs` and stores `stores[k]` into `writes[k]`. A stored value smaller than the domain
 * (a bias, a per-row statistic) is broadcast: every element sharing its position computes the same
 * value, and a backend stores it once.
 */
export interface ElementwiseKernel extends KernelBase {
  readonly kind: 'elementwise';
  readonly domain: Shape;
  readonly exprs: readonly Expr[];
  /** Per write: the expression stored and the written value's shape (broadcast to the domain). */
  readonly stores: readonly { readonly expr: number; readonly shape: Shape }[];
}

/**
 * A matmul (reads[0] × reads[1], the node's transposes) with an elementwise epilogue applied to each
 * result before it is stored: `exprs` over `acc` and loads of reads[2…] broadcast to the [m, n] output.
 */
export interface GemmKernel extends KernelBase {
  readonly kind: 'gemm';
  /** The matmul node. */
  readonly matmul: Extract<GraphNode, { kind: 'op' }>;
  readonly epilogue: { readonly exprs: readonly Expr[]; readonly result: number };
}

/** A reduction the schedule fuses with elementwise work (f32 only). */
export type ReduceOp = 'sum' | 'mean' | 'max';

/**
 * A reduction (sum, mean or max over `axes` of an `input`-shaped tensor, `keepdims` as its node)
 * with elementwise work fused on both sides. The prologue computes each reduced element: `exprs`
 * over the input's elements (loads of reads broadcast to `input`, literals, table ops), its
 * `result` is what is reduced — a lone load of reads[0] when nothing is fused before. The epilogue
 * computes the stored value from each reduced value: `exprs` over `acc` (the reduction's result,
 * f32) and loads broadcast to the reduction's output shape; `result` 0 (the bare `acc`) when
 * nothing is fused after. Reads: the prologue's, then the epilogue's; one write (the last member).
 */
export interface ReduceKernel extends KernelBase {
  readonly kind: 'reduce';
  /** The last member (the epilogue's end, or the reduction itself). */
  readonly node: Extract<GraphNode, { kind: 'op' }>;
  /** The reduction node. */
  readonly reduction: Extract<GraphNode, { kind: 'op' }>;
  readonly op: ReduceOp;
  /** The reduced tensor's shape (the prologue's domain). */
  readonly input: Shape;
  /** The reduced axes, normalised and ascending. */
  readonly axes: readonly number[];
  readonly keepdims: boolean;
  /** Elements reduced into each output. */
  readonly count: number;
  readonly prologue: { readonly exprs: readonly Expr[]; readonly result: number };
  readonly epilogue: { readonly exprs: readonly Expr[]; readonly result: number };
}

/** What a single-op kernel does, for a reader of the schedule (renderers pick their kernel by op). */
export type OpFamily = 'elementwise' | 'reduction' | 'gemm' | 'movement' | 'gather' | 'scatter' | 'window' | 'source';

/** One op computed by its backend's kernel for that op. */
export interface OpKernel extends KernelBase {
  readonly kind: 'op';
  readonly node: Extract<GraphNode, { kind: 'op' }>;
  readonly family: OpFamily;
}

/** A literal tensor (a `constant` node): written once when the schedule is prepared, never recomputed. */
export interface ConstantKernel extends KernelBase {
  readonly kind: 'constant';
  readonly node: Extract<GraphNode, { kind: 'op' }>;
}

export type Kernel = ElementwiseKernel | GemmKernel | ReduceKernel | OpKernel | ConstantKernel;

/** Each op's family (a mapped type: a new op needs one). */
export const OP_FAMILY: { readonly [O in Op]: OpFamily } = {
  add: 'elementwise',
  sub: 'elementwise',
  mul: 'elementwise',
  div: 'elementwise',
  pow: 'elementwise',
  minimum: 'elementwise',
  maximum: 'elementwise',
  less: 'elementwise',
  less_equal: 'elementwise',
  greater: 'elementwise',
  greater_equal: 'elementwise',
  equal: 'elementwise',
  not_equal: 'elementwise',
  neg: 'elementwise',
  exp: 'elementwise',
  log: 'elementwise',
  sqrt: 'elementwise',
  abs: 'elementwise',
  sign: 'elementwise',
  relu: 'elementwise',
  leaky_relu: 'elementwise',
  elu: 'elementwise',
  gelu: 'elementwise',
  sigmoid: 'elementwise',
  tanh: 'elementwise',
  softplus: 'elementwise',
  cast: 'elementwise',
  where: 'elementwise',
  stop_gradient: 'elementwise',
  full: 'source',
  constant: 'source',
  random_uniform: 'source',
  softmax: 'reduction',
  log_softmax: 'reduction',
  argmax: 'reduction',
  sum: 'reduction',
  mean: 'reduction',
  max: 'reduction',
  matmul: 'gemm',
  conv2d: 'gemm',
  conv2d_grad_input: 'gemm',
  conv2d_grad_filter: 'gemm',
  reshape: 'movement',
  transpose: 'movement',
  broadcast_to: 'movement',
  concat: 'movement',
  slice: 'movement',
  pad: 'movement',
  gather: 'gather',
  one_hot: 'gather',
  scatter_add: 'scatter',
  max_pool2d: 'window',
  max_pool2d_grad: 'window',
  avg_pool2d: 'window',
  avg_pool2d_grad: 'window',
};
