/**
 * Test support: a node type's lowering as a function of its data inputs and its variables, for
 * gradient checks (engine/testing/gradcheck.ts) of whole layers rather than single ops.
 */
import type { ValueId } from '../../compile/graph';
import { OpBuilder } from '../../ops/builder';
import { Rng } from '../../ops/random';
import type { Shape, TensorType } from '../../ops/types';
import type { GradcheckInput } from '../../testing/gradcheck';
import { typeEmitter } from '../lower';
import type { LowerContext, LowerInputs, VariableRequest } from '../spec';
import { getNodeSpec } from './index';

function context<T>(b: OpBuilder<T>, variable: (r: VariableRequest) => T, training: boolean): LowerContext<T> {
  return {
    b,
    training,
    input: () => {
      throw new Error('no inputs in a layer check');
    },
    variable,
    assign: () => undefined,
    counter: () => b.scalar(0, 'i32'),
    seed: () => 7,
  };
}

/** The variables `type` asks for with these input shapes and params, found by lowering on types alone. */
export function variablesOf(type: string, inputs: Readonly<Record<string, Shape>>, params: object = {}): VariableRequest[] {
  const spec = getNodeSpec(type)!;
  const requests: VariableRequest[] = [];
  const b = new OpBuilder<TensorType>(typeEmitter);
  const ins = Object.fromEntries(Object.entries(inputs).map(([k, shape]) => [k, { shape, dtype: 'f32' as const }]));
  spec.lower(
    context(b, (r) => (requests.push(r), { shape: r.shape, dtype: 'f32' }), true),
    ins,
    spec.params.parse(params),
  );
  return requests;
}

/**
 * A gradcheck case for node `type`: its data inputs (by port, f32) then its variables, all drawn
 * normal (× `scale` for the variables), and a build that lowers the node and returns output `port`.
 */
export function layerCase(
  type: string,
  inputs: Readonly<Record<string, Shape>>,
  params: object = {},
  port = 'y',
  { seed = 3, scale = 0.5 } = {},
): { inputs: GradcheckInput[]; build: (b: OpBuilder<ValueId>, xs: ValueId[]) => ValueId; variables: VariableRequest[] } {
  const spec = getNodeSpec(type)!;
  const variables = variablesOf(type, inputs, params);
  const rng = new Rng(seed);
  const ports = Object.keys(inputs);
  const gradInputs: GradcheckInput[] = [
    ...ports.map((p) => ({ shape: inputs[p]! })),
    ...variables.map((v) => ({ shape: v.shape, values: Array.from({ length: v.shape.reduce((a, d) => a * d, 1) }, () => scale * rng.normal()) })),
  ];
  return {
    inputs: gradInputs,
    variables,
    build(b, xs) {
      let next = ports.length;
      const ins: LowerInputs<ValueId> = Object.fromEntries(ports.map((p, i) => [p, xs[i]!]));
      const out = spec.lower(
        context(b, () => xs[next++]!, true),
        ins,
        spec.params.parse(params),
      );
      return out[port]!;
    },
  };
}
