/** Test support shared by the ONNX export, import and checker tests: seeded weights and inputs, and how outputs are compared. */
import type { Program } from '../../compile/program';
import type { DType } from '../../ops/types';
import type { seededRandom } from '../../testing/random';

type Random = ReturnType<typeof seededRandom>;

/** Largest |got − want| / max(|want|, rms(want)): each element relative to the larger of its value and the output's RMS. */
export function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let sq = 0;
  for (let i = 0; i < want.length; i++) sq += Number(want[i]) ** 2;
  const rms = Math.sqrt(sq / Math.max(want.length, 1)) || 1e-30;
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(Number(got[i]) - Number(want[i])) / Math.max(Math.abs(Number(want[i])), rms));
  return worst;
}

/**
 * Give every variable of `program` seeded N(0, scale²) values (batch-norm variances U(0.5, 1.5), so
 * running statistics matter) and return them.
 */
export function setRandomWeights(program: Program, r: Random, scale = 0.5): Record<string, Float32Array> {
  const weights: Record<string, Float32Array> = {};
  for (const v of program.variables) {
    const n = v.shape.reduce((a, d) => a * d, 1);
    const variance = v.name.endsWith('/moving_variance');
    weights[v.name] = Float32Array.from({ length: n }, () => (variance ? 0.5 + r.next() : r.normal() * scale));
  }
  program.setWeights(weights);
  return weights;
}

/** `n` seeded input values: token ids below `intRange` for i32 inputs, N(0, 1) otherwise. */
export function randomInput(r: Random, dtype: DType, n: number, intRange: number): Float32Array | Int32Array {
  return dtype === 'i32' ? Int32Array.from({ length: n }, () => r.int(intRange)) : Float32Array.from({ length: n }, () => r.normal());
}
