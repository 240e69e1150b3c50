/**
 * What a node type is: its ports, its parameters (a zod schema with defaults) and how it lowers
 * to ops. Every node a user can place on the canvas has one NodeSpec in the catalog (./nodes).
 */
import type { z } from 'zod';
import type { OpBuilder } from '../ops/builder';
import type { DType, Shape } from '../ops/types';

/** Palette group a node type is listed under. */
export type Category = 'Data' | 'Layers' | 'Sequence' | 'Ops' | 'Activations' | 'Losses' | 'Metrics';

/** One input or output handle of a node. */
export interface PortSpec {
  readonly name: string;
  /** An input that may stay unconnected. */
  readonly optional?: boolean;
  /** An input that takes several edges, in edge order (Add, Concat). */
  readonly multiple?: boolean;
}

/** How a parameter's first values are drawn. fanIn/fanOut come from the layer that declares it. */
export type Initializer =
  | { readonly kind: 'zeros' }
  | { readonly kind: 'ones' }
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'normal'; readonly mean: number; readonly std: number }
  | { readonly kind: 'uniform'; readonly min: number; readonly max: number }
  | { readonly kind: 'glorot_uniform' }
  | { readonly kind: 'glorot_normal' }
  | { readonly kind: 'he_uniform' }
  | { readonly kind: 'he_normal' };

/** A variable a node asks for while lowering. */
export interface VariableRequest {
  /** Unique within the node (e.g. "kernel", "bias", "moving_mean"). */
  readonly name: string;
  readonly shape: Shape;
  readonly init: Initializer;
  /** Fan-in and fan-out for the scaled initializers (Glorot, He). */
  readonly fans?: readonly [number, number];
  /** Trainable variables get gradients and optimizer updates; others (running stats) do not. */
  readonly trainable: boolean;
}

/** The services a node's lowering may use. T is a node id when compiling, a tensor when eager. */
export interface LowerContext<T> {
  readonly b: OpBuilder<T>;
  /** True in the training program; false for inference (dropout off, batch norm uses running stats). */
  readonly training: boolean;
  /** A placeholder fed from the dataset field `field` each step; `shape` is per sample (the batch dim is prepended). */
  input(field: string, shape: Shape, dtype: DType): T;
  /** A persistent variable owned by this node. */
  variable(request: VariableRequest): T;
  /** After each training step, set the node's variable `name` to `value` (running statistics). */
  assign(name: string, value: T): void;
  /** A scalar that changes every step (the step number), for random draws. */
  counter(): T;
  /** A seed for this node's random draws, derived from the document seed and the node id. */
  seed(): number;
}

/** Incoming values by port name; a `multiple` port gets an array, an unconnected optional port is absent. */
export type LowerInputs<T> = Readonly<Record<string, T | readonly T[] | undefined>>;

/** What a node contributes to training besides its outputs. */
export type NodeRole = 'input' | 'loss' | 'metric';

/** A node type in the catalog. */
export interface NodeSpec<P extends object = object> {
  readonly type: string;
  readonly category: Category;
  /** Name shown in the palette. */
  readonly label: string;
  /** One sentence for the palette tooltip and docs. */
  readonly description: string;
  readonly inputs: readonly PortSpec[];
  readonly outputs: readonly PortSpec[];
  /** Validates a node's params and fills defaults. */
  readonly params: z.ZodType<P>;
  /** Losses are summed into the training objective; metrics are reported; inputs are fed by data. */
  readonly role?: NodeRole;
  /**
   * A loss or metric on a classifier: its `pred` port takes logits (so the last dim counts the
   * classes), and with its `labels` param 'sparse' its `target` port takes class indices.
   */
  readonly classifier?: boolean;
  /**
   * A loss that adds its samples' terms instead of averaging them (the classic L2 loss): its
   * value grows with the batch, so validation reports it scaled to one training batch.
   */
  readonly sumsOverBatch?: boolean;
  /** Build the node's outputs from its inputs with ops. Throw ShapeError for bad shapes. */
  lower<T>(ctx: LowerContext<T>, inputs: LowerInputs<T>, params: P): Readonly<Record<string, T>>;
}
