import { z } from 'zod';
import { ShapeError } from '../../ops/types';
import type { LowerInputs, NodeSpec } from '../spec';

/** Define a node spec with its params type inferred from the zod schema. */
export function defineNode<S extends z.ZodType<object>>(spec: Omit<NodeSpec<z.output<S>>, 'params'> & { params: S }): NodeSpec {
  return spec as unknown as NodeSpec;
}

/** The value on a single-edge input port (shape rules guarantee required ports are connected). */
export function one<T>(inputs: LowerInputs<T>, port: string): T {
  const v = inputs[port];
  if (v === undefined) throw new ShapeError(`input "${port}" is not connected`);
  if (Array.isArray(v)) {
    if (v.length !== 1) throw new ShapeError(`input "${port}" takes one connection`);
    return v[0] as T;
  }
  return v as T;
}

/** The values on a `multiple` input port, in edge order. */
export function many<T>(inputs: LowerInputs<T>, port: string): readonly T[] {
  const v = inputs[port];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]) as readonly T[];
}

export const int = (min = 1) => z.number().int().min(min);
export const dims = z.array(z.number().int().min(1)).min(1);
export const pair = z.tuple([z.number().int().min(1), z.number().int().min(1)]);
/** A pair from either one number or [h, w] (Keras accepts both). */
export const pairLike = z.union([z.number().int().min(1), pair]).transform((v) => (typeof v === 'number' ? ([v, v] as [number, number]) : v));

export const initializer = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('zeros') }),
  z.object({ kind: z.literal('ones') }),
  z.object({ kind: z.literal('constant'), value: z.number() }),
  z.object({ kind: z.literal('normal'), mean: z.number().default(0), std: z.number().positive().default(0.05) }),
  z.object({ kind: z.literal('uniform'), min: z.number().default(-0.05), max: z.number().default(0.05) }),
  z.object({ kind: z.literal('glorot_uniform') }),
  z.object({ kind: z.literal('glorot_normal') }),
  z.object({ kind: z.literal('he_uniform') }),
  z.object({ kind: z.literal('he_normal') }),
]);

export const ACTIVATIONS = ['linear', 'relu', 'leaky_relu', 'elu', 'gelu', 'sigmoid', 'tanh', 'softplus', 'softmax'] as const;
export const activation = z.enum(ACTIVATIONS);
export type Activation = (typeof ACTIVATIONS)[number];
