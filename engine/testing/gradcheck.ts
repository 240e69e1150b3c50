/**
 * Gradient checking for tests: autodiff of a graph on the float64 CPU backend against central
 * finite differences, also in float64 (micrograd's check, made exhaustive over the op table).
 */
import { CpuBackend } from '../backends/cpu/backend';
import { gradients } from '../compile/autodiff';
import { Graph, type ValueId } from '../compile/graph';
import { OpBuilder } from '../ops/builder';
import { Rng } from '../ops/random';
import { sizeOf } from '../ops/shape';
import type { Shape } from '../ops/types';

export interface GradcheckInput {
  readonly shape: Shape;
  /** Values; random normal when omitted. */
  readonly values?: ArrayLike<number>;
}

export interface GradcheckResult {
  /** Largest |analytic − numeric| / max(1, |numeric|) over every element of every input. */
  readonly maxError: number;
  readonly analytic: Float64Array[];
  readonly numeric: Float64Array[];
}

/**
 * Build f(inputs) with `build`, reduce it to a scalar as sum(f · r) with fixed random r (so every
 * output element matters), and compare d/dinputs by autodiff with central differences of step h.
 */
export async function gradcheck(
  inputs: readonly GradcheckInput[],
  build: (b: OpBuilder<ValueId>, xs: ValueId[]) => ValueId,
  { seed = 1, h = 1e-6 }: { seed?: number; h?: number } = {},
): Promise<GradcheckResult> {
  const rng = new Rng(seed);
  const values = inputs.map((inp) => Float64Array.from(inp.values ?? Array.from({ length: sizeOf(inp.shape) }, () => rng.normal())));

  const backend = new CpuBackend({ precision: 'f64' });
  const graph = new Graph();
  const b = new OpBuilder(graph);
  const xs = inputs.map((inp, i) => {
    backend.createVariable(`x${i}`, { shape: inp.shape, dtype: 'f32' }, values[i]!);
    return graph.variable(`x${i}`, inp.shape);
  });
  const out = build(b, xs);
  const outShape = graph.typeOf(out).shape;
  const weights = Array.from({ length: sizeOf(outShape) }, () => rng.normal());
  const loss = b.sum(b.mul(out, b.constant(outShape, weights)));
  const grads = gradients(graph, loss, xs);
  const gradIds = xs.map((x) => grads.get(x));
  const zeros = xs.map((x) => b.zerosLike(x));
  const exec = await backend.prepare(graph, { outputs: [loss, ...gradIds.map((g, i) => g ?? zeros[i]!)], updates: [] });

  const evalLoss = async (): Promise<number> => {
    exec.run(new Map());
    return (await exec.read(loss))[0]!;
  };
  await evalLoss();
  const analytic = await Promise.all(gradIds.map(async (g, i) => Float64Array.from(await exec.read(g ?? zeros[i]!))));

  const numeric: Float64Array[] = [];
  for (let i = 0; i < xs.length; i++) {
    const v = values[i]!;
    const num = new Float64Array(v.length);
    for (let j = 0; j < v.length; j++) {
      const orig = v[j]!;
      v[j] = orig + h;
      backend.writeVariable(`x${i}`, v);
      const up = await evalLoss();
      v[j] = orig - h;
      backend.writeVariable(`x${i}`, v);
      const down = await evalLoss();
      v[j] = orig;
      backend.writeVariable(`x${i}`, v);
      num[j] = (up - down) / (2 * h);
    }
    numeric.push(num);
  }
  let maxError = 0;
  analytic.forEach((a, i) =>
    a.forEach((g, j) => {
      const n = numeric[i]![j]!;
      maxError = Math.max(maxError, Math.abs(g - n) / Math.max(1, Math.abs(n)));
    }),
  );
  return { maxError, analytic, numeric };
}
